"""Reading KMA data-portal exports: the real Seoul file and broken variants."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from seoulcast_assets.kma.coverage import KOREAN_WAR_GAP
from seoulcast_assets.kma.portal import PortalFormatError, read_portal_csv

HEADER = "날짜,지점,평균기온(℃),최저기온(℃),최고기온(℃)"
GOOD_ROWS = ['"\t1907-10-01",108,13.5,7.9,20.7', '"\t1907-10-02",108,16.2,7.9,22']


def portal_bytes(*rows: str, header: str = HEADER, encoding: str = "cp949") -> bytes:
    return "\n".join([header, *rows, ""]).encode(encoding)


@pytest.fixture(scope="module")
def portal(shared_data) -> pd.DataFrame:
    return read_portal_csv(shared_data / "kma_portal_seoul_1907-2018.csv")


def test_the_real_export_has_every_observed_day(portal, shared_data):
    raw_rows = (shared_data / "kma_portal_seoul_1907-2018.csv").read_bytes().count(b"\n") - 1

    assert raw_rows == 40_204
    # 756 of the listed days, all in the war gap, have three empty cells and are left out.
    assert len(portal) == raw_rows - 756 == 39_448
    assert list(portal.columns) == ["date", "ta_avg", "ta_min", "ta_max"]
    assert portal["date"].dtype == "datetime64[ns]"
    assert portal["date"].iloc[0] == pd.Timestamp("1907-10-01")
    assert portal["date"].iloc[-1] == pd.Timestamp("2018-12-31")
    assert portal["date"].is_monotonic_increasing and portal["date"].is_unique


def test_known_values_of_the_real_export(portal):
    by_day = portal.set_index("date")
    assert by_day.at[pd.Timestamp("1927-12-31"), "ta_min"] == -23.1
    assert by_day.at[pd.Timestamp("2018-08-01"), "ta_max"] == 39.6  # Seoul's record
    day = by_day.loc[pd.Timestamp("2017-10-12")]
    assert (day["ta_avg"], day["ta_min"]) == (11.4, 8.8) and math.isnan(day["ta_max"])


def test_the_war_gap_is_absent(portal):
    in_gap = portal["date"].between(*(pd.Timestamp(d) for d in KOREAN_WAR_GAP))
    assert not in_gap.any()
    assert portal["date"].dt.date.isin([date(1950, 8, 31), date(1953, 12, 1)]).sum() == 2


def test_the_export_agrees_with_the_tidy_temperature_file(portal, shared_data):
    tidy = pd.read_csv(shared_data / "seoul_temp_daily.csv", parse_dates=["date"])
    merged = tidy.merge(portal, on="date", how="outer", suffixes=("_tidy", "_portal"))
    columns = ["ta_avg", "ta_min", "ta_max"]
    differs = pd.Series(False, index=merged.index)
    for column in columns:
        left, right = merged[f"{column}_tidy"], merged[f"{column}_portal"]
        differs |= ~((left == right) | (left.isna() & right.isna()))

    assert len(merged) == len(tidy) == len(portal)
    # The two downloads disagree on two days only: the portal lacks min/max there.
    assert list(merged.loc[differs, "date"].dt.strftime("%Y-%m-%d")) == ["1967-02-19", "1973-10-16"]


def test_a_small_export_with_missing_cells():
    table = read_portal_csv(portal_bytes(*GOOD_ROWS, '"\t1907-10-03",108,,,21.3'))
    assert table["date"].dt.date.tolist() == [date(1907, 10, d) for d in (1, 2, 3)]
    assert table["ta_max"].tolist() == [20.7, 22.0, 21.3]
    assert math.isnan(table.at[2, "ta_avg"]) and math.isnan(table.at[2, "ta_min"])


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (portal_bytes(*GOOD_ROWS, encoding="utf-8"), 1, "cp949"),  # re-encoded by an editor
        (
            portal_bytes(*GOOD_ROWS, header="날짜,지점,평균기온(℃),최고기온(℃),최저기온(℃)"),
            1,
            "header",
        ),
        (portal_bytes(*GOOD_ROWS, '"\t1907-13-01",108,1,1,1'), 4, "is not a date"),
        (portal_bytes(*GOOD_ROWS, '"\t1907/10/03",108,1,1,1'), 4, "is not a date"),
        (
            portal_bytes(GOOD_ROWS[0], '"\t1907-10-02",108,16.2,abc,22'),
            3,
            "ta_min 'abc' is not a number",
        ),
        (portal_bytes(*GOOD_ROWS, '"\t1907-10-03",108,nan,1,1'), 4, "is not a number"),
        (portal_bytes(*GOOD_ROWS, '"\t1907-10-01",108,1,1,1'), 4, "already appeared on line 2"),
        (portal_bytes(*GOOD_ROWS, '"\t1907-10-03",108,1,1'), 4, "expected 5 columns, found 4"),
        (portal_bytes(*GOOD_ROWS, '"\t1907-10-03",서울,1,1,1'), 4, "is not a station number"),
        (
            portal_bytes(*GOOD_ROWS, '"\t1907-10-03",108,1,1,1').replace(
                b",1,1,1", b",\xff\xff,1,1"
            ),
            4,
            "cp949",
        ),
        (b"", 1, "header"),
    ],
)
def test_malformed_exports_name_the_line(data, line, reason):
    with pytest.raises(PortalFormatError) as caught:
        read_portal_csv(data)
    assert caught.value.line_number == line
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"line {line}: ")

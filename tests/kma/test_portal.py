"""Reading KMA data-portal exports: the real Seoul files, both ASOS variants, broken copies."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.kma.coverage import KOREAN_WAR_GAP
from seoulcast_assets.kma.portal import (
    PortalFormatError,
    read_portal_csv,
    read_portal_export,
)
from seoulcast_assets.kma.portal_merge import (
    NoRowsOfStation,
    PortalConflict,
    merge_portal_exports,
)

HEADER = "날짜,지점,평균기온(℃),최저기온(℃),최고기온(℃)"
GOOD_ROWS = ['"\t1907-10-01",108,13.5,7.9,20.7', '"\t1907-10-02",108,16.2,7.9,22']
ASOS_FOLDER = "kma_portal_asos_108"
OBS_2010 = "OBS_ASOS_DD_2010_2014.csv"
SURFACE_2014 = "SURFACE_ASOS_108_DAY_2014_2014_2015.csv"


def portal_bytes(*rows: str, header: str = HEADER, encoding: str = "cp949") -> bytes:
    return "\n".join([header, *rows, ""]).encode(encoding)


def day_row(export, day: str) -> pd.Series:
    (row,) = np.flatnonzero((export.dates == np.datetime64(day)) & (export.stations == 108))
    return export.values.iloc[row]


@pytest.fixture(scope="module")
def portal(shared_data) -> pd.DataFrame:
    return read_portal_csv(shared_data / "kma_portal_seoul_1907-2018.csv")


@pytest.fixture(scope="module")
def asos_files(shared_data) -> dict[str, bytes]:
    folder = shared_data / ASOS_FOLDER
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}


@pytest.fixture(scope="module")
def exports(asos_files):
    return {name: read_portal_export(data, name) for name, data in asos_files.items()}


# -- the temperature export ----------------------------------------------------------------------


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


def test_columns_are_found_by_their_header_not_their_place():
    swapped = "날짜,지점,평균기온(℃),최고기온(℃),최저기온(℃)"  # max before min
    rows = ['"\t1907-10-01",108,13.5,20.7,7.9', '"\t1907-10-02",108,16.2,22,7.9']
    table = read_portal_csv(portal_bytes(*rows, header=swapped))
    assert table.equals(read_portal_csv(portal_bytes(*GOOD_ROWS)))


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (portal_bytes(*GOOD_ROWS, encoding="utf-8"), 1, "cp949"),  # re-encoded by an editor
        (portal_bytes(*GOOD_ROWS, header=HEADER.replace("평균기온(℃)", "평균기온")), 1,
         "unknown column '평균기온'"),
        (portal_bytes(*GOOD_ROWS, header=HEADER.replace("지점,", "")), 1, "no 지점 column"),
        (portal_bytes(*GOOD_ROWS, header=HEADER.replace("최고", "최저")), 1, "twice"),
        (portal_bytes(*GOOD_ROWS, '"\t1907-13-01",108,1,1,1'), 4, "is not a date"),
        (portal_bytes(*GOOD_ROWS, '"\t1907/10/03",108,1,1,1'), 4, "is not a date"),
        (portal_bytes(*GOOD_ROWS, '"\t1907-10-3",108,1,1,1'), 4, "is not a date"),
        (
            portal_bytes(GOOD_ROWS[0], '"\t1907-10-02",108,16.2,abc,22'),
            3,
            "ta_min 'abc' is not a number",
        ),
        (portal_bytes(*GOOD_ROWS, '"\t1907-10-03",108,nan,1,1'), 4, "is not a number"),
        (portal_bytes(*GOOD_ROWS, '"\t1907-10-03",108,1_0,1,1'), 4, "is not a number"),
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
)  # fmt: skip
def test_malformed_exports_name_the_line(data, line, reason):
    with pytest.raises(PortalFormatError) as caught:
        read_portal_csv(data)
    assert caught.value.line_number == line
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"line {line}: ")


# -- the full ASOS exports -----------------------------------------------------------------------


def test_both_asos_variants_are_read(exports):
    obs = [export for name, export in exports.items() if name.startswith("OBS_ASOS_DD_")]
    surface = [export for name, export in exports.items() if name.startswith("SURFACE_ASOS_")]

    assert (len(obs), len(surface)) == (16, 5)
    assert {len(export.headers) for export in obs} == {62}
    assert {len(export.headers) for export in surface} == {59}
    assert sum(map(len, obs)) == 42_532 and sum(map(len, surface)) == 1_826
    # The same element under the two spellings of its header.
    assert obs[0].headers["ss_day"] == "합계 일조시간(hr)"
    assert surface[0].headers["ss_day"] == "합계 일조 시간(hr)"
    assert surface[0].headers["si_day"] == "합계 일사(MJ/m2)"
    assert "remarks" in obs[0].headers and "remarks" not in surface[0].headers
    assert "wd_frq" in obs[0].headers and "wd_frq" not in surface[0].headers
    # Text columns are checked for shape but not read as numbers.
    assert "remarks" not in obs[0].values and "stn_name" not in obs[0].values


def test_numbers_without_a_leading_zero_and_unpadded_times(exports):
    export = exports[SURFACE_2014]  # 108,2014-01-01,4,.3,723,7.9,1535,.03,...
    day = day_row(export, "2014-01-01")
    assert (day["ta_avg"], day["ta_min"], day["ta_min_tm"], day["ta_max_tm"]) == (4, 0.3, 723, 1535)
    assert (day["rn_dur"], day["rn_day"], day["te_01"]) == (0.03, 0.0, -0.2)  # a trace: 0
    assert math.isnan(day["rn_10m_max"])
    assert export.lines[0].endswith(b"\r\n")  # the newer files end lines with CRLF
    assert export.lines[0].startswith(b"108,2014-01-01,4,.3,723,")
    assert export.line_numbers[0] == 2


def test_a_known_day_per_element(exports):
    """Bolaven (2012-08-28), Kompasu (2010-09-02), 2011-07-27's rain, 2010-01-04's snow."""
    obs = exports[OBS_2010]
    bolaven = day_row(obs, "2012-08-28")
    assert (bolaven["ws_ins"], bolaven["wd_ins"], bolaven["ws_ins_tm"]) == (24.0, 160, 2229)
    assert (bolaven["ps_min"], bolaven["ws_avg"], bolaven["wr_day"]) == (983.9, 7.5, 6523)
    kompasu = day_row(obs, "2010-09-02")
    assert (kompasu["ws_max"], kompasu["wd_max"], kompasu["ws_max_tm"]) == (14.0, 200, 744)
    rain = day_row(obs, "2011-07-27")
    assert (rain["rn_day"], rain["rn_60m_max"], rain["rn_60m_max_tm"]) == (301.5, 59.0, 856)
    assert (rain["hm_avg"], rain["ss_day"], rain["rn_d99"]) == (92.1, 0.0, 195.0)
    snow = day_row(obs, "2010-01-04")
    assert (snow["sd_new"], snow["sd_max"], snow["ta_max"]) == (25.8, 28.5, -3.4)
    hot = day_row(exports[SURFACE_2014.replace("2014_2014_2015", "2018_2018_2019")], "2018-08-01")
    assert (hot["ta_max"], hot["ta_max_tm"], hot["si_day"]) == (39.6, 1536, 25.69)
    assert math.isnan(hot["rn_day"])  # a dry day: blank in the portal


def test_rows_of_another_station_are_kept_apart(exports):
    export = exports["OBS_ASOS_DD_1985_1989.csv"]
    assert sorted(set(export.stations.tolist())) == [108, 116]
    assert (export.stations == 116).sum() == 1_823
    gwanaksan = merge_portal_exports(list(exports.values()), 116)
    assert len(gwanaksan.table) == 2_738
    assert gwanaksan.table["date"].iloc[[0, -1]].dt.date.tolist() == [
        date(1983, 7, 1),
        date(1990, 12, 31),
    ]
    assert gwanaksan.skipped_rows[108] == 41_620


def test_a_shuffled_copy_reads_the_same(asos_files, exports):
    """Columns are found by header: reordering them in the file changes nothing."""
    lines = asos_files[SURFACE_2014].decode("cp949").splitlines()
    order = list(range(59))[::-1]
    shuffled = "\n".join(",".join(np.array(line.split(","))[order]) for line in lines) + "\n"
    again = read_portal_export(shuffled.encode("cp949"), "shuffled.csv")
    original = exports[SURFACE_2014]
    pd.testing.assert_frame_equal(
        again.values[original.values.columns], original.values, check_dtype=False
    )
    assert np.array_equal(again.dates, original.dates)


def test_the_folder_merged_is_the_tidy_file(exports, shared_data):
    """Every day and element of seoul_asos_daily.csv, which holds the union of the exports."""
    merged = merge_portal_exports(list(exports.values()), 108)
    tidy = pd.read_csv(shared_data / "seoul_asos_daily.csv", parse_dates=["date"])

    assert len(merged.table) == 39_794 and merged.days_in_several_files == 1_826
    assert merged.skipped_rows == {116: 2_738} and merged.rows_read == 44_358
    observed = merged.table[merged.table.drop(columns="date").notna().any(axis=1)]
    observed = observed.reset_index(drop=True)
    observed["ca_mid"] = observed["ca_mid"].where(observed["ca_mid"] != -999)  # as the tidy file
    assert len(observed) == len(tidy) == 39_673
    pd.testing.assert_frame_equal(observed[tidy.columns], tidy, check_dtype=False)


def test_a_day_in_two_files_is_their_union(exports):
    everything = merge_portal_exports(list(exports.values()), 108).table.set_index("date")
    older = [export for name, export in exports.items() if name.startswith("OBS_")]
    older_only = merge_portal_exports(older, 108).table.set_index("date")
    filled = older_only.isna() & everything[older_only.columns].notna()
    # The newer per-year files fill 31 cells the older export left blank (shared/data README).
    assert filled.to_numpy().sum() == 31
    assert filled.sum()[lambda counts: counts > 0].to_dict() == {
        "ca_mid": 21, "rn_d99": 1, "te_03": 8, "te_50": 1
    }  # fmt: skip
    assert set(filled.index[filled.any(axis=1)].year) <= {2014, 2015, 2016, 2017, 2018}


def test_the_bytes_of_a_day_in_two_files_hold_both(exports):
    both = [
        exports["SURFACE_ASOS_108_DAY_2016_2016_2017.csv"],
        exports["OBS_ASOS_DD_2015_2021.csv"],
    ]
    merged = merge_portal_exports(both, 108)
    position = int(np.flatnonzero(merged.table["date"] == pd.Timestamp("2016-03-01"))[0])
    text = merged.day_bytes(position).decode("cp949")
    lines = text.splitlines()

    assert merged.days_in_several_files == 366
    assert len(lines) == 4 and text.count("2016-03-01") == 2  # both headers, both lines
    assert lines[0].startswith("지점,지점명,일시,")  # OBS_... sorts before SURFACE_..., whatever
    assert lines[1].startswith("108,서울,2016-03-01,")  # the order they were given in
    assert lines[2].startswith("지점,일시,") and lines[3].startswith("108,2016-03-01,")
    assert text.endswith("\r\n")  # each line as its file has it


def test_two_files_that_disagree_are_refused(asos_files, exports):
    text = asos_files[SURFACE_2014].decode("cp949")
    changed = text.replace("108,2014-01-02,1.5,-1.3,", "108,2014-01-02,1.6,-1.3,")
    assert changed != text
    copy = read_portal_export(changed.encode("cp949"), SURFACE_2014)
    with pytest.raises(PortalConflict) as refused:
        merge_portal_exports([exports[OBS_2010], copy], 108)
    message = str(refused.value)
    obs_line = int(day_line(exports[OBS_2010], "2014-01-02"))
    assert message == (
        f"{OBS_2010}: line {obs_line} and {SURFACE_2014}: line 3 disagree on 2014-01-02 "
        "ta_avg (평균기온(°C)): 1.5 against 1.6"
    )


def day_line(export, day: str) -> int:
    (row,) = np.flatnonzero((export.dates == np.datetime64(day)) & (export.stations == 108))
    return export.line_numbers[row]


def test_no_row_of_the_station(exports):
    with pytest.raises(NoRowsOfStation, match=r"no row of station 159; the files hold 108 \(823"):
        merge_portal_exports([exports["OBS_ASOS_DD_1907_1909.csv"]], 159)


def with_letter(line: bytes, field: int) -> bytes:
    fields = line.split(b",")
    fields[field] += b"x"
    return b",".join(fields)


def broken_copies(data: bytes) -> dict[str, tuple[bytes, int, str]]:
    """Damaged copies of a real export: (bytes, line named, reason)."""
    lines = data.split(b"\n")
    cut = len(b"\n".join(lines[:101])) + 40  # in the middle of line 102
    bad_byte = data.replace(lines[200], lines[200][:20] + b"\xff\xfe" + lines[200][22:], 1)
    return {
        "truncated": (data[:cut], 102, "expected 62 columns, found"),
        "corrupted": (bad_byte, 201, "not cp949 text"),
        "time": (data.replace(b",1535,", b",15:35,", 1), 2, "ta_max_tm '15:35' is not a time"),
        "number": (data.replace(lines[50], with_letter(lines[50], 3), 1), 51, "ta_avg '"),
        "unknown column": (data.replace("가조시간".encode("cp949"), b"daylight", 1), 1, "unknown"),
    }


@pytest.mark.parametrize("damage", ["truncated", "corrupted", "time", "number", "unknown column"])
def test_a_damaged_export_names_file_and_line(shared_data, damage):
    name = "OBS_ASOS_DD_2010_2014.csv"
    data = (shared_data / ASOS_FOLDER / name).read_bytes()
    if damage == "time":
        data, name = (shared_data / ASOS_FOLDER / SURFACE_2014).read_bytes(), SURFACE_2014
    broken, line, reason = broken_copies(data)[damage]
    with pytest.raises(PortalFormatError) as refused:
        read_portal_export(broken, str(Path("copies") / name))
    assert refused.value.line_number == line
    assert str(refused.value).startswith(f"copies/{name}: line {line}: ")
    assert reason in str(refused.value)

"""Importing a KMA data-portal export into the raw and clean layers (and the CLI)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from seoulcast_assets.cleaning.portal import PARSED_ASOS_HEADER, import_portal
from seoulcast_assets.cleaning.tables import read_year_tables
from seoulcast_assets.cli import main
from seoulcast_assets.kma import parse_asos_daily
from seoulcast_assets.kma.portal import PortalFormatError
from seoulcast_assets.layout import clean_key, clean_year_key, raw_parsed_key, raw_reply_key
from seoulcast_assets.storage import LocalObjectStore
from tests.cleaning.conftest import MemoryStore

PORTAL = "kma_portal_seoul_1907-2018.csv"
HEADER = "날짜,지점,평균기온(℃),최저기온(℃),최고기온(℃)"


@pytest.fixture(scope="module")
def portal_data(shared_data) -> bytes:
    return (shared_data / PORTAL).read_bytes()


@pytest.fixture(scope="module")
def imported(portal_data):
    store = MemoryStore()
    return store, import_portal(portal_data, store)


def lines_between(data: bytes, first: str, last: str) -> bytes:
    """The export's header and its lines for the days first..last, as bytes."""
    lines = data.split(b"\n")
    chosen = [line for line in lines[1:] if line and first <= line[2:12].decode() <= last]
    return b"\n".join([lines[0], *chosen, b""])


def test_the_real_export_fills_the_raw_and_clean_layers(imported):
    store, result = imported
    report = result.cleaning
    assert (result.listed_days, result.observed_days, result.kept_days) == (40_204, 39_448, 0)
    assert (report.first_day, report.last_day) == (date(1907, 10, 1), date(2018, 12, 31))
    assert report.days == (date(2018, 12, 31) - date(1907, 10, 1)).days + 1 == 40_635
    assert len(store.list_keys("raw/asos/")) == 2 * 40_204
    assert len(store.list_keys("result/temperature/")) == 40_635
    assert len(store.list_keys("result/pm10/")) == (date(2018, 12, 31) - date(2008, 4, 28)).days + 1
    assert store.list_keys("result/daily/") == [clean_year_key(y) for y in range(1907, 2019)]

    table = read_year_tables(store.get(key) for key in store.list_keys("result/daily/"))
    by_day = table.set_index("date")
    assert len(table) == 40_635 and table["date"].is_unique
    assert by_day.at[pd.Timestamp("1927-12-31"), "ta_min"] == -23.1
    assert by_day.at[pd.Timestamp("2018-08-01"), "ta_max"] == 39.6


def test_the_war_gap_stays_missing(imported):
    store, result = imported
    report = result.cleaning
    assert len(report.war_gap_days) == 1187
    assert (report.war_gap_days[0], report.war_gap_days[-1]) == (
        date(1950, 9, 1),
        date(1953, 11, 30),
    )
    assert report.missing_temperature_days == []
    day = store.get(clean_key("temperature", date(1952, 5, 5))).decode()
    assert day == "date,ta_avg,ta_max,ta_min,flags\n1952-05-05,,,,ta:war_gap\n"
    # The portal lists 1952-05-05 with empty cells: a raw day without a row; 1950-09-26 it omits.
    assert store.get(raw_parsed_key("asos", date(1952, 5, 5))) == f"{PARSED_ASOS_HEADER}\n".encode()
    assert not store.exists(raw_parsed_key("asos", date(1950, 9, 26)))
    assert store.exists(clean_key("temperature", date(1950, 9, 26)))


def test_values_the_portal_lacks_are_interpolated_and_flagged(imported):
    store, result = imported
    report = result.cleaning
    assert report.flag_days == {
        "ta:war_gap": 1187,
        "ta_max:interpolated": 3,  # 1967-02-19, 1973-10-16, 2017-10-12
        "ta_min:interpolated": 2,  # 1967-02-19, 1973-10-16
        "pm10:not_collected": 3900,  # no PM10 collected: empty, flagged, from 2008-04-28
    }
    line = store.get(clean_key("temperature", date(2017, 10, 12))).decode().splitlines()[1]
    day_before = store.get(clean_key("temperature", date(2017, 10, 11))).decode().splitlines()[1]
    day_after = store.get(clean_key("temperature", date(2017, 10, 13))).decode().splitlines()[1]
    ta_max = (float(day_before.split(",")[2]) + float(day_after.split(",")[2])) / 2
    assert line == f"2017-10-12,11.4,{round(ta_max, 1)},8.8,ta_max:interpolated"


def test_raw_days_are_the_exports_bytes_and_a_parsed_asos_day(imported, portal_data):
    store, _ = imported
    reply = store.get(raw_reply_key("asos", date(1927, 12, 31)))
    assert reply.decode("cp949") == f'{HEADER}\n"\t1927-12-31",108,-15.3,-23.1,-6.4\n'
    assert portal_data.startswith(reply.split(b"\n")[0]) and reply.split(b"\n")[1] in portal_data
    parsed = pd.read_csv(
        pd.io.common.BytesIO(store.get(raw_parsed_key("asos", date(1927, 12, 31))))
    )
    assert len(parsed.columns) == 56 and parsed.columns[0] == "date"
    assert parsed.loc[0, ["stn", "ta_avg", "ta_max", "ta_min"]].tolist() == [
        108,
        -15.3,
        -6.4,
        -23.1,
    ]
    assert parsed.drop(columns=["date", "stn", "ta_avg", "ta_max", "ta_min"]).isna().all().all()


@pytest.mark.parametrize(
    ("edit", "line", "reason"),
    [
        (lambda text: text.encode("utf-8"), 1, "not cp949 text"),
        (
            lambda text: text.replace('"\t1907-10-05"', '"\t1907-10-5"').encode("cp949"),
            6,
            "not a date",
        ),
        (
            lambda text: text.replace("16.5,11.2,22", "16.5,11..2,22").encode("cp949"),
            5,
            "not a number",
        ),
        (
            lambda text: text.replace("평균기온(℃),", "").encode("cp949"),
            2,
            "expected 4 columns, found 5",
        ),
        (
            lambda text: text.replace(",108,16.2,7.9,22\n", ",108,16.2,7.9\n").encode("cp949"),
            3,
            "expected 5 columns",
        ),
        (
            lambda text: text.replace("평균기온", "평균 기온", 1).encode("cp949"),
            1,
            "unknown column '평균 기온",
        ),
    ],
    ids=["encoding", "date", "number", "columns", "short-row", "header"],
)
def test_a_malformed_export_names_the_line_and_writes_nothing(portal_data, edit, line, reason):
    text = lines_between(portal_data, "1907-10-01", "1907-10-31").decode("cp949")
    store = MemoryStore()
    with pytest.raises(PortalFormatError, match=reason) as raised:
        import_portal(edit(text), store)
    assert raised.value.line_number == line
    assert store.objects == {}


def test_a_bad_line_at_the_end_of_the_real_file_stops_everything(portal_data):
    broken = portal_data.replace(b'"\t2018-12-30",108,-6.8', b'"\t2018-12-30",108,-6.8.')
    store = MemoryStore()
    with pytest.raises(PortalFormatError, match="line 40204: ta_avg '-6.8.' is not a number"):
        import_portal(broken, store)
    assert store.objects == {}


def test_days_already_collected_are_kept_unless_replaced(portal_data):
    store = MemoryStore()
    collected = b"#START7777\n(a reply from the API)\n#7777END\n"
    store.put(raw_reply_key("asos", date(1907, 10, 3)), collected)
    store.put(raw_parsed_key("asos", date(1907, 10, 3)), f"{PARSED_ASOS_HEADER}\n".encode())
    month = lines_between(portal_data, "1907-10-01", "1907-10-31")
    result = import_portal(month, store)
    assert result.kept_days == 1 and result.raw_objects_written == 60
    assert store.get(raw_reply_key("asos", date(1907, 10, 3))) == collected
    assert result.cleaning.flags_of(date(1907, 10, 3)) == [
        "ta:no_observation",
        "ta_avg:interpolated",
        "ta_max:interpolated",
        "ta_min:interpolated",
    ]
    replaced = import_portal(month, store, replace=True)
    assert replaced.kept_days == 0 and replaced.raw_objects_changed == 2
    assert replaced.cleaning.flags_of(date(1907, 10, 3)) == []


def test_the_command_imports_and_reports(portal_data, tmp_path, capsys):
    export = tmp_path / "export.csv"
    export.write_bytes(lines_between(portal_data, "1950-08-01", "1954-01-31"))
    store_dir = tmp_path / "store"
    assert main(["import-portal", str(export), "--storage", store_dir.as_uri()]) == 0
    out = capsys.readouterr().out
    assert "days         1950-08-01 .. 1954-01-31: 849 listed, 93 with observations" in out
    assert "war gap      1950-09-01 .. 1953-11-30: 1187 days" in out
    store = LocalObjectStore(store_dir)
    assert store.list_keys("result/daily/") == [clean_year_key(y) for y in range(1950, 1955)]
    assert len(store.list_keys("result/temperature/")) == 1280
    # Importing again changes nothing.
    assert main(["import-portal", str(export), "--storage", store_dir.as_uri()]) == 0
    assert "0 changed" in capsys.readouterr().out


def test_the_command_refuses_a_broken_file_and_a_missing_one(portal_data, tmp_path, capsys):
    export = tmp_path / "export.csv"
    text = lines_between(portal_data, "1907-10-01", "1907-10-31").decode("cp949")
    export.write_bytes(text.replace('"\t1907-10-05"', '"\t1907-13-05"').encode("cp949"))
    store_dir = tmp_path / "store"
    assert main(["import-portal", str(export), "--storage", str(store_dir)]) == 1
    error = capsys.readouterr().err
    assert (
        "export.csv: line 6: '\\t1907-13-05' is not a date (YYYY-MM-DD); nothing was written"
        in error
    )
    assert not store_dir.exists() or not any(store_dir.rglob("*.*"))
    assert main(["import-portal", str(tmp_path / "absent.csv"), "--storage", str(store_dir)]) == 2


def test_import_into_s3(portal_data, s3_store):
    month = lines_between(portal_data, "2018-07-15", "2018-08-15")
    result = import_portal(month, s3_store)
    assert result.raw_objects_changed == 64 and result.cleaning.objects_changed == 32 + 32 + 1
    line = s3_store.get(clean_key("temperature", date(2018, 8, 1))).decode().splitlines()[1]
    assert line.startswith("2018-08-01,33.6,39.6,27.8")
    parsed = parse_asos_daily
    assert parsed is not None  # the raw .txt of an import is the export's text, not a KMA reply

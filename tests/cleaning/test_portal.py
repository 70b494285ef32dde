"""Importing a KMA data-portal export into the raw and clean layers (and the CLI)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.cleaning.elements import (
    BY_NAME,
    DECIMALS,
    ELEMENT_NAMES,
    NONE_IS_ZERO,
    OBSERVED_ELEMENTS,
    WEATHER_COLUMNS,
)
from seoulcast_assets.cleaning.flags import TEMPERATURE_COLUMNS, split_flags
from seoulcast_assets.cleaning.portal import (
    PARSED_ASOS_HEADER,
    PORTAL_PARSED_HEADER,
    PortalFile,
    import_portal,
)
from seoulcast_assets.cleaning.tables import read_year_tables
from seoulcast_assets.cli import main
from seoulcast_assets.collection import collect_asos
from seoulcast_assets.kma import KmaClient, parse_asos_daily
from seoulcast_assets.kma.portal import PortalFormatError
from seoulcast_assets.kma_emulator import KmaEmulator, ObservedWeather
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
    assert (
        store.get(raw_parsed_key("asos", date(1952, 5, 5))) == f"{PORTAL_PARSED_HEADER}\n".encode()
    )
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
        "weather:no_observation": 39_448,  # the temperature export has no other element
        "weather:war_gap": 1187,
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
    assert list(parsed.columns) == PORTAL_PARSED_HEADER.split(",")  # the 56, then source
    assert parsed.loc[0, "source"] == "portal-import"
    assert parsed.loc[0, ["stn", "ta_avg", "ta_max", "ta_min"]].tolist() == [
        108,
        -15.3,
        -6.4,
        -23.1,
    ]
    others = parsed.drop(columns=["date", "stn", "ta_avg", "ta_max", "ta_min", "source"])
    assert others.isna().all().all()


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
        "weather:no_observation",
    ]
    replaced = import_portal(month, store, replace=True)
    assert replaced.kept_days == 0 and replaced.raw_objects_changed == 2
    assert replaced.cleaning.flags_of(date(1907, 10, 3)) == ["weather:no_observation"]


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
    assert result.raw_objects_changed == 64 and result.cleaning.objects_changed == 3 * 32 + 1
    line = s3_store.get(clean_key("temperature", date(2018, 8, 1))).decode().splitlines()[1]
    assert line.startswith("2018-08-01,33.6,39.6,27.8")
    parsed = parse_asos_daily
    assert parsed is not None  # the raw .txt of an import is the export's text, not a KMA reply


# -- the full ASOS exports -----------------------------------------------------------------------

ASOS_FOLDER = "kma_portal_asos_108"
OBS_2010, OBS_2015 = "OBS_ASOS_DD_2010_2014.csv", "OBS_ASOS_DD_2015_2021.csv"
SURFACE = "SURFACE_ASOS_108_DAY_{0}_{0}_{1}.csv".format
TIMES = [name for name in PARSED_ASOS_HEADER.split(",") if name.endswith("_tm")]


@pytest.fixture(scope="module")
def asos_folder(shared_data) -> Path:
    return shared_data / ASOS_FOLDER


@pytest.fixture(scope="module")
def folder_imported(asos_folder):
    files = [PortalFile(path.name, path.read_bytes()) for path in sorted(asos_folder.iterdir())]
    store = MemoryStore()
    return store, import_portal(files, store)


def raw_days(store) -> pd.DataFrame:
    """Every parsed raw ASOS day in the store, as one table (times as HHMM text)."""
    bodies = [store.get(key) for key in store.list_keys("raw/asos/") if key.endswith(".csv")]
    assert {body.split(b"\n", 1)[0] for body in bodies} == {PORTAL_PARSED_HEADER.encode()}
    rows = b"".join(body.split(b"\n", 1)[1] for body in bodies)
    text = PORTAL_PARSED_HEADER.encode() + b"\n" + rows
    return pd.read_csv(io.BytesIO(text), parse_dates=["date"], dtype=dict.fromkeys(TIMES, str))


def raw_day(store, day: str) -> pd.Series:
    table = pd.read_csv(
        io.BytesIO(store.get(raw_parsed_key("asos", date.fromisoformat(day)))),
        dtype=dict.fromkeys(TIMES, str),
    )
    return table.iloc[0]


def linked_folder(tmp_path: Path, asos_folder: Path, *names: str) -> Path:
    """A folder of links to real exports (nothing copied)."""
    folder = tmp_path / "exports"
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).symlink_to(asos_folder / name)
    return folder


def test_the_whole_folder_fills_the_raw_layer(folder_imported):
    store, result = folder_imported
    assert (result.files, result.rows_read, result.skipped_rows) == (21, 44_358, {116: 2_738})
    assert (result.listed_days, result.observed_days) == (39_794, 39_673)
    assert result.days_in_several_files == 1_826  # 2014..2018, in both export versions
    assert result.raw_objects_written == result.raw_objects_changed == 2 * 39_794
    assert len(store.list_keys("raw/asos/")) == 2 * 39_794
    report = result.cleaning
    assert (report.first_day, report.last_day) == (date(1907, 10, 1), date(2018, 12, 31))
    assert report.days == 40_635


def test_the_raw_layer_holds_the_tidy_file(folder_imported, shared_data):
    """Every day and element seoul_asos_daily.csv and the raw layer both hold, equal."""
    store, _ = folder_imported
    raw = raw_days(store).set_index("date")
    tidy = pd.read_csv(shared_data / "seoul_asos_daily.csv", parse_dates=["date"])
    tidy = tidy.set_index("date")
    shared = [name for name in tidy.columns if name in raw.columns]

    assert list(raw.index) == list(tidy.index)  # the 39,673 observed days
    assert len(shared) == 51 and (raw["stn"] == 108).all()
    assert set(tidy.columns) - set(shared) == {
        "wd_frq", "ca_mid", "sd_hr3", "te_005", "te_01", "te_02", "te_03"
    }  # fmt: skip
    assert raw[["ss_cmb", "rn_pow_max", "rn_pow_max_tm"]].isna().all().all()  # not in the portal
    for name in shared:
        expected = tidy[name]
        if name in TIMES:  # as the parser gives them, -2335 and 2454 included
            got = raw[name].astype(float)
            assert raw[name].dropna().str.fullmatch(r"-?\d{4}").all(), name
        else:
            got = raw[name]
        pd.testing.assert_series_equal(got, expected, check_dtype=False, check_names=False)


def test_known_days_in_the_raw_layer(folder_imported):
    store, _ = folder_imported
    bolaven = raw_day(store, "2012-08-28")  # typhoon Bolaven
    assert (bolaven["ws_ins"], bolaven["wd_ins"], bolaven["ws_ins_tm"]) == (24.0, 160, "2229")
    assert (bolaven["ps_min"], bolaven["ws_max"]) == (983.9, 13.7)
    kompasu = raw_day(store, "2010-09-02")  # typhoon Kompasu
    assert (kompasu["ws_max"], kompasu["wd_max"], kompasu["ws_max_tm"]) == (14.0, 200, "0744")
    rain = raw_day(store, "2011-07-27")
    assert (rain["rn_day"], rain["rn_60m_max"], rain["rn_60m_max_tm"]) == (301.5, 59.0, "0856")
    snow = raw_day(store, "2010-01-04")
    assert (snow["sd_new"], snow["sd_max"], snow["ta_max"]) == (25.8, 28.5, -3.4)
    record = raw_day(store, "2018-08-01")
    assert (record["ta_max"], record["ta_max_tm"], record["ss_day"]) == (39.6, "1536", 12.6)
    assert pd.isna(record["rn_day"])  # a dry day: blank in the portal, -9.0 from the API
    trace = raw_day(store, "2014-01-01")
    assert (trace["rn_day"], trace["rn_dur"], trace["ta_min"]) == (0.0, 0.03, 0.3)
    assert raw_day(store, "2008-07-20")["rn_10m_max_tm"] == "-2355"  # kept as the record has it
    assert raw_day(store, "1942-12-02")["ta_min_tm"] == "2454"  # the cleaning removes it


def test_the_txt_holds_the_exports_own_bytes(folder_imported, asos_folder):
    store, _ = folder_imported
    obs = (asos_folder / OBS_2015).read_bytes().splitlines(keepends=True)
    surface = (asos_folder / SURFACE(2016, 2017)).read_bytes().splitlines(keepends=True)
    [obs_line] = [line for line in obs if b",2016-03-01," in line]
    [surface_line] = [line for line in surface if b",2016-03-01," in line]
    assert store.get(raw_reply_key("asos", date(2016, 3, 1))) == (
        obs[0] + obs_line + surface[0] + surface_line
    )
    first = (asos_folder / "OBS_ASOS_DD_1907_1909.csv").read_bytes().splitlines(keepends=True)
    assert store.get(raw_reply_key("asos", date(1907, 10, 1))) == first[0] + first[1]


def test_a_parsed_day_is_what_the_api_route_stores(folder_imported, asos_folder):
    """Collecting the same days from the emulator serving the folder stores the same 56
    columns, cell for cell (the raw layer's contract)."""
    store, _ = folder_imported
    source = ObservedWeather.from_files(portal_csv=asos_folder)
    collected = MemoryStore()
    months = ((date(2010, 1, 1), date(2010, 1, 31)), (date(2012, 8, 1), date(2012, 9, 30)))
    with KmaEmulator(source).running() as emulator:
        client = KmaClient(emulator.base_url, timeout=60)
        for first, last in months:
            collect_asos(client, collected, first, last)
    days = [key for key in collected.list_keys("raw/asos/") if key.endswith(".csv")]
    assert len(days) == 31 + 61
    columns = PARSED_ASOS_HEADER.split(",")
    for key in days:
        by_api, by_import = (
            pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)
            for body in (collected.get(key), store.get(key))
        )
        assert list(by_api.columns) == list(by_import.columns) == [*columns, "source"], key
        pd.testing.assert_frame_equal(by_api[columns], by_import[columns], obj=key)
        assert (by_api["source"].item(), by_import["source"].item()) == (
            "emulator-observed",
            "portal-import",
        )


def test_another_station_on_request(asos_folder):
    files = [
        PortalFile(name, (asos_folder / name).read_bytes())
        for name in ("OBS_ASOS_DD_1985_1989.csv",)
    ]
    store = MemoryStore()
    result = import_portal(files, store, station=116)
    assert (result.listed_days, result.skipped_rows) == (1_823, {108: 1_826})
    day = raw_day(store, "1987-01-15")
    assert day["stn"] == 116
    assert (
        store.get(raw_reply_key("asos", date(1987, 1, 15)))
        .split(b"\n")[1]
        .startswith("116,관악산,1987-01-15,".encode("cp949"))
    )


def test_the_command_imports_a_folder(asos_folder, tmp_path, capsys):
    folder = linked_folder(
        tmp_path, asos_folder, OBS_2015, SURFACE(2016, 2017), SURFACE(2017, 2018)
    )
    store_dir = tmp_path / "store"
    assert main(["import-portal", str(folder), "--storage", store_dir.as_uri()]) == 0
    out = capsys.readouterr().out
    assert "Imported 3 files (station 108)" in out
    assert "2015-01-01 .. 2018-12-31: 1461 listed, 1461 with observations, 731 in more" in out
    assert "raw layer    2922 objects written (2922 changed)" in out
    assert main(["import-portal", str(folder), "--storage", store_dir.as_uri(), "--replace"]) == 0
    assert "raw layer    2922 objects written (0 changed)" in capsys.readouterr().out


@pytest.mark.parametrize("damage", ["truncated", "conflict", "station"])
def test_a_bad_file_among_several_writes_nothing(asos_folder, tmp_path, capsys, damage):
    folder = linked_folder(tmp_path, asos_folder, "OBS_ASOS_DD_2005_2009.csv", SURFACE(2014, 2015))
    data = (asos_folder / OBS_2010).read_bytes()
    station = "108"
    if damage == "truncated":
        data = data[: data.index(b",2012-06-01,") + 30]  # cut inside line 884
        expected = f"{folder / OBS_2010}: line 884: expected 62 columns, found 7"
    elif damage == "conflict":
        data = data.replace(b"2014-01-02,1.5,", b"2014-01-02,1.6,")
        expected = (
            f"{folder / OBS_2010}: line 1464 and {folder / SURFACE(2014, 2015)}: line 3 disagree "
            "on 2014-01-02 ta_avg (평균기온(°C)): 1.6 against 1.5"
        )
    else:
        station, expected = "159", "no row of station 159; the files hold 108 (4017 rows)"
    (folder / OBS_2010).write_bytes(data)  # a damaged copy beside the links
    store_dir = tmp_path / "store"
    argv = ["import-portal", str(folder), "--storage", store_dir.as_uri(), "--station", station]
    assert main(argv) == 1
    error = capsys.readouterr().err
    assert expected in error and error.rstrip().endswith("nothing was written")
    assert not store_dir.exists() or not any(path.is_file() for path in store_dir.rglob("*"))


# -- the cleaned elements of the whole folder -----------------------------------------------------


def cleaned_table(store) -> pd.DataFrame:
    keys = store.list_keys("result/daily/")
    return read_year_tables(store.get(key) for key in keys).set_index("date")


def tidy_as_cleaned(tidy: pd.DataFrame) -> pd.DataFrame:
    """The tidy file's values as the cleaned table writes them: rounded, and a blank rain or
    snow cell on a day with weather observations (from the element's first day) as none."""
    expected = pd.DataFrame(index=tidy.index)
    with_weather = tidy[list(OBSERVED_ELEMENTS)].notna().any(axis=1)
    for column in (*TEMPERATURE_COLUMNS, *ELEMENT_NAMES):
        values = tidy[column]
        if column in NONE_IS_ZERO:
            begun = tidy.index >= pd.Timestamp(BY_NAME[column].first_day)
            values = values.mask(values.isna() & with_weather & begun, 0.0)
        expected[column] = values.round(DECIMALS.get(column, 1))
    return expected


def test_the_cleaned_folder_equals_the_tidy_file_except_where_a_flag_says_why(
    folder_imported, shared_data
):
    """Every day and element both hold: the same value, or a flag of that element (or its
    day) saying why it differs. Counts the days each explaining flag changed."""
    store, _ = folder_imported
    table = cleaned_table(store)
    tidy = pd.read_csv(shared_data / "seoul_asos_daily.csv", parse_dates=["date"])
    expected = tidy_as_cleaned(tidy.set_index("date"))
    ours = table.reindex(expected.index)
    changed: Counter = Counter()
    for column in expected.columns:
        differ = ~(
            (ours[column] == expected[column]) | (ours[column].isna() & expected[column].isna())
        )
        subjects = {column, "ta"} if column in TEMPERATURE_COLUMNS else {column, "weather"}
        for day in expected.index[differ.to_numpy()]:
            why = [
                flag
                for flag in split_flags(ours.at[day, "flags"])
                if flag.partition(":")[0] in subjects and not flag.endswith(":missing")
            ]
            assert why, (
                f"{day:%Y-%m-%d} {column}: {ours.at[day, column]} vs {expected.at[day, column]}"
            )
            changed.update(why)
    print(f"\nfolder import against seoul_asos_daily.csv, values changed by flag: {dict(changed)}")
    assert dict(changed) == {
        "ta_max:interpolated": 2,  # 1973-10-16, 2017-10-12: blank in the exports
        "ta_min:interpolated": 1,  # 1973-10-16
        "ws_avg:inconsistent": 180,  # ws_avg > ws_max, 1907-1949
        "ws_max:inconsistent": 180,
        "ps_min:inconsistent": 1,  # 1959-06-10
        "ps_avg:inconsistent": 3,  # 1959-06-10, 1961-06-25, 2016-07-20
        "ps_max:inconsistent": 2,  # 1961-06-25, 2016-07-20
        "ts_avg:implausible": 1,  # 58.1 °C on 1929-07-29
        "te_05:implausible": 1,  # -24.3 °C on 1957-08-24
        "te_15:implausible": 1,  # -27.2 °C on 1916-12-15
        # times that are no time of day (above 2400 or minutes >= 60), 1942-1977
        "ta_max_tm:implausible": 2,  # 1570 on 1943-04-09, 163 on 1949-03-26
        "ta_min_tm:implausible": 7,  # 2454 on 1942-12-02, 490 on 1943-03-21, 2410, 2430 ...
        "ws_max_tm:implausible": 1,  # 2410 on 1964-01-15
        "ps_max_tm:implausible": 1,  # 2410 on 1977-07-07
        "ps_min_tm:implausible": 1,  # 2410 on 1963-11-05
    }


def test_known_days_of_the_cleaned_folder(folder_imported):
    store, _ = folder_imported
    table = cleaned_table(store)

    def day(text: str) -> pd.Series:
        return table.loc[pd.Timestamp(text)]

    kompasu = day("2010-09-02")  # typhoon Kompasu: 14 m/s from 200° (SSW), blowing NNE
    assert (kompasu["ws_max"], kompasu["wd_max"]) == (14.0, 200.0)
    assert (kompasu["ws_max_u"], kompasu["ws_max_v"]) == (4.8, 13.2)
    bolaven = day("2012-08-28")  # typhoon Bolaven
    assert (bolaven["ps_min"], bolaven["ws_max"]) == (983.9, 13.7)
    assert day("2011-07-27")["rn_day"] == 301.5  # the Umyeonsan landslide rain
    snow = day("2010-01-04")
    assert (snow["sd_new"], snow["sd_max"], snow["rn_day"]) == (25.8, 28.5, 14.2)
    record = day("2018-08-01")  # Seoul's hottest day: dry, blank in the portal
    assert (record["rn_day"], record["sd_new"], record["ss_day"]) == (0.0, 0.0, 12.6)
    assert day("2014-01-01")["rn_day"] == 0.0  # a trace
    assert (record["ta_max_tm"], kompasu["ws_max_tm"]) == (1536.0, 744.0)  # 15:36, 07:44
    odd = day("1942-12-02")  # the minimum "at 24:54": removed, the minimum itself kept
    assert np.isnan(odd["ta_min_tm"]) and "ta_min_tm:implausible" in odd["flags"]
    assert odd["ta_min"] == odd["ta_min"]
    assert (day("1987-06-09")["si_day"], record["source"]) == (33.48, "portal-import")
    weather = store.get(clean_key("weather", date(2010, 9, 2))).decode().splitlines()
    assert weather[0] == ",".join(["date", *WEATHER_COLUMNS, "source", "flags"])
    assert weather[1].startswith("2010-09-02,") and ",14.0,200.0,4.8,13.2," in weather[1]
    assert weather[1].endswith(",1626,312,1557,744,2348,646,portal-import,")  # the times
    early = day("1936-12-01")  # before Seoul's record of the dew point and new snow began
    assert np.isnan(early["td_avg"]) and np.isnan(early["sd_new"]) and early["sd_max"] == 0.0


def test_war_gap_days_of_the_folder_are_war_gap_days_whatever_they_hold(folder_imported):
    store, result = folder_imported
    table = cleaned_table(store).loc["1950-09-01":"1953-11-30"]
    assert len(table) == 1187 and result.cleaning.missing_temperature_days == []
    flags = table["flags"].map(split_flags)
    assert flags.map(lambda day: day == ["ta:war_gap", "weather:war_gap"]).all()
    assert table[list(TEMPERATURE_COLUMNS)].isna().all().all()
    with_rows = table["source"] == "portal-import"
    assert with_rows.sum() == 225  # rain or snow, no temperature: kept as measured
    assert table.loc[with_rows, "rn_day"].notna().all()  # 19 with snow only: 0.0, no rain
    assert table.loc["1953-08-13", "rn_day"] == 244.5
    assert (table.loc[~with_rows, "source"] == "").all()

"""Where a cleaned day's observations come from: the raw day's source column, or its .txt."""

from __future__ import annotations

from datetime import date

import pytest

from seoulcast_assets.cleaning import clean_days
from seoulcast_assets.cleaning.sources import is_portal_export, unrecorded_source
from seoulcast_assets.layout import raw_parsed_key, raw_reply_key
from tests.cleaning.conftest import asos_day_csv

KMA_REPLY = (
    "#START7777\n#  기상청 지상관측 일자료\n"
    "20240103,108,2.1,1800,270,5.3,1313,270,9.0,1313,0.1,4.0,1444,-4.0,712,-8.4,0.2,-7.4,52.0,"
    "31.0,1446,3.2,-9.0,-9.0,-9.00,1018.1,1028.4,1031.0,52,1025.2,1539,2.5,7.4,9.9,-9.0,9.41,"
    "1.02,1200,-9.0,-9.0,-9.00,-9.0,-9,-9.0,-9,-9.0,-9,-9.0,-9,-9.0,-9,3.3,6.8,9.0,13.9,16.4,\n"
    "#7777END\n"
).encode("euc-kr")


@pytest.fixture(scope="module")
def export_first_lines(shared_data) -> dict[str, bytes]:
    """The first line and a data line of every real data-portal export (read, not copied)."""
    paths = [shared_data / "kma_portal_seoul_1907-2018.csv"]
    paths += sorted((shared_data / "kma_portal_asos_108").iterdir())
    return {path.name: b"".join(path.read_bytes().splitlines(keepends=True)[:2]) for path in paths}


def test_every_real_export_is_recognised_and_a_kma_reply_is_not(export_first_lines):
    assert len(export_first_lines) == 22
    for name, lines in export_first_lines.items():
        assert is_portal_export(lines), name
        assert unrecorded_source(lines) == "portal-import"
    assert not is_portal_export(KMA_REPLY) and unrecorded_source(KMA_REPLY) == "kma"
    assert not is_portal_export(b"") and unrecorded_source(None) == "kma"
    assert not is_portal_export("지점,일시,아무개\n".encode("cp949"))  # not a portal header


def test_each_day_gets_its_source(memory_store, export_first_lines):
    triple = (0.1, 4.0, -4.0)
    portal_txt = export_first_lines["OBS_ASOS_DD_2015_2021.csv"]
    days = {
        date(2024, 1, 1): (
            asos_day_csv(date(2024, 1, 1), triple, source="emulator-synthetic"),
            b"",
        ),
        date(2024, 1, 2): (asos_day_csv(date(2024, 1, 2), triple, source="kma"), KMA_REPLY),
        date(2024, 1, 3): (asos_day_csv(date(2024, 1, 3), triple), KMA_REPLY),  # no column
        date(2024, 1, 4): (asos_day_csv(date(2024, 1, 4), triple), portal_txt),  # an old import
        date(2024, 1, 5): (asos_day_csv(date(2024, 1, 5), None, source="kma"), KMA_REPLY),
        date(2024, 1, 6): (asos_day_csv(date(2024, 1, 6), triple, source="portal-import"), b""),
    }
    for day, (parsed, reply) in days.items():
        memory_store.put(raw_reply_key("asos", day), reply)
        memory_store.put(raw_parsed_key("asos", day), parsed)
    report = clean_days(memory_store, date(2024, 1, 1), date(2024, 1, 7))
    assert report.table["source"].tolist() == [
        "emulator-synthetic",
        "kma",
        "kma",
        "portal-import",
        "",  # KMA sent no row
        "portal-import",
        "",  # not collected
    ]
    assert report.summary()["observations_source"] == {
        "": 2,
        "emulator-synthetic": 1,
        "kma": 2,
        "portal-import": 2,
    }

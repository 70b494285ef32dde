"""The emulator's replies look like KMA's, byte for byte where KMA's bytes are known."""

from __future__ import annotations

import re

import pandas as pd

from seoulcast_assets.kma.parse import parse_asos_daily, parse_pm10
from seoulcast_assets.kma_emulator import render
from tests.kma.samples import ASOS_FIXED_WIDTH_REPLY, ASOS_HELP_COMMA_REPLY
from tests.kma_emulator.conftest import data_rows, get

ASOS, PM10 = "kma_sfcdd3.php", "kma_pm10.php"
MARCH = {"tm1": "20240301", "tm2": "20240331", "stn": "108"}
KMA_HELP_BLOCK = ASOS_HELP_COMMA_REPLY[: ASOS_HELP_COMMA_REPLY.index("\n2025") + 1]
KMA_ROW = ASOS_FIXED_WIDTH_REPLY.splitlines()[1]


def field_ends(row: str) -> list[int]:
    return [match.end() for match in re.finditer(r"\S+", row)]


def test_help_1_sends_kmas_help_block_verbatim(emulator):
    response = get(emulator, ASOS, help="1", **MARCH)

    assert response.status_code == 200
    assert "euc-kr" in response.headers["Content-Type"].lower()
    text = response.content.decode("euc_kr")
    assert text.startswith(KMA_HELP_BLOCK)
    assert "# 52. TE_05         : 0.5m 지중온도 (C) \n" in text  # KMA's trailing space
    assert text.endswith("#7777END\n")


def test_without_help_only_the_column_headers_are_sent(emulator):
    text = get(emulator, ASOS, **MARCH).content.decode("euc_kr")
    assert text.startswith("#START7777\n# YYMMDD STN   WS")
    assert "#  1. TM" not in text
    assert len(parse_asos_daily(text)) == 31


def test_asos_rows_are_kmas_fixed_width_layout(emulator):
    rows = data_rows(get(emulator, ASOS, **MARCH))
    decimals = [len(field.partition(".")[2]) for field in KMA_ROW.split()]

    assert len(rows) == 31
    for row in rows:
        fields = row.split()
        assert len(fields) == 56
        assert field_ends(row) == field_ends(KMA_ROW)  # right-aligned in KMA's columns
        assert fields[1] == "108"
        # every field with the decimals KMA prints it with, a value or a sentinel
        assert [len(field.partition(".")[2]) for field in fields] == decimals, row
        assert re.fullmatch(r"-?\d+\.\d", fields[10])  # TA_AVG with one decimal
        # Campbell sunshine and rain intensity: not in Seoul's record, always KMA's sentinel
        assert (fields[34], fields[45], fields[46]) == ("-9.0", "-9.0", "-9")
    assert rows[0].startswith("20240301 108")
    dry = [row.split() for row in rows if row.split()[38] == "-9.0"]  # RN_DAY on a dry day
    assert dry and all(fields[40] == "-9.00" for fields in dry)  # and no rain duration


def test_fields_a_source_lacks_are_kmas_sentinels():
    days = pd.DataFrame({"date": pd.to_datetime(["2024-03-01"]), "ta_avg": [1.5]})
    fields = render.asos_reply(days, 108, help=False, comma=False).splitlines()[-2].split()
    assert fields[10] == "1.5"
    assert (fields[2], fields[3], fields[6], fields[24], fields[35]) == (
        "-9.0", "-9", "-9", "-9.00", "-9.00"
    )  # fmt: skip
    assert fields[15] == fields[17] == fields[51] == fields[55] == "-99.0"  # temperature-type


def test_disp_0_sends_comma_separated_rows_with_a_trailing_comma(emulator):
    fixed = get(emulator, ASOS, **MARCH)
    comma = get(emulator, ASOS, disp="0", **MARCH)

    for row in data_rows(comma):
        assert row.endswith(",")
        assert len(row.split(",")) == 57
    assert parse_asos_daily(comma.content).equals(parse_asos_daily(fixed.content))


def test_pm10_rows_are_kmas_layout(emulator):
    response = get(emulator, PM10, tm1="202403010000", tm2="202403012355", stn="108")
    rows = data_rows(response)

    assert response.content.decode("euc_kr").startswith("#START7777\n#")
    assert rows[0].startswith("202403010000,   108,")
    for row in rows:
        assert re.fullmatch(r"\d{12},   108,[ \d]{5},000000,,=", row), row
    readings = parse_pm10(response.content)
    assert len(readings) == len(rows)
    assert readings["time"].is_monotonic_increasing

"""Daily ASOS replies are read by position, with KMA's sentinels turned into missing values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from seoulcast_assets.kma.columns import ASOS_COLUMNS, ASOS_TEMPERATURE_COLUMNS
from seoulcast_assets.kma.errors import KmaMalformedReply, KmaTruncatedReply
from seoulcast_assets.kma.parse import parse_asos_daily, split_data_fields
from tests.kma.samples import ASOS_FIXED_WIDTH_REPLY, ASOS_HELP_COMMA_REPLY

BUSAN_ROWS = [line for line in ASOS_FIXED_WIDTH_REPLY.splitlines() if line[:1].isdigit()]


def reply(*rows: str) -> str:
    return "#START7777\n" + "".join(f"{row}\n" for row in rows) + "#7777END\n"


def with_field(row: str, position: int, value: str) -> str:
    """``row`` (whitespace-separated) with the 1-based field ``position`` replaced."""
    fields = row.split()
    fields[position - 1] = value
    return " ".join(fields)


def test_the_column_list_has_kmas_56_names_in_order():
    assert len(ASOS_COLUMNS) == 56
    assert ASOS_COLUMNS[:2] == ("tm", "stn")
    assert (ASOS_COLUMNS[10], ASOS_COLUMNS[11], ASOS_COLUMNS[13]) == ("ta_avg", "ta_max", "ta_min")
    assert ASOS_COLUMNS[38] == "rn_day"
    assert ASOS_COLUMNS[-1] == "te_50"
    assert len(set(ASOS_COLUMNS)) == 56


def test_verbatim_help_reply_with_a_comma_row():
    table = parse_asos_daily(ASOS_HELP_COMMA_REPLY)

    assert list(table.columns) == ["date", *ASOS_COLUMNS[1:]]
    assert len(table) == 1
    row = table.iloc[0]
    assert row["date"] == pd.Timestamp("2025-11-05")
    assert row["stn"] == 174
    assert (row["ws_avg"], row["wr_day"], row["wd_max"]) == (0.6, 545, 20)
    assert (row["ta_avg"], row["ta_max"], row["ta_min"]) == (10.0, 20.7, 3.0)
    assert (row["ta_max_tm"], row["ta_min_tm"]) == ("1444", "0712")
    assert row["ps_max_tm"] == "0052"  # printed as 52
    assert (row["pa_avg"], row["ps_avg"], row["ps_min"]) == (1002.1, 1022.1, 1018.9)
    # -9.0 / -9.00 / -9 sentinels in non-temperature fields, -99.0 in the TE_* sensors
    for name in ("ev_s", "ev_l", "fg_dur", "ss_cmb", "si_day", "rn_day", "sd_max"):
        assert math.isnan(row[name]), name
    assert pd.isna(row["si_60m_max_tm"])
    for name in ("te_05", "te_10", "te_15", "te_30", "te_50"):
        assert math.isnan(row[name]), name


def test_verbatim_fixed_width_rows():
    table = parse_asos_daily(ASOS_FIXED_WIDTH_REPLY)

    assert list(table["date"]) == [pd.Timestamp("2023-05-19"), pd.Timestamp("2023-05-20")]
    assert list(table["stn"]) == [159, 159]
    first, second = table.iloc[0], table.iloc[1]
    assert (first["ta_avg"], first["ta_max"], first["ta_max_tm"]) == (17.9, 21.8, "1618")
    assert (first["ta_min"], first["ta_min_tm"]) == (15.8, "0208")  # printed as 208
    assert (first["rn_day"], first["rn_dur"], first["rn_60m_max_tm"]) == (4.6, 9.45, "0003")
    assert (first["si_day"], first["si_60m_max"]) == (13.99, 1.98)
    assert (first["te_05"], first["te_50"]) == (22.0, 16.3)
    # 2023-05-20 was dry: KMA prints RN_DAY -9.0, read as "no rain reported"
    assert math.isnan(second["rn_day"])
    assert (second["ta_avg"], second["ta_min_tm"]) == (18.4, "0533")


def test_every_row_has_56_fields_whichever_delimiter():
    assert [len(split_data_fields(row)) for row in BUSAN_ROWS] == [56, 56]
    comma_row = ASOS_HELP_COMMA_REPLY.splitlines()[-2]
    assert comma_row.endswith(",")
    assert len(comma_row.split(",")) == 57
    assert len(split_data_fields(comma_row)) == 56


def test_comma_and_fixed_width_layouts_give_the_same_table():
    comma_rows = [",".join(row.split()) + "," for row in BUSAN_ROWS]
    pd.testing.assert_frame_equal(
        parse_asos_daily(reply(*comma_rows)), parse_asos_daily(ASOS_FIXED_WIDTH_REPLY)
    )


def test_a_real_minus_nine_degrees_stays_a_temperature():
    cold = with_field(with_field(BUSAN_ROWS[0], 11, "-9.0"), 14, "-9.0")
    cold = with_field(with_field(cold, 16, "-9.0"), 12, "-99.0")
    row = parse_asos_daily(reply(cold)).iloc[0]

    assert row["ta_avg"] == -9.0
    assert row["ta_min"] == -9.0
    assert row["td_avg"] == -9.0
    assert math.isnan(row["ta_max"])  # -99.0 is KMA's missing temperature


@pytest.mark.parametrize("sentinel", ["-99.0", "-99.9", "-999", "-90.0"])
def test_temperatures_at_or_below_minus_90_are_missing(sentinel):
    row = parse_asos_daily(reply(with_field(BUSAN_ROWS[0], 11, sentinel))).iloc[0]
    assert math.isnan(row["ta_avg"])


@pytest.mark.parametrize("sentinel", ["-9", "-9.0", "-9.00", "-99", "-99.9", "-999.0"])
def test_negative_all_nines_are_missing_in_other_fields(sentinel):
    row = parse_asos_daily(reply(with_field(BUSAN_ROWS[0], 19, sentinel))).iloc[0]  # HM_AVG
    assert math.isnan(row["hm_avg"])


def test_other_negative_values_are_kept_as_numbers():
    row = parse_asos_daily(reply(with_field(BUSAN_ROWS[0], 19, "-9.5"))).iloc[0]
    assert row["hm_avg"] == -9.5


def test_temperature_columns_are_the_celsius_fields():
    assert ASOS_TEMPERATURE_COLUMNS == {
        "ta_avg", "ta_max", "ta_min", "td_avg", "ts_avg", "tg_min",
        "te_05", "te_10", "te_15", "te_30", "te_50",
    }  # fmt: skip


def test_times_of_day_are_zero_padded():
    row = with_field(with_field(BUSAN_ROWS[0], 13, "3"), 15, "0")
    table = parse_asos_daily(reply(row))
    assert (table.at[0, "ta_max_tm"], table.at[0, "ta_min_tm"]) == ("0003", "0000")


def test_bytes_are_decoded_as_euc_kr():
    body = ASOS_HELP_COMMA_REPLY.encode("euc_kr")
    pd.testing.assert_frame_equal(parse_asos_daily(body), parse_asos_daily(ASOS_HELP_COMMA_REPLY))


def test_a_reply_without_rows_is_an_empty_table():
    table = parse_asos_daily(
        ASOS_HELP_COMMA_REPLY.replace(ASOS_HELP_COMMA_REPLY.splitlines()[-2] + "\n", "")
    )
    assert table.empty
    assert list(table.columns) == ["date", *ASOS_COLUMNS[1:]]


def test_a_row_with_a_missing_field_names_its_line():
    short = " ".join(BUSAN_ROWS[1].split()[:55])
    with pytest.raises(KmaMalformedReply) as caught:
        parse_asos_daily(reply(BUSAN_ROWS[0], short))
    assert caught.value.line_number == 3
    assert "expected 56 fields, found 55" in str(caught.value)
    assert "20230520 159" in str(caught.value)


def test_a_non_numeric_value_names_its_line_and_field():
    broken = with_field(BUSAN_ROWS[1], 26, "99x.7")
    with pytest.raises(KmaMalformedReply, match=r"line 3: PA_AVG is not a number"):
        parse_asos_daily(reply(BUSAN_ROWS[0], broken))


@pytest.mark.parametrize("stamp", ["20230230", "2023051", "2023-05-1", "20231319"])
def test_an_impossible_date_is_malformed(stamp):
    with pytest.raises(KmaMalformedReply, match="line 2: TM"):
        parse_asos_daily(reply(with_field(BUSAN_ROWS[0], 1, stamp)))


@pytest.mark.parametrize(
    ("printed", "kept"),
    [("1675", "1675"), ("2454", "2454"), ("2410", "2410"), ("90", "0090"), ("-2335", "-2335")],
)
def test_a_time_that_is_no_time_of_day_is_kept_for_the_cleaning_to_judge(printed, kept):
    """Seoul's record holds a few (2454 on 1942-12-02): one odd cell must not lose the reply."""
    table = parse_asos_daily(reply(with_field(BUSAN_ROWS[0], 13, printed), BUSAN_ROWS[1]))
    assert len(table) == 2 and table.at[0, "ta_max_tm"] == kept
    assert table.at[0, "ta_avg"] == parse_asos_daily(reply(BUSAN_ROWS[0])).at[0, "ta_avg"]


@pytest.mark.parametrize("sentinel", ["-9", "-99", "-9.0"])
def test_kmas_missing_code_in_a_time_is_missing(sentinel):
    row = parse_asos_daily(reply(with_field(BUSAN_ROWS[0], 13, sentinel))).iloc[0]
    assert pd.isna(row["ta_max_tm"])


def test_long_lines_are_shortened_in_the_message():
    garbage = "x" * 500
    with pytest.raises(KmaMalformedReply) as caught:
        parse_asos_daily(reply(garbage))
    assert len(str(caught.value)) < 250
    assert caught.value.line == garbage


def test_a_reply_without_its_end_marker_is_truncated():
    cut = ASOS_FIXED_WIDTH_REPLY[: ASOS_FIXED_WIDTH_REPLY.index("#7777END")]
    with pytest.raises(KmaTruncatedReply):
        parse_asos_daily(cut)


def test_a_reply_without_its_start_marker_is_malformed():
    with pytest.raises(KmaMalformedReply, match="#START7777"):
        parse_asos_daily(ASOS_FIXED_WIDTH_REPLY.replace("#START7777\n", ""))
    with pytest.raises(KmaMalformedReply, match="#START7777"):
        parse_asos_daily('{"result":{"status":403,"message":"활용신청이 필요한 API 입니다."}}')

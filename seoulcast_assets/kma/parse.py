"""Parse KMA text replies into tables (reference §1.6 and §2.3).

Columns are taken by position, never by header name. Dates and times are naive KST
``datetime64[ns]`` values: ASOS ``date`` is midnight of the observation day, PM10 ``time`` is
the 5-minute slot. Missing values become NaN according to KMA's sentinels:

* temperature-type fields (``ta_*``, ``td_avg``, ``ts_avg``, ``tg_min``, ``te_*``): a value at
  or below -90 is missing (KMA prints -99.0); a real -9.0 °C stays a temperature;
* every other numeric field: a negative number made only of nines (-9, -9.0, -9.00, -99.9,
  -999 ...) is missing. RN_DAY is -9.0 on a dry day as well as when there is no observation;
  the two cannot be told apart from the reply, so both come out as NaN and it is up to the
  caller to read NaN rainfall as "no rain reported";
* times of day (``*_tm``) become zero-padded ``HHMM`` strings (``208`` -> ``"0208"``), or NA;
* PM10: a negative reading is missing; FLAG and MQC are kept as received.

:func:`split_reply_by_day` and :func:`summarize_pm10_days` are re-exported here because
callers use them together with the parsers.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from seoulcast_assets.kma.columns import (
    ASOS_COLUMNS,
    ASOS_FIELD_COUNT,
    ASOS_TEMPERATURE_COLUMNS,
    ASOS_TIME_OF_DAY_COLUMNS,
    PM10_COLUMNS,
)
from seoulcast_assets.kma.errors import KmaMalformedReply
from seoulcast_assets.kma.framing import data_section, decode_reply, reply_lines
from seoulcast_assets.kma.reply import split_reply_by_day
from seoulcast_assets.kma.summary import summarize_pm10_days
from seoulcast_assets.kma.times import kma_times

__all__ = [
    "TEMPERATURE_MISSING_AT_OR_BELOW",
    "parse_asos_daily",
    "parse_pm10",
    "split_data_fields",
    "split_reply_by_day",
    "summarize_pm10_days",
]

TEMPERATURE_MISSING_AT_OR_BELOW = -90.0
_PM10_LINE = re.compile(
    r"\s*\d{12}\s*,\s*\d+\s*,\s*(?:-?\d+(?:\.\d*)?)?\s*,[^,]*,[^,]*(?:,\s*=?\s*)?"
)
_PM10_ROW = "not a PM10 row (TM, STN, PM10, FLAG, MQC, =)"
_PM10_READ_COLUMNS = [*PM10_COLUMNS, "end"]


def split_data_fields(line: str) -> list[str]:
    """Fields of one data line: split on commas if there is one (dropping the empty token after
    a trailing comma), otherwise on whitespace."""
    if "," not in line:
        return line.split()
    fields = [field.strip() for field in line.split(",")]
    if fields[-1] == "":
        fields.pop()
    return fields


def parse_asos_daily(reply: str | bytes) -> pd.DataFrame:
    """ASOS daily rows (``kma_sfcdd``/``kma_sfcdd3``) as a table.

    Columns: ``date`` (datetime64, midnight KST), ``stn`` (int), then the other 54 fields by
    their lowercase KMA names in KMA's order (floats, ``*_tm`` as ``HHMM`` strings).
    """
    section, first_number = data_section(_text(reply))
    lines = reply_lines(section)
    numbers, rows = [], []
    for number, line in enumerate(lines, start=first_number):
        if _is_data(line):
            fields = split_data_fields(line.strip())
            if len(fields) != ASOS_FIELD_COUNT:
                raise KmaMalformedReply(
                    f"expected {ASOS_FIELD_COUNT} fields, found {len(fields)}", number, line
                )
            numbers.append(number)
            rows.append(fields)
    if not rows:
        return _empty_asos_table()
    tokens = np.array(rows, dtype=str)
    check = _RowChecker(numbers, lines, first_number)

    stamps, stations = tokens[:, 0], tokens[:, 1]
    check.fail_where("TM is not an 8-digit date", ~_digits(stamps, 8))
    dates, valid = kma_times(stamps.astype(np.int64), with_time=False)
    check.fail_where("TM is not a calendar date", ~valid)
    check.fail_where("STN is not a station number", ~_digits(stations))

    values = _numbers(tokens[:, 2:], check)
    temperatures = values[:, _TEMPERATURE]
    values[:, _TEMPERATURE] = np.where(
        temperatures <= TEMPERATURE_MISSING_AT_OR_BELOW, np.nan, temperatures
    )
    others = values[:, _OTHER]
    values[:, _OTHER] = np.where(np.isin(np.round(others, 3), _ALL_NINES), np.nan, others)
    times = iter(_times_of_day(values[:, _TIME_OF_DAY], check))

    table: dict[str, object] = {"date": dates, "stn": stations.astype(np.int64)}
    for position, name in enumerate(_VALUE_COLUMNS):
        table[name] = next(times) if _TIME_OF_DAY[position] else values[:, position]
    return pd.DataFrame(table)


# The 54 value columns after TM and STN, and which missing-value rule each follows.
_VALUE_COLUMNS = ASOS_COLUMNS[2:]
_TIME_OF_DAY = np.array([name in ASOS_TIME_OF_DAY_COLUMNS for name in _VALUE_COLUMNS])
_TEMPERATURE = np.array([name in ASOS_TEMPERATURE_COLUMNS for name in _VALUE_COLUMNS])
_OTHER = ~(_TIME_OF_DAY | _TEMPERATURE)
# Negative numbers made only of nines: -9, -9.9, -99, -99.9, -999.99 ... (so -9.0 and -9.00).
_ALL_NINES = np.round(
    [-((10**whole - 1) + (1 - 10.0**-decimals)) for whole in range(1, 6) for decimals in range(4)],
    3,
)


class _RowChecker:
    """Raises :class:`KmaMalformedReply` naming the line of an offending row."""

    def __init__(self, numbers: list[int], lines: list[str], first_number: int):
        self.numbers, self.lines, self.first_number = numbers, lines, first_number

    def fail_where(self, reason: str, bad: np.ndarray) -> None:
        if bad.any():
            self.fail(reason, int(np.flatnonzero(bad)[0]))

    def fail(self, reason: str, row: int) -> None:
        number = self.numbers[row]
        raise KmaMalformedReply(reason, number, self.lines[number - self.first_number])


def _digits(column: np.ndarray, length: int | None = None) -> np.ndarray:
    ok = np.char.isdigit(column)
    return ok & (np.char.str_len(column) == length) if length else ok


def _numbers(text: np.ndarray, check: _RowChecker) -> np.ndarray:
    """The value fields as floats; an empty field is NaN, an unreadable one is named."""
    try:
        return np.where(text == "", "nan", text).astype(np.float64)
    except ValueError:
        pass
    for (row, position), cell in np.ndenumerate(text):
        try:
            float(cell or "nan")
        except ValueError:
            check.fail(f"{_VALUE_COLUMNS[position].upper()} is not a number", row)
    raise KmaMalformedReply("fields are not numbers")  # numpy and float() disagreed


def _times_of_day(values: np.ndarray, check: _RowChecker) -> list[pd.Series]:
    """``HHMM`` strings from KMA's unpadded times (``208`` -> ``0208``); negative means none."""
    present = values >= 0
    whole = np.where(present, values, 0)
    bad = present & ((whole % 1 != 0) | (whole > 2400) | (whole % 100 >= 60))
    if bad.any():
        row, position = np.argwhere(bad)[0]
        name = [name for name in _VALUE_COLUMNS if name in ASOS_TIME_OF_DAY_COLUMNS][position]
        check.fail(f"{name.upper()} is not a time of day (HHMM)", int(row))
    padded = np.char.zfill(whole.astype(np.int64).astype(str), 4).astype(object)
    padded[~present] = None
    return [pd.Series(column, dtype="string") for column in padded.T]


def _empty_asos_table() -> pd.DataFrame:
    columns: dict[str, pd.Series] = {
        "date": pd.Series(dtype="datetime64[ns]"),
        "stn": pd.Series(dtype=np.int64),
    }
    for position, name in enumerate(_VALUE_COLUMNS):
        columns[name] = pd.Series(dtype="string" if _TIME_OF_DAY[position] else np.float64)
    return pd.DataFrame(columns)


def parse_pm10(reply: str | bytes) -> pd.DataFrame:
    """5-minute PM10 readings (``kma_pm10``) as a table.

    Columns: ``time`` (datetime64, naive KST), ``stn`` (int), ``pm10`` (float µg/m³, NaN when
    KMA sent a negative or empty value), ``flag`` and ``mqc`` (strings as received).
    """
    section, first_number = data_section(_text(reply))
    if "#" in section:  # comment lines between readings (not seen from KMA): drop them first
        section = "\n".join(line for line in reply_lines(section) if _is_data(line))
    frame = _read_pm10_rows(section, first_number)
    times, valid = kma_times(frame["tm"].to_numpy(dtype=np.int64), with_time=True)
    valid &= frame["tm"].to_numpy(dtype=np.int64) >= 10**11
    end_marker = frame["end"].isin(["=", ""]).to_numpy()
    if not end_marker.all():  # tolerate blanks around "=" only where there are some
        end_marker = frame["end"].astype(str).str.strip().isin(["=", ""]).to_numpy()
    valid &= end_marker
    if not valid.all():
        _raise_bad_pm10_line(section, first_number, int(np.flatnonzero(~valid)[0]))
    pm10 = frame["pm10"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "time": times,
            "stn": frame["stn"].to_numpy(dtype=np.int64),
            "pm10": np.where(pm10 < 0, np.nan, pm10),
            "flag": frame["flag"].to_numpy(dtype=object),
            "mqc": frame["mqc"].to_numpy(dtype=object),
        }
    )


def _read_pm10_rows(section: str, first_number: int) -> pd.DataFrame:
    """The rows of a data section, typed; any row pandas cannot read is named by line."""
    for skip_blanks in (False, True):  # blanks before a value are rare: skip them only if needed
        try:
            frame = pd.read_csv(
                io.StringIO(section),
                header=None,
                names=_PM10_READ_COLUMNS,
                dtype={
                    "tm": np.int64,
                    "stn": np.int64,
                    "pm10": np.float64,
                    "flag": str,
                    "mqc": str,
                },
                keep_default_na=False,
                na_values={"pm10": [""]},
                skipinitialspace=skip_blanks,
            )
            break
        except pd.errors.EmptyDataError:
            return pd.DataFrame({name: [] for name in _PM10_READ_COLUMNS})
        except (ValueError, pd.errors.ParserError):
            continue
    else:
        _raise_bad_pm10_line(section, first_number)
        raise KmaMalformedReply("rows are not PM10 rows (TM, STN, PM10, FLAG, MQC, =)")
    if section.count(",") != 5 * len(frame):  # pandas pads short rows; find them
        _raise_bad_pm10_line(section, first_number)
    return frame


def _raise_bad_pm10_line(section: str, first_number: int, row: int | None = None) -> None:
    """Name the first line that is not a PM10 row (or the data line of ``row``)."""
    data_lines = (
        (number, line)
        for number, line in enumerate(reply_lines(section), start=first_number)
        if _is_data(line)
    )
    for index, (number, line) in enumerate(data_lines):
        if index == row or not _PM10_LINE.fullmatch(line):
            raise KmaMalformedReply(_PM10_ROW, number, line)


def _is_data(line: str) -> bool:
    """Data lines are all lines that are neither blank nor start with ``#``."""
    return bool(line) and line[0] != "#" and not line.isspace()


def _text(reply: str | bytes) -> str:
    return decode_reply(reply) if isinstance(reply, bytes) else reply

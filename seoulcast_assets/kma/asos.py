"""Parse daily ASOS replies (``kma_sfcdd``/``kma_sfcdd3``, reference §1.3-§1.6).

Fields are taken by position (KMA's header repeats short names such as ``TA``), 56 per row,
comma-separated (a trailing comma is dropped) or whitespace-separated. Missing values follow
KMA's sentinels:

* temperature-type fields (``ta_*``, ``td_avg``, ``ts_avg``, ``tg_min``, ``te_*``): a value at
  or below -90 is missing (KMA prints -99.0); a real -9.0 °C stays a temperature;
* every other numeric field: a negative number made only of nines (-9, -9.0, -9.00, -99.9,
  -999 ...) is missing. RN_DAY is -9.0 on a dry day as well as when there is no observation;
  the reply cannot tell the two apart, so both come out as NaN and it is up to the caller to
  read NaN rainfall as "no rain reported";
* times of day (``*_tm``) become zero-padded ``HHMM`` strings (``208`` -> ``"0208"``); KMA's
  missing code (-9 and the other all-nines numbers) is NA. A value that is not a time of day
  (``2454``, ``1570``, ``-2335``: Seoul's record holds a few) is kept in the same form
  (``"2454"``, ``"-2335"``) rather than refused: refusing it would lose every other day and
  field of the reply (a month, or a decade in one request) for one odd cell. The raw layer keeps
  what KMA sent; the cleaning removes such a value with a flag (``ta_min_tm:implausible``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from seoulcast_assets.kma.columns import (
    ASOS_COLUMNS,
    ASOS_FIELD_COUNT,
    ASOS_TEMPERATURE_COLUMNS,
    ASOS_TIME_OF_DAY_COLUMNS,
)
from seoulcast_assets.kma.errors import KmaMalformedReply
from seoulcast_assets.kma.framing import data_section, is_data_line, reply_lines, reply_text
from seoulcast_assets.kma.times import kma_times

TEMPERATURE_MISSING_AT_OR_BELOW = -90.0


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
    their lowercase KMA names in KMA's order (floats, ``*_tm`` as ``HHMM`` strings, see
    :func:`time_of_day_text`).
    """
    section, first_number = data_section(reply_text(reply))
    lines = reply_lines(section)
    numbers, rows = [], []
    for number, line in enumerate(lines, start=first_number):
        if is_data_line(line):
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
    times = iter(_times_of_day(values[:, _TIME_OF_DAY]))

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


def _times_of_day(values: np.ndarray) -> list[pd.Series]:
    """One ``string`` column per time field: :func:`time_of_day_text` of each value, NA for an
    empty field or KMA's missing code. Each distinct value is formatted once."""
    missing = missing_times(values)
    columns = []
    for column, absent in zip(values.T, missing.T, strict=True):
        codes, distinct = pd.factorize(np.where(absent, np.nan, column))  # NaN: code -1
        texts = np.array([*(time_of_day_text(v) for v in distinct.tolist()), None], dtype=object)
        columns.append(pd.Series(texts[codes], dtype="string"))
    return columns


def missing_times(values: np.ndarray) -> np.ndarray:
    """Where time fields are empty or hold KMA's missing code (-9, -99 ...); any other value,
    a time of day or not, is present."""
    return np.isnan(values) | np.isin(np.round(values, 3), _ALL_NINES)


def time_of_day_text(value: float) -> str:
    """A present time field as the parsed table holds it: KMA's unpadded hhmi zero-padded to
    four digits (``208`` -> ``"0208"``). A value that is not a time of day keeps its number
    (``2454`` -> ``"2454"``, ``-2335`` -> ``"-2335"``, ``704.5`` -> ``"704.5"``) for the cleaning
    to judge; the data-portal import writes its times with this too."""
    if value % 1 == 0:
        return f"{int(value):04d}"
    return f"{value:.10g}"


def _empty_asos_table() -> pd.DataFrame:
    columns: dict[str, pd.Series] = {
        "date": pd.Series(dtype="datetime64[ns]"),
        "stn": pd.Series(dtype=np.int64),
    }
    for position, name in enumerate(_VALUE_COLUMNS):
        columns[name] = pd.Series(dtype="string" if _TIME_OF_DAY[position] else np.float64)
    return pd.DataFrame(columns)

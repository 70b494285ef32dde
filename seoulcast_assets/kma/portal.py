"""Read KMA data-portal (기상자료개방포털, data.kma.go.kr) daily exports.

The portal hands out decades of daily observations as CSV without an API key. Three layouts are
known, all cp949 text with one header line and one row per station and day, empty cells for
missing values; columns are found by their Korean header (:mod:`.portal_columns`), never by
position:

* the temperature export ``날짜,지점,평균기온(℃),최저기온(℃),최고기온(℃)`` (minimum before
  maximum), each date quoted with a leading TAB (``"\\t1907-10-01"``);
* the full ASOS daily export ``OBS_ASOS_DD_*`` (62 columns: 지점, 지점명, 일시, every element,
  기사 remarks, 안개 계속시간), LF line ends;
* the newer ``SURFACE_ASOS_<stn>_DAY_*`` (59 columns: no 지점명, 최다풍향 or 기사, some headers
  spelled differently), CRLF line ends.

Numbers may lack the leading zero (``.3``, ``-.2``); times of day are unpadded hhmi (``704`` is
07:04). A download can hold several stations (station 116, Gwanaksan, appears in some Seoul
files). Every cell is checked; any problem raises :class:`PortalFormatError` naming the file
(when known) and the 1-based line.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from seoulcast_assets.kma.portal_columns import DATE, PORTAL_COLUMNS, STATION, column_kind

PORTAL_ENCODING = "cp949"
SEOUL = 108
TEMPERATURES = ["ta_avg", "ta_min", "ta_max"]  # the temperature export's order

_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
_TIME = re.compile(r"-?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PortalError(ValueError):
    """Something is wrong with a data-portal export (or a set of them)."""


class PortalFormatError(PortalError):
    """A file is not a valid data-portal export; names the file (when known) and the line."""

    def __init__(self, reason: str, line_number: int, file: str | None = None):
        self.reason = reason
        self.line_number = line_number
        self.file = file
        where = f"{file}: line {line_number}" if file else f"line {line_number}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, repr=False)
class PortalExport:
    """One export, checked: per row its station, date, numeric cells, line and bytes."""

    name: str | None
    header: bytes  # the header line as in the file, line ending included
    headers: dict[str, str]  # column name -> the file's header text, in the file's order
    stations: np.ndarray  # int64, per row
    dates: np.ndarray  # datetime64[ns], per row
    values: pd.DataFrame  # the number and time columns as float64 (NaN: empty cell)
    line_numbers: np.ndarray  # 1-based first line of each row
    lines: list[bytes]  # each row's own bytes, line ending included

    def __repr__(self) -> str:
        return f"PortalExport({self.name!r}, {len(self.lines)} rows, {len(self.headers)} columns)"

    def __len__(self) -> int:
        return len(self.lines)

    def fail(self, reason: str, line_number: int) -> PortalFormatError:
        return PortalFormatError(reason, line_number, self.name)


def read_portal_export(data: bytes, name: str | None = None) -> PortalExport:
    """Check every cell of an export given as its bytes; ``name`` is used in errors."""
    text = _decode(data, name)
    byte_lines = data.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    header_end = reader.line_num
    names = _header_names(header, name)
    rows: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    previous = header_end
    for row in reader:
        start, previous = previous + 1, reader.line_num
        if not "".join(row).strip():
            continue
        if len(row) != len(names):
            raise PortalFormatError(f"expected {len(names)} columns, found {len(row)}", start, name)
        rows.append(row)
        spans.append((start, previous))
    line_numbers = np.array([start for start, _ in spans], dtype=np.int64)
    check = _Checker(line_numbers, name)
    by_column = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    columns = dict(zip(names, by_column, strict=True))
    headers = {column: header[position].strip() for position, column in enumerate(names)}

    stations = _stations(columns[STATION], check)
    dates = _dates(columns[DATE], check)
    values = {}
    for column in names:
        kind = column_kind(column)
        if kind in ("number", "time"):
            values[column] = _numbers(columns[column], column, kind, check)
    _check_unique_days(stations, dates, check)
    return PortalExport(
        name=name,
        header=b"".join(byte_lines[:header_end]),
        headers=headers,
        stations=stations,
        dates=dates,
        values=pd.DataFrame(values, index=pd.RangeIndex(len(rows))),
        line_numbers=line_numbers,
        lines=[b"".join(byte_lines[start - 1 : end]) for start, end in spans],
    )


def read_portal_csv(source: str | os.PathLike[str] | bytes, station: int = SEOUL) -> pd.DataFrame:
    """``date`` (datetime64, midnight), ``ta_avg``, ``ta_min``, ``ta_max`` (°C, NaN if missing)
    of ``station``, sorted by date, from any export holding the three temperatures (a path or
    the file's bytes). Days the export lists without any of them are left out: the portal lists
    days it has no observation for, such as the Korean War gap, with empty cells."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    export = read_portal_export(data)
    lacking = [column for column in TEMPERATURES if column not in export.values]
    if lacking:
        raise PortalFormatError(f"the export has no {', '.join(lacking)} column", 1)
    chosen = export.stations == station
    table = export.values.loc[chosen, TEMPERATURES].reset_index(drop=True)
    table.insert(0, "date", export.dates[chosen])
    table = table[table[TEMPERATURES].notna().any(axis=1)]
    return table.sort_values("date", ignore_index=True)


def _decode(data: bytes, name: str | None) -> str:
    try:
        return data.decode(PORTAL_ENCODING)
    except UnicodeDecodeError as error:
        line_number = data.count(b"\n", 0, error.start) + 1
        reason = "not cp949 text (is the file re-encoded?)"
        raise PortalFormatError(reason, line_number, name) from None


def _header_names(header: list[str] | None, name: str | None) -> list[str]:
    """The column names of a header line; raises on anything that is not a portal header."""
    cells = [cell.strip() for cell in header or []]
    if not any(cells):
        raise PortalFormatError("empty file: expected a data-portal export header", 1, name)
    names = []
    for cell in cells:
        column = PORTAL_COLUMNS.get(cell)
        if column is None:
            reason = f"unknown column {cell!r}: not a data-portal daily export header"
            raise PortalFormatError(reason, 1, name)
        if column in names:
            first = cells[names.index(column)]
            reason = f"column {cell!r} repeats {first!r}" if first != cell else f"{cell!r} twice"
            raise PortalFormatError(reason, 1, name)
        names.append(column)
    for required, spelled in ((STATION, "지점"), (DATE, "일시 or 날짜")):
        if required not in names:
            raise PortalFormatError(f"the header has no {spelled} column", 1, name)
    if len(names) == 2:
        raise PortalFormatError("the header names no element", 1, name)
    return names


class _Checker:
    """Raises :class:`PortalFormatError` naming the line of the first offending row."""

    def __init__(self, line_numbers: np.ndarray, name: str | None):
        self.line_numbers, self.name = line_numbers, name

    def fail_where(self, bad: np.ndarray, reason_of) -> None:
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise PortalFormatError(reason_of(row), int(self.line_numbers[row]), self.name)


def _distinct(cells: tuple[str, ...]) -> tuple[np.ndarray, list[str]]:
    """Each cell's code and the distinct texts (stripped): every check and conversion below
    works on the distinct texts, a few thousand per column, not on every row."""
    codes, distinct = pd.factorize(np.array(cells, dtype=object))
    return codes, [text.strip() for text in distinct.tolist()]


def _stations(cells: tuple[str, ...], check: _Checker) -> np.ndarray:
    codes, distinct = _distinct(cells)
    bad = np.array([not text.isdigit() or not text.isascii() for text in distinct], dtype=bool)
    check.fail_where(bad[codes], lambda row: f"station {cells[row]!r} is not a station number")
    numbers = np.array([int(text) if text.isdigit() else 0 for text in distinct], dtype=np.int64)
    return numbers[codes]


def _dates(cells: tuple[str, ...], check: _Checker) -> np.ndarray:
    """Dates ``YYYY-MM-DD``; the temperature export prefixes a TAB so spreadsheets keep the
    cell as text, which is stripped."""
    codes, distinct = _distinct(cells)
    parsed = pd.to_datetime(pd.Series(distinct, dtype=object), format="%Y-%m-%d", errors="coerce")
    shaped = np.array([bool(_DATE.fullmatch(text)) for text in distinct], dtype=bool)
    bad = ~shaped | parsed.isna().to_numpy()
    check.fail_where(bad[codes], lambda row: f"{cells[row]!r} is not a date (YYYY-MM-DD)")
    return parsed.to_numpy(dtype="datetime64[ns]")[codes]


def _numbers(cells: tuple[str, ...], column: str, kind: str, check: _Checker) -> np.ndarray:
    """Floats, NaN for an empty cell; a time of day must be a whole number (hhmi)."""
    codes, distinct = _distinct(cells)
    pattern, what = (_TIME, "a time of day (hhmi)") if kind == "time" else (_NUMBER, "a number")
    bad = np.array([bool(text) and not pattern.fullmatch(text) for text in distinct], dtype=bool)
    check.fail_where(bad[codes], lambda row: f"{column} {cells[row]!r} is not {what}")
    values = np.array(
        [
            float(text) if text and not flagged else np.nan
            for text, flagged in zip(distinct, bad, strict=True)
        ],
        dtype=np.float64,
    )
    return values[codes]


def _check_unique_days(stations: np.ndarray, dates: np.ndarray, check: _Checker) -> None:
    keys = pd.DataFrame({"station": stations, "date": dates})
    repeated = keys.duplicated().to_numpy()
    if repeated.any():
        row = int(np.flatnonzero(repeated)[0])
        same = (stations == stations[row]) & (dates == dates[row])
        first = int(check.line_numbers[np.flatnonzero(same)[0]])
        day = pd.Timestamp(dates[row]).date()
        check.fail_where(
            repeated, lambda _: f"{day} of station {stations[row]} already appeared on line {first}"
        )

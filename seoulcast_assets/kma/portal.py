"""Read a daily temperature export of KMA's data portal (기상자료개방포털, data.kma.go.kr).

The export is cp949 text with the header ``날짜,지점,평균기온(℃),최저기온(℃),최고기온(℃)``
(note: minimum before maximum), one row per day, each date quoted with a leading TAB
(``"\\t1907-10-01"``) and an empty cell for a missing value. The portal lists days it has no
observation for, such as the whole Korean War gap (1950-09-01..1953-11-30), with all three
cells empty; those rows are left out, so the table holds only days that were observed.
"""

from __future__ import annotations

import csv
import io
import math
import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

PORTAL_ENCODING = "cp949"
PORTAL_HEADER = ("날짜", "지점", "평균기온(℃)", "최저기온(℃)", "최고기온(℃)")
PORTAL_COLUMNS = ["date", "ta_avg", "ta_min", "ta_max"]


class PortalFormatError(ValueError):
    """The file is not a data-portal temperature export; names the 1-based line."""

    def __init__(self, reason: str, line_number: int):
        self.reason = reason
        self.line_number = line_number
        super().__init__(f"line {line_number}: {reason}")


def read_portal_csv(source: str | os.PathLike[str] | bytes) -> pd.DataFrame:
    """``date`` (datetime64, midnight), ``ta_avg``, ``ta_min``, ``ta_max`` (°C, NaN if missing),
    sorted by date, from a portal export given as a path or as the file's bytes."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    text = _decode(data)
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None or tuple(cell.strip() for cell in header) != PORTAL_HEADER:
        raise PortalFormatError(
            f"expected the header {','.join(PORTAL_HEADER)!r}, found {','.join(header or [])!r}", 1
        )
    dates: list[date] = []
    values: list[tuple[float, float, float]] = []
    first_seen: dict[date, int] = {}
    for row in rows:
        number = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(PORTAL_HEADER):
            raise PortalFormatError(f"expected 5 columns, found {len(row)}", number)
        day = _date(row[0], number)
        if day in first_seen:
            raise PortalFormatError(f"{day} already appeared on line {first_seen[day]}", number)
        first_seen[day] = number
        if not row[1].strip().isdigit():
            raise PortalFormatError(f"station {row[1]!r} is not a station number", number)
        # The file's order is avg, min, max: the same order as PORTAL_COLUMNS.
        cells = zip(row[2:], PORTAL_COLUMNS[1:], strict=True)
        temperatures = tuple(_celsius(cell, name, number) for cell, name in cells)
        if all(math.isnan(value) for value in temperatures):
            continue  # listed, but never observed
        dates.append(day)
        values.append(temperatures)
    table = pd.DataFrame(values, columns=PORTAL_COLUMNS[1:], dtype=float)
    table.insert(0, "date", np.array(dates, dtype="datetime64[D]").astype("datetime64[ns]"))
    return table.sort_values("date", ignore_index=True)


def _decode(data: bytes) -> str:
    try:
        return data.decode(PORTAL_ENCODING)
    except UnicodeDecodeError as error:
        line_number = data.count(b"\n", 0, error.start) + 1
        raise PortalFormatError("not cp949 text (is the file re-encoded?)", line_number) from None


def _date(cell: str, number: int) -> date:
    text = cell.strip()  # the portal prefixes a TAB so spreadsheets keep the cell as text
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise PortalFormatError(f"{cell!r} is not a date (YYYY-MM-DD)", number) from None


def _celsius(cell: str, name: str, number: int) -> float:
    text = cell.strip()
    if not text:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise PortalFormatError(f"{name} {cell!r} is not a number", number) from None
    if not math.isfinite(value):
        raise PortalFormatError(f"{name} {cell!r} is not a number", number)
    return value

"""Parse 5-minute PM10 replies (``kma_pm10``, reference §2.3).

Rows are ``TM, STN, PM10, FLAG, MQC, =`` (``202607011800,   108,   39,000000,,=``). A negative
or empty PM10 is missing; FLAG and MQC are kept as received so that later stages can act on
them. A month of readings is ~8,900 rows, so the rows are read by pandas' C parser in one go;
lines are only looked at one by one to name the first bad one.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from seoulcast_assets.kma.columns import PM10_COLUMNS
from seoulcast_assets.kma.errors import KmaMalformedReply
from seoulcast_assets.kma.framing import data_section, is_data_line, reply_lines, reply_text
from seoulcast_assets.kma.times import kma_times

_PM10_LINE = re.compile(
    r"\s*\d{12}\s*,\s*\d+\s*,\s*(?:-?\d+(?:\.\d*)?)?\s*,[^,]*,[^,]*(?:,\s*=?\s*)?"
)
_PM10_ROW = "not a PM10 row (TM, STN, PM10, FLAG, MQC, =)"
_PM10_READ_COLUMNS = [*PM10_COLUMNS, "end"]


def parse_pm10(reply: str | bytes) -> pd.DataFrame:
    """5-minute PM10 readings (``kma_pm10``) as a table.

    Columns: ``time`` (datetime64, naive KST), ``stn`` (int), ``pm10`` (float µg/m³, NaN when
    KMA sent a negative or empty value), ``flag`` and ``mqc`` (strings as received).
    """
    section, first_number = data_section(reply_text(reply))
    if "#" in section:  # comment lines between readings (not seen from KMA): drop them first
        section = "\n".join(line for line in reply_lines(section) if is_data_line(line))
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
        raise KmaMalformedReply(_PM10_ROW)
    if section.count(",") != 5 * len(frame):  # pandas pads short rows; find them
        _raise_bad_pm10_line(section, first_number)
    return frame


def _raise_bad_pm10_line(section: str, first_number: int, row: int | None = None) -> None:
    """Name the first line that is not a PM10 row (or the data line of ``row``)."""
    data_lines = (
        (number, line)
        for number, line in enumerate(reply_lines(section), start=first_number)
        if is_data_line(line)
    )
    for index, (number, line) in enumerate(data_lines):
        if index == row or not _PM10_LINE.fullmatch(line):
            raise KmaMalformedReply(_PM10_ROW, number, line)

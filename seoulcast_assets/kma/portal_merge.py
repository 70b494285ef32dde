"""One station's days from several data-portal exports, merged.

The portal caps a download at about ten years, so a history comes as several files, and its two
export versions overlap (Seoul's 2014-2018 are in both ``OBS_ASOS_DD_*`` and
``SURFACE_ASOS_108_DAY_*``). A day found in several files is their union: every element any of
them holds. The real files agree on every value both hold and the newer ones fill some blanks;
if two files ever give different values for one element of one day, that is refused with
:class:`PortalConflict`, naming both files and lines, since which one is right cannot be told.

Rows of other stations are left out and counted. Files are taken in name order, so the result
does not depend on the order they were listed in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from seoulcast_assets.kma.portal import PortalError, PortalExport


class PortalConflict(PortalError):
    """Two exports give different values for one element of one day."""

    def __init__(self, day, column: str, first: tuple[str, int, str, float], second):
        self.day, self.column = day, column
        (file_a, line_a, header_a, value_a), (file_b, line_b, _, value_b) = first, second
        super().__init__(
            f"{file_a}: line {line_a} and {file_b}: line {line_b} disagree on {day} "
            f"{column} ({header_a}): {value_a:g} against {value_b:g}"
        )


class NoRowsOfStation(PortalError):
    def __init__(self, station: int, stations: Counter[int]):
        held = ", ".join(f"{number} ({rows} rows)" for number, rows in sorted(stations.items()))
        super().__init__(f"no row of station {station}; the files hold {held or 'no rows'}")


@dataclass(frozen=True, repr=False)
class PortalDays:
    """Every day the exports list for ``station``, one row each, sorted by date."""

    station: int
    table: pd.DataFrame  # ``date`` and every number/time column any file has (NaN: empty)
    sources: list[list[tuple[PortalExport, int]]]  # per day: (export, row) of each file listing it
    skipped_rows: Counter[int]  # rows of other stations, by station
    rows_read: int

    def __repr__(self) -> str:
        return f"PortalDays(station {self.station}, {len(self.table)} days)"

    @property
    def days_in_several_files(self) -> int:
        return sum(len(listed) > 1 for listed in self.sources)

    def day_bytes(self, position: int) -> bytes:
        """The exports' own bytes for the day at ``position``: for each file listing it, its
        header line and the day's line (a line ending is added where the file had none)."""
        parts = []
        for export, row in self.sources[position]:
            for part in (export.header, export.lines[row]):
                parts.append(part if part.endswith((b"\n", b"\r")) else part + b"\n")
        return b"".join(parts)


def merge_portal_exports(exports: list[PortalExport], station: int) -> PortalDays:
    """The days of ``station`` in ``exports``; raises :class:`PortalConflict` if two files
    disagree and :class:`NoRowsOfStation` if none holds the station."""
    ordered = sorted(exports, key=lambda export: export.name or "")
    skipped: Counter[int] = Counter()
    frames = []
    for number, export in enumerate(ordered):
        chosen = export.stations == station
        skipped.update(export.stations[~chosen].tolist())
        rows = np.flatnonzero(chosen)
        frame = export.values.iloc[rows].reset_index(drop=True)
        frame.insert(0, "date", export.dates[rows])
        frame["_export"], frame["_row"] = number, rows
        frames.append(frame)
    rows_read = sum(len(export) for export in ordered)
    if not any(len(frame) for frame in frames):
        raise NoRowsOfStation(station, skipped)
    long = pd.concat(frames, ignore_index=True, sort=False).sort_values(
        ["date", "_export"], kind="stable", ignore_index=True
    )
    value_columns = [name for name in long.columns if name not in ("date", "_export", "_row")]
    repeated = long["date"].duplicated(keep=False).to_numpy()
    if repeated.any():
        _check_agreement(long.loc[repeated], value_columns, ordered)
    table = long.groupby("date", sort=True)[value_columns].first()  # first value, NaN skipped
    table = table.reset_index()
    starts = np.flatnonzero(~long["date"].duplicated().to_numpy())
    bounds = [*starts.tolist(), len(long)]
    exports_of, rows_of = long["_export"].tolist(), long["_row"].tolist()
    sources = [
        [(ordered[exports_of[i]], rows_of[i]) for i in range(begin, end)]
        for begin, end in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    return PortalDays(station, table, sources, skipped, rows_read)


def _check_agreement(rows: pd.DataFrame, columns: list[str], exports: list[PortalExport]) -> None:
    """Raise for the first day and column on which two files hold different values."""
    grouped = rows.groupby("date", sort=True)[columns]
    distinct = grouped.nunique()  # NaN does not count: a blank never disagrees
    if not (distinct > 1).to_numpy().any():
        return
    day = distinct.index[(distinct > 1).any(axis=1).to_numpy()][0]
    column = next(name for name in columns if distinct.at[day, name] > 1)
    of_day = rows[(rows["date"] == day) & rows[column].notna()]
    first = of_day.iloc[0]
    second = of_day[of_day[column] != first[column]].iloc[0]
    raise PortalConflict(
        pd.Timestamp(day).date(),
        column,
        _where(first, column, exports),
        _where(second, column, exports),
    )


def _where(row: pd.Series, column: str, exports: list[PortalExport]):
    export = exports[int(row["_export"])]
    line = int(export.line_numbers[int(row["_row"])])
    return export.name or "<export>", line, export.headers[column], float(row[column])

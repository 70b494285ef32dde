"""Import KMA data-portal exports into the raw and clean layers.

The data portal (기상자료개방포털) hands out decades of daily observations as CSV files without
an API key, so importing them bootstraps the history. Any of its daily exports is read (the
temperature export and both versions of the full ASOS export, :mod:`seoulcast_assets.kma.portal`),
several at once. Every file is parsed and checked, and the days of the chosen station merged
(:func:`~seoulcast_assets.kma.portal_merge.merge_portal_exports`: a day in several files is
their union, a disagreement is refused naming both files and lines), before anything is written;
a problem raises a :class:`~seoulcast_assets.kma.portal.PortalError` naming the file and line.
Rows of other stations are skipped and counted.

Then, for every day the files list, the raw layer gets:

* ``raw/asos/.../D.txt``: the exports' own bytes for that day, cp949: for each file listing the
  day (in file-name order), its header line and the day's line. A day in two files keeps both,
  so nothing the portal sent is lost, and each line stays readable through its own header;
* ``raw/asos/.../D.csv``: the day as a parsed ASOS day, the 56 columns of ``raw_asos``
  (:data:`PARSED_ASOS_HEADER`) and ``source`` = ``portal-import`` (:data:`PORTAL_PARSED_HEADER`,
  as a collection appends the reply's source), the 56 exactly as
  :func:`~seoulcast_assets.kma.parse_asos_daily` would give them for an API reply holding the
  export's values: every element the files have under its
  API name, numbers written as ``raw_asos`` writes them, times of day as ``HHMM`` (``704`` ->
  ``0704``; a value that is no time of day, which the record holds a few times, ``2454`` or
  ``-2335``, is kept as the parser keeps it, for the cleaning to flag), an empty cell for an
  empty one. Precipitation follows from that: the portal leaves a dry
  day's ``일강수량`` blank and writes ``0`` for a trace, the API prints ``-9.0`` on a dry day and
  ``0.0`` for a trace, the parser reads ``-9.0`` as empty; so a blank stays empty and ``0`` is
  ``0``. Elements the API does not have (``wd_frq``, ``ca_mid``, ``sd_hr3``, the soil
  temperatures ``te_005``..``te_03``) and the 지점명/기사 text are only in the ``.txt``. A listed
  day without any API element (the portal lists war-gap days so) has no row, like a day KMA
  sent no observation for.

A day already in the raw layer is kept as it is unless ``replace`` is set. Finally the whole
span of the files is cleaned with :func:`~seoulcast_assets.cleaning.clean_days`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from seoulcast_assets.cleaning.pipeline import CleaningReport, clean_days
from seoulcast_assets.cleaning.policy import DEFAULT_POLICY, CleaningPolicy
from seoulcast_assets.cleaning.sources import PORTAL_IMPORT
from seoulcast_assets.kma.asos import missing_times, time_of_day_text
from seoulcast_assets.kma.columns import ASOS_COLUMNS, ASOS_TIME_OF_DAY_COLUMNS
from seoulcast_assets.kma.portal import SEOUL, read_portal_export
from seoulcast_assets.kma.portal_merge import PortalDays, merge_portal_exports
from seoulcast_assets.layout import raw_parsed_key, raw_reply_key
from seoulcast_assets.storage import ObjectStore

SEOUL_STATION = SEOUL
# The parsed ASOS day's columns, as raw_asos writes them (TM becomes ``date``).
PARSED_ASOS_HEADER = ",".join(["date", *ASOS_COLUMNS[1:]])
# What an import writes: those 56 columns and where they come from (a collection appends the
# reply's source the same way).
PORTAL_PARSED_HEADER = f"{PARSED_ASOS_HEADER},source"
_ELEMENTS = ASOS_COLUMNS[2:]


@dataclass(frozen=True)
class PortalFile:
    """An export's name (for messages) and bytes."""

    name: str | None
    data: bytes


@dataclass(frozen=True)
class PortalDay:
    """One listed day and the raw objects it becomes."""

    day: date
    reply: bytes  # the exports' bytes for the day (see the module docstring)
    parsed: bytes  # the parsed ASOS day CSV
    observed: bool  # the parsed day has a row


@dataclass
class PortalImport:
    """What an import read and wrote."""

    files: int
    rows_read: int
    skipped_rows: dict[int, int]  # rows of other stations, by station
    listed_days: int
    observed_days: int
    days_in_several_files: int
    kept_days: int  # already in the raw layer and left alone
    raw_objects_written: int
    raw_objects_changed: int
    cleaning: CleaningReport
    seconds: dict[str, float] = field(default_factory=dict)  # read, raw, clean


def portal_days(
    exports: bytes | Sequence[PortalFile], station: int = SEOUL_STATION
) -> tuple[list[PortalDay], PortalDays]:
    """Every day the exports list for ``station``, as raw objects; raises a
    :class:`~seoulcast_assets.kma.portal.PortalError` before anything is built."""
    files = [PortalFile(None, exports)] if isinstance(exports, bytes) else list(exports)
    merged = merge_portal_exports(
        [read_portal_export(file.data, file.name) for file in files], station
    )
    rows, observed = parsed_rows(merged)
    header = f"{PORTAL_PARSED_HEADER}\n"
    days = []
    for position, (day, row, seen) in enumerate(
        zip(merged.table["date"].dt.date, rows, observed, strict=True)
    ):
        parsed = f"{header}{row},{PORTAL_IMPORT}\n" if seen else header
        days.append(PortalDay(day, merged.day_bytes(position), parsed.encode(), bool(seen)))
    return days, merged


def parsed_rows(merged: PortalDays) -> tuple[list[str], np.ndarray]:
    """Each day's parsed ASOS row (the 56 columns, CSV) and whether it holds any element.

    Cells are written as ``raw_asos`` writes them (pandas ``to_csv`` with ``%.10g``), formatted
    once per distinct value of a column: formatting 40,000 days cell by cell takes seconds.
    """
    table = merged.table
    count = len(table)
    columns = [table["date"].dt.strftime("%Y-%m-%d").tolist(), [str(merged.station)] * count]
    observed = np.zeros(count, dtype=bool)
    for name in _ELEMENTS:
        if name not in table:
            columns.append([""] * count)
            continue
        values = table[name].to_numpy(dtype=np.float64)
        if name in ASOS_TIME_OF_DAY_COLUMNS:
            values = np.where(missing_times(values), np.nan, values)  # as the parser reads it
        observed |= ~np.isnan(values)
        form = time_of_day_text if name in ASOS_TIME_OF_DAY_COLUMNS else _number
        columns.append(_cells(values, form))
    return [",".join(cells) for cells in zip(*columns, strict=True)], observed


def _cells(values: np.ndarray, form) -> list[str]:
    codes, distinct = pd.factorize(values)  # NaN gets code -1: the empty cell, last below
    texts = np.array([*(form(value) for value in distinct.tolist()), ""], dtype=object)
    return texts[codes].tolist()


def _number(value: float) -> str:
    return f"{value:.10g}"  # what raw_asos's to_csv(float_format="%.10g") writes


def import_portal(
    exports: bytes | Sequence[PortalFile],
    store: ObjectStore,
    policy: CleaningPolicy = DEFAULT_POLICY,
    *,
    station: int = SEOUL_STATION,
    replace: bool = False,
) -> PortalImport:
    """Check the exports, write their days to the raw layer, clean their whole span."""
    started = time.perf_counter()
    days, merged = portal_days(exports, station)
    read = time.perf_counter()
    kept = set() if replace else _days_in_raw_layer(store)
    objects = {}
    for portal_day in days:
        if portal_day.day in kept:
            continue
        objects[raw_reply_key("asos", portal_day.day)] = portal_day.reply
        objects[raw_parsed_key("asos", portal_day.day)] = portal_day.parsed  # after the reply
    changed = store.put_many(objects)
    written = time.perf_counter()
    report = clean_days(store, days[0].day, days[-1].day, policy)
    cleaned = time.perf_counter()
    return PortalImport(
        files=1 if isinstance(exports, bytes) else len(exports),
        rows_read=merged.rows_read,
        skipped_rows=dict(sorted(merged.skipped_rows.items())),
        listed_days=len(days),
        observed_days=sum(portal_day.observed for portal_day in days),
        days_in_several_files=merged.days_in_several_files,
        kept_days=sum(portal_day.day in kept for portal_day in days),
        raw_objects_written=len(objects),
        raw_objects_changed=changed,
        cleaning=report,
        seconds={"read": read - started, "raw": written - read, "clean": cleaned - written},
    )


def _days_in_raw_layer(store: ObjectStore) -> set[date]:
    days = set()
    for key in store.list_keys("raw/asos/"):
        name = key.rsplit("/", 1)[1]
        if name.endswith(".csv"):
            days.add(date.fromisoformat(name[:-4]))
    return days

"""Import a KMA data-portal temperature export into the raw and clean layers.

The data portal (기상자료개방포털) hands out decades of daily temperature as one CSV without
an API key, so importing such an export bootstraps the history. The whole file is parsed and
checked first (:func:`~seoulcast_assets.kma.read_portal_csv`: encoding, header, dates,
numbers, one row per date, one station); any problem raises
:class:`~seoulcast_assets.kma.PortalFormatError` naming the line, before anything is written.

Then, for every day the file lists, the raw layer gets:

* ``raw/asos/.../D.txt``: the export's own bytes for that day (its header line and the day's
  line, cp949), the raw layer's "as received";
* ``raw/asos/.../D.csv``: the day as a parsed ASOS day (the 56 columns of ``raw_asos``) with
  ``stn``, ``ta_avg``, ``ta_max`` and ``ta_min`` filled and every other field empty; a listed
  day without any value (the portal lists part of the war gap so) has no row, like a day KMA
  sent no observation for.

A day already in the raw layer is kept as it is unless ``replace`` is set: a reply collected
from the API carries all 56 fields, the export only three. Finally the whole span of the file
is cleaned with :func:`~seoulcast_assets.cleaning.clean_days`, so the clean layer and the year
tables cover it (PM10 cells of days without collected PM10 stay empty, flagged
``pm10:not_collected``).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date

from seoulcast_assets.cleaning.pipeline import CleaningReport, clean_days
from seoulcast_assets.cleaning.policy import DEFAULT_POLICY, CleaningPolicy
from seoulcast_assets.kma.columns import ASOS_COLUMNS
from seoulcast_assets.kma.portal import PORTAL_ENCODING, PortalFormatError, read_portal_csv
from seoulcast_assets.layout import raw_parsed_key, raw_reply_key
from seoulcast_assets.storage import ObjectStore

SEOUL_STATION = 108
# The parsed ASOS day's columns, as raw_asos writes them (TM becomes ``date``).
PARSED_ASOS_HEADER = ",".join(["date", *ASOS_COLUMNS[1:]])
_VALUE_POSITIONS = tuple(ASOS_COLUMNS.index(name) for name in ("ta_avg", "ta_max", "ta_min"))


@dataclass(frozen=True)
class PortalDay:
    """One day the export lists: its line number, station and the raw objects it becomes."""

    day: date
    line_number: int
    station: int
    reply: bytes  # the export's header line and this day's line
    parsed: bytes  # the parsed ASOS day CSV


@dataclass
class PortalImport:
    """What an import read and wrote."""

    listed_days: int
    observed_days: int
    kept_days: int  # already in the raw layer and left alone
    raw_objects_written: int
    raw_objects_changed: int
    cleaning: CleaningReport


def portal_days(data: bytes, station: int | None = SEOUL_STATION) -> list[PortalDay]:
    """Every day an export lists, as raw objects; raises :class:`PortalFormatError`.

    ``station`` is the station the file must hold (None accepts whichever single station it
    holds).
    """
    table = read_portal_csv(data)  # validates the whole file first
    values_of = dict(
        zip(
            table["date"].dt.date,
            table[["ta_avg", "ta_max", "ta_min"]].itertuples(index=False, name=None),
            strict=True,
        )
    )
    lines = data.split(b"\n")
    header = lines[0] + b"\n"
    texts = (line.decode(PORTAL_ENCODING) for line in lines[1:])
    days = []
    expected = station
    for number, (line, row) in enumerate(zip(lines[1:], csv.reader(texts), strict=True), start=2):
        if not any(cell.strip() for cell in row):
            continue
        day, found = date.fromisoformat(row[0].strip()), int(row[1])
        if expected is None:
            expected = found
        if found != expected:
            reason = f"station {found}, expected {expected} (one station per file)"
            raise PortalFormatError(reason, number)
        parsed = _parsed_day(day, found, values_of.get(day))
        days.append(PortalDay(day, number, found, header + line + b"\n", parsed))
    return days


def import_portal(
    data: bytes,
    store: ObjectStore,
    policy: CleaningPolicy = DEFAULT_POLICY,
    *,
    station: int | None = SEOUL_STATION,
    replace: bool = False,
) -> PortalImport:
    """Check the export, write its days to the raw layer, clean its whole span."""
    days = portal_days(data, station)
    if not days:
        raise PortalFormatError("the file lists no days", 2)
    kept = set() if replace else _days_in_raw_layer(store)
    objects = {}
    for portal_day in days:
        if portal_day.day in kept:
            continue
        objects[raw_reply_key("asos", portal_day.day)] = portal_day.reply
        objects[raw_parsed_key("asos", portal_day.day)] = portal_day.parsed
    changed = store.put_many(objects)
    first, last = min(d.day for d in days), max(d.day for d in days)
    report = clean_days(store, first, last, policy)
    return PortalImport(
        listed_days=len(days),
        observed_days=sum(portal_day.parsed.count(b"\n") > 1 for portal_day in days),
        kept_days=sum(portal_day.day in kept for portal_day in days),
        raw_objects_written=len(objects),
        raw_objects_changed=changed,
        cleaning=report,
    )


def _parsed_day(day: date, station: int, values: tuple[float, float, float] | None) -> bytes:
    """The parsed ASOS day CSV: header, then the day's row unless it has no value at all.
    ``values`` are ``ta_avg, ta_max, ta_min`` (NaN when missing)."""
    if values is None or all(math.isnan(value) for value in values):
        return f"{PARSED_ASOS_HEADER}\n".encode()
    cells = [""] * len(ASOS_COLUMNS)
    cells[0], cells[1] = day.isoformat(), str(station)
    for position, value in zip(_VALUE_POSITIONS, values, strict=True):
        cells[position] = "" if math.isnan(value) else f"{value:.10g}"  # as raw_asos writes it
    return f"{PARSED_ASOS_HEADER}\n{','.join(cells)}\n".encode()


def _days_in_raw_layer(store: ObjectStore) -> set[date]:
    days = set()
    for key in store.list_keys("raw/asos/"):
        if key.endswith(".csv"):
            days.add(date.fromisoformat(key.rsplit("/", 1)[1][:-4]))
    return days

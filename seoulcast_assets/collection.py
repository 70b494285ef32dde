"""Collect KMA observations into the raw layer of the object store.

A range of days is fetched in month-sized requests. Each month is checked, parsed and stored
before the next is asked for, so a run that fails half-way keeps (and can report) the months it
finished, and a failed request or a malformed reply leaves its own month untouched.

Per day the raw layer holds the reply as received (``.txt``) and the parsed day (``.csv``).
The ``.csv`` is written last: a day is *collected* when its parsed object exists, so a reader
that goes by the parsed objects never sees half a pair, even after a crash between the two
writes. Collecting the same days again rewrites identical bytes, which the store skips.

A reply that would replace observed values with missing ones (KMA answering a month with
nothing but sentinels, a day KMA has since emptied) does not overwrite what the store holds:
the stored day is kept, the new reply is written beside it as ``.withheld.txt`` for inspection,
and the report lists the day (``withheld_days``). ``replace_observed=True`` overwrites anyway.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from seoulcast_assets.kma import (
    KmaClient,
    KmaReply,
    parse_asos_daily,
    parse_pm10,
    split_reply_by_day,
    summarize_pm10_days,
)
from seoulcast_assets.kma.columns import ASOS_TIME_OF_DAY_COLUMNS
from seoulcast_assets.layout import RawSource, raw_parsed_key, raw_reply_key, raw_withheld_key
from seoulcast_assets.storage import ObjectStore

MonthStored = Callable[[list[date]], None]
"""Called with the days of each month once they are stored."""


@dataclass
class CollectionReport:
    """What one collection run fetched and wrote."""

    source: RawSource
    first_day: date
    last_day: date
    requests: int = 0
    days: int = 0
    missing_days: list[date] = field(default_factory=list)
    withheld_days: list[date] = field(default_factory=list)
    objects_changed: int = 0
    observations_from: set[str] = field(default_factory=set)

    @property
    def days_with_data(self) -> int:
        return self.days - len(self.missing_days)

    def summary(self) -> dict[str, object]:
        return {
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "days": self.days,
            "days_with_data": self.days_with_data,
            "missing_days": len(self.missing_days),
            "missing_day_sample": _sample(self.missing_days),
            "withheld_days": len(self.withheld_days),
            "withheld_day_sample": _sample(self.withheld_days),
            "kma_requests": self.requests,
            "objects_changed": self.objects_changed,
            "observations_source": ", ".join(sorted(self.observations_from)),
        }


def collect_asos(
    client: KmaClient,
    store: ObjectStore,
    first_day: date,
    last_day: date,
    station: int = 108,
    *,
    replace_observed: bool = False,
    on_month_stored: MonthStored | None = None,
) -> CollectionReport:
    """Fetch daily ASOS observations (``kma_sfcdd3``) for a range of days and store each day."""
    replies = client.iter_asos_daily(first_day, last_day, station=station)
    report = CollectionReport("asos", first_day, last_day)
    for reply in replies:
        _store_month(report, reply, store, _asos_days, replace_observed)
        if on_month_stored:
            on_month_stored(_days_in(reply, first_day, last_day))
    return report


def collect_pm10(
    client: KmaClient,
    store: ObjectStore,
    first_day: date,
    last_day: date,
    station: int = 108,
    *,
    replace_observed: bool = False,
    on_month_stored: MonthStored | None = None,
) -> CollectionReport:
    """Fetch 5-minute PM10 readings (``kma_pm10``) for a range of days and store each day."""
    replies = client.iter_pm10(first_day, last_day, station=station)
    report = CollectionReport("pm10", first_day, last_day)
    for reply in replies:
        _store_month(report, reply, store, _pm10_days, replace_observed)
        if on_month_stored:
            on_month_stored(_days_in(reply, first_day, last_day))
    return report


@dataclass(frozen=True)
class ParsedDay:
    """One day of a reply: the parsed CSV, whether KMA observed anything, and how much."""

    table: bytes
    has_data: bool
    observed: np.ndarray  # which values are present, for the "no observation lost" rule


DayParser = Callable[[KmaReply], dict[date, ParsedDay]]
ObservedIn = Callable[[bytes], np.ndarray]


def _store_month(
    report: CollectionReport,
    reply: KmaReply,
    store: ObjectStore,
    days_of: tuple[DayParser, ObservedIn],
    replace_observed: bool,
) -> None:
    parse_days, observed_in = days_of
    source = report.source
    report.requests += 1
    report.observations_from.add(reply.source)
    reply_by_day = split_reply_by_day(reply)
    parsed = {
        day: day_table
        for day, day_table in parse_days(reply).items()
        if report.first_day <= day <= report.last_day
    }
    expected = _days_in(reply, report.first_day, report.last_day)
    if sorted(parsed) != expected:
        raise RuntimeError(
            f"the KMA reply for {reply.start}..{reply.end} covered {len(parsed)} of its "
            f"{len(expected)} days; nothing of that month was stored"
        )
    stored = store.get_many(raw_parsed_key(source, day) for day in expected)
    replies: dict[str, bytes] = {}
    tables: dict[str, bytes] = {}
    for day, new in parsed.items():
        report.days += 1
        if not new.has_data:
            report.missing_days.append(day)
        old = stored.get(raw_parsed_key(source, day))
        if (
            not replace_observed
            and old is not None
            and _loses_observations(observed_in(old), new.observed)
        ):
            report.withheld_days.append(day)
            replies[raw_withheld_key(source, day)] = reply_by_day[day]
            continue
        replies[raw_reply_key(source, day)] = reply_by_day[day]
        tables[raw_parsed_key(source, day)] = new.table
    # the reply first, the parsed day last: a day counts as collected once its .csv exists
    report.objects_changed += store.put_many(replies)
    report.objects_changed += store.put_many(tables)


def _loses_observations(old: np.ndarray, new: np.ndarray) -> bool:
    """True when a value observed in the stored day would be missing in the new one."""
    return old.shape == new.shape and bool((old & ~new).any())


def _days_in(reply: KmaReply, first_day: date, last_day: date) -> list[date]:
    return [day for day in reply.days if first_day <= day <= last_day]


def _csv_rows_by_day(frame: pd.DataFrame, days: list[date]) -> dict[date, list[str]]:
    """Render a parsed month once and cut it into CSV rows per day (header first)."""
    frame = frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d"))
    lines = frame.to_csv(index=False, lineterminator="\n", float_format="%.10g").splitlines()
    header, rows = lines[0], lines[1:]
    by_day: dict[date, list[str]] = {day: [header] for day in days}
    for day, row in zip(frame["date"], rows, strict=True):
        by_day[date.fromisoformat(day)].append(row)
    return by_day


# -- ASOS -------------------------------------------------------------------------------------

TEMPERATURES = ("ta_avg", "ta_max", "ta_min")


def _asos_day_tables(reply: KmaReply) -> dict[date, ParsedDay]:
    parsed = parse_asos_daily(reply.text).assign(source=reply.source)
    rows_by_day = _csv_rows_by_day(parsed, reply.days)
    observed = _asos_observed(parsed)
    with_temperature = parsed[list(TEMPERATURES)].notna().any(axis=1).to_numpy()
    days = {}
    for day, rows in rows_by_day.items():
        position = np.flatnonzero(parsed["date"].dt.date.to_numpy() == day)
        present = observed[position[0]] if len(position) else np.zeros(observed.shape[1], bool)
        has_data = bool(len(position)) and bool(with_temperature[position[0]])
        days[day] = ParsedDay(_csv(rows), has_data, present)
    return days


def _asos_observed(frame: pd.DataFrame) -> np.ndarray:
    """Per row, which of the measured values (every numeric field but the station) are present."""
    values = frame[_asos_value_columns(frame.columns)]
    return values.notna().to_numpy()


def _asos_value_columns(columns: Iterable[str]) -> list[str]:
    skip = {"date", "stn", "source", *ASOS_TIME_OF_DAY_COLUMNS}
    return [name for name in columns if name not in skip]


def _asos_observed_in(table: bytes) -> np.ndarray:
    frame = pd.read_csv(io.BytesIO(table), dtype=str, keep_default_na=False)
    if frame.empty:
        return np.zeros(0, dtype=bool)
    columns = _asos_value_columns(frame.columns)
    return (frame[columns].to_numpy() != "").any(axis=0)


_asos_days = (_asos_day_tables, _asos_observed_in)


# -- PM10 -------------------------------------------------------------------------------------


def _pm10_day_tables(reply: KmaReply) -> dict[date, ParsedDay]:
    daily = summarize_pm10_days(parse_pm10(reply.text))
    rows_by_day = _csv_rows_by_day(daily, reply.days)
    valid = {d.date(): int(n) for d, n in zip(daily["date"], daily["n_valid"], strict=True)}
    days = {}
    for day, rows in rows_by_day.items():
        if len(rows) == 1:  # KMA sent no reading that day: say so explicitly
            rows = [rows[0], f"{day.isoformat()},,,,0,0"]
        count = valid.get(day, 0)
        days[day] = ParsedDay(_csv(rows), count > 0, _readings_mask(count))
    return days


def _readings_mask(count: int) -> np.ndarray:
    """The valid-reading count as a mask of the day's 288 slots (the first ``count`` set): a
    day with fewer valid readings than the stored one loses observations."""
    mask = np.zeros(288, dtype=bool)
    mask[: min(count, 288)] = True
    return mask


def _pm10_observed_in(table: bytes) -> np.ndarray:
    frame = pd.read_csv(io.BytesIO(table))
    count = int(frame["n_valid"].fillna(0).sum()) if "n_valid" in frame else 0
    return _readings_mask(count)


_pm10_days = (_pm10_day_tables, _pm10_observed_in)


def _csv(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def _sample(days: list[date], limit: int = 10) -> str:
    shown = ", ".join(day.isoformat() for day in days[:limit])
    return f"{shown} (+{len(days) - limit} more)" if len(days) > limit else shown

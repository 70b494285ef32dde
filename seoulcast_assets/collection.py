"""Collect KMA observations into the raw layer of the object store.

A range of days is fetched in month-sized requests, every reply is checked and parsed, and only
then is anything written: per day, the reply as received (``.txt``) and the parsed day (``.csv``).
So a failed request leaves the store untouched, and collecting the same days again rewrites
identical bytes, which the store skips.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from seoulcast_assets.kma import (
    KmaClient,
    KmaReply,
    parse_asos_daily,
    parse_pm10,
    split_reply_by_day,
    summarize_pm10_days,
)
from seoulcast_assets.kst import date_range
from seoulcast_assets.layout import RawSource, raw_parsed_key, raw_reply_key
from seoulcast_assets.storage import ObjectStore


@dataclass
class CollectionReport:
    """What one collection run fetched and wrote."""

    source: RawSource
    first_day: date
    last_day: date
    requests: int = 0
    days: int = 0
    missing_days: list[date] = field(default_factory=list)
    objects_changed: int = 0

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
            "missing_day_sample": ", ".join(d.isoformat() for d in self.missing_days[:10]),
            "kma_requests": self.requests,
            "objects_changed": self.objects_changed,
        }


def collect_asos(
    client: KmaClient, store: ObjectStore, first_day: date, last_day: date, station: int = 108
) -> CollectionReport:
    """Fetch daily ASOS observations (``kma_sfcdd3``) for a range of days and store each day."""
    replies = client.asos_daily(first_day, last_day, station=station)
    return _store_days("asos", replies, store, first_day, last_day, _asos_day_tables)


def collect_pm10(
    client: KmaClient, store: ObjectStore, first_day: date, last_day: date, station: int = 108
) -> CollectionReport:
    """Fetch 5-minute PM10 readings (``kma_pm10``) for a range of days and store each day."""
    replies = client.pm10(first_day, last_day, station=station)
    return _store_days("pm10", replies, store, first_day, last_day, _pm10_day_tables)


DayTables = Callable[[KmaReply], dict[date, tuple[bytes, bool]]]


def _store_days(
    source: RawSource,
    replies: list[KmaReply],
    store: ObjectStore,
    first_day: date,
    last_day: date,
    day_tables: DayTables,
) -> CollectionReport:
    report = CollectionReport(source, first_day, last_day, requests=len(replies))
    objects: dict[str, bytes] = {}
    for reply in replies:
        reply_by_day = split_reply_by_day(reply)
        for day, (table, has_data) in day_tables(reply).items():
            if not first_day <= day <= last_day:
                continue
            objects[raw_reply_key(source, day)] = reply_by_day[day]
            objects[raw_parsed_key(source, day)] = table
            report.days += 1
            if not has_data:
                report.missing_days.append(day)
    expected = len(date_range(first_day, last_day))
    if report.days != expected:
        raise RuntimeError(
            f"KMA replies covered {report.days} of the {expected} days "
            f"{first_day}..{last_day}; nothing was stored"
        )
    report.objects_changed = store.put_many(objects)
    return report


def _csv_rows_by_day(frame: pd.DataFrame, days: list[date]) -> dict[date, list[str]]:
    """Render a parsed month once and cut it into CSV rows per day (header first)."""
    frame = frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d"))
    lines = frame.to_csv(index=False, lineterminator="\n", float_format="%.10g").splitlines()
    header, rows = lines[0], lines[1:]
    by_day: dict[date, list[str]] = {day: [header] for day in days}
    for day, row in zip(frame["date"], rows, strict=True):
        by_day[date.fromisoformat(day)].append(row)
    return by_day


def _asos_day_tables(reply: KmaReply) -> dict[date, tuple[bytes, bool]]:
    rows_by_day = _csv_rows_by_day(parse_asos_daily(reply.text), reply.days)
    return {day: (_csv(rows), len(rows) > 1) for day, rows in rows_by_day.items()}


def _pm10_day_tables(reply: KmaReply) -> dict[date, tuple[bytes, bool]]:
    daily = summarize_pm10_days(parse_pm10(reply.text))
    rows_by_day = _csv_rows_by_day(daily, reply.days)
    observed = {d.date() for d in daily.loc[daily["n_valid"] > 0, "date"]}
    tables = {}
    for day, rows in rows_by_day.items():
        if len(rows) == 1:  # KMA sent no reading that day: say so explicitly
            rows = [rows[0], f"{day.isoformat()},,,,0,0"]
        tables[day] = (_csv(rows), day in observed)
    return tables


def _csv(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode()

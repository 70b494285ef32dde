"""Read the raw layer for a range of days with one ``get_many`` per source.

* ASOS: the parsed days (``raw/asos/.../D.csv``, 56 columns and, since collections record it,
  ``source``; a header and one row or none), of which cleaning needs the date, the
  temperatures, the weather elements of :mod:`.elements` (the times of day read as numbers:
  ``0704`` is 704, and one that is no time of day, ``2454``, as it is) and ``source``. A day
  without a ``source`` column gets it from its ``.txt`` (:mod:`.sources`), read for those days
  only;
* PM10: the day's KMA reply (``raw/pm10/.../D.txt``, 5-minute rows), since screening works on
  the readings, not on the unscreened daily aggregate stored beside it. A day counts as
  collected only once its parsed ``.csv`` exists (collection writes it last), so a reply left
  without its ``.csv`` by an interrupted run is not read; the months are listed to know.

Thousands of days are parsed at once: the bodies are joined into one table or one reply and
handed to pandas and to :func:`~seoulcast_assets.kma.parse_pm10` a single time, which is what
keeps a decade's range run cheap. Only when that fails is each day parsed alone, to name it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pandas as pd

from seoulcast_assets.cleaning.elements import ELEMENT_NAMES
from seoulcast_assets.cleaning.flags import TEMPERATURE_COLUMNS
from seoulcast_assets.cleaning.sources import unrecorded_source
from seoulcast_assets.kma import KmaMalformedReply, parse_pm10
from seoulcast_assets.kma.framing import END_MARKER, START_MARKER
from seoulcast_assets.kst import date_range
from seoulcast_assets.layout import RawSource, raw_parsed_key, raw_reply_key
from seoulcast_assets.storage import ObjectStore


class RawDayUnreadable(ValueError):
    """A stored raw day cannot be read; names its key."""

    def __init__(self, key: str, reason: str):
        self.key = key
        super().__init__(f"{key}: {reason}")


# The columns of a parsed ASOS day cleaning reads, besides ``date``.
ASOS_VALUE_COLUMNS: tuple[str, ...] = (*TEMPERATURE_COLUMNS, *ELEMENT_NAMES)
SOURCE = "source"


@dataclass(frozen=True)
class RawAsos:
    """Raw ASOS rows (indexed by day: :data:`ASOS_VALUE_COLUMNS` as floats, NaN for a missing
    value, and ``source``) and the days that were stored."""

    rows: pd.DataFrame
    collected: pd.DatetimeIndex


@dataclass(frozen=True)
class RawReadings:
    """5-minute PM10 readings (``time``, ``pm10``) and the days that were stored."""

    readings: pd.DataFrame
    collected: pd.DatetimeIndex


def read_raw_asos(store: ObjectStore, first: date, last: date) -> RawAsos:
    """The parsed ASOS days ``first..last`` that exist in the store, each with its source."""
    keys = {day: raw_parsed_key("asos", day) for day in date_range(first, last)}
    bodies = store.get_many(keys.values())
    rows = parse_asos_day_csvs(bodies)
    unrecorded = rows.index[rows[SOURCE].isna()]
    if len(unrecorded):
        reply_keys = {stamp: raw_reply_key("asos", stamp.date()) for stamp in unrecorded}
        replies = store.get_many(reply_keys.values())
        rows.loc[unrecorded, SOURCE] = [
            unrecorded_source(replies.get(key)) for key in reply_keys.values()
        ]
    return RawAsos(rows=rows, collected=_collected(keys, bodies))


def parse_asos_day_csvs(bodies: dict[str, bytes]) -> pd.DataFrame:
    """:data:`ASOS_VALUE_COLUMNS` and ``source`` indexed by ``date`` from parsed ASOS day CSVs;
    a column a day's header lacks is empty.

    Days are parsed together per header (the raw layer holds days written by different
    versions of the collection, e.g. with and without a ``source`` column)."""
    if not bodies:
        return _asos_table(pd.DataFrame({"date": pd.DatetimeIndex([])}))
    groups: dict[bytes, dict[str, bytes]] = {}
    for key, body in bodies.items():
        groups.setdefault(body.partition(b"\n")[0], {})[key] = body
    frames = [_parse_same_header(header, group) for header, group in groups.items()]
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if table["date"].duplicated().any():
        day = table.loc[table["date"].duplicated(), "date"].iloc[0]
        raise RawDayUnreadable(raw_parsed_key("asos", day.date()), "the day appears twice")
    return table.set_index("date").sort_index()


def _wanted(header: bytes) -> list[str]:
    """The columns to read: the date and temperatures (which every parsed day has), and the
    weather elements and ``source`` the header names."""
    present = set(header.decode("utf-8", "replace").strip().split(","))
    optional = (*ELEMENT_NAMES, SOURCE)
    return ["date", *TEMPERATURE_COLUMNS, *(name for name in optional if name in present)]


def _asos_table(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every value column (empty where it had none) and ``source``."""
    table = table.reindex(columns=["date", *ASOS_VALUE_COLUMNS, SOURCE])
    table[list(ASOS_VALUE_COLUMNS)] = table[list(ASOS_VALUE_COLUMNS)].astype(float)
    table[SOURCE] = table[SOURCE].astype(object).where(table[SOURCE].notna(), None)
    return table


def _parse_same_header(header: bytes, bodies: dict[str, bytes]) -> pd.DataFrame:
    lines = []
    for body in bodies.values():
        rest = body.partition(b"\n")[2]
        if rest.strip():
            lines.append(rest if rest.endswith(b"\n") else rest + b"\n")
    columns = _wanted(header)
    try:
        table = pd.read_csv(
            io.BytesIO(header + b"\n" + b"".join(lines)),
            usecols=columns,
            dtype={column: float for column in columns if column in ASOS_VALUE_COLUMNS},
        )
        table["date"] = pd.to_datetime(table["date"], format="%Y-%m-%d")
    except (ValueError, KeyError):
        return _parse_one_by_one(bodies).reset_index()
    return _asos_table(table)


def read_raw_readings(store: ObjectStore, first: date, last: date) -> RawReadings:
    """The 5-minute PM10 readings of the days ``first..last`` that are collected (their parsed
    ``.csv`` exists; the reply beside it is what is read)."""
    parsed = collected_days(store, "pm10", first, last)
    keys = {day: raw_reply_key("pm10", day) for day in date_range(first, last) if day in parsed}
    bodies = store.get_many(keys.values())
    return RawReadings(readings=parse_pm10_day_replies(bodies), collected=_collected(keys, bodies))


def parse_pm10_day_replies(bodies: dict[str, bytes]) -> pd.DataFrame:
    """``time`` and ``pm10`` of single-day ``kma_pm10`` replies, parsed as one reply."""
    data = b"".join(_data_lines(key, body) for key, body in bodies.items())
    reply: str | bytes = f"{START_MARKER}\n".encode() + data + f"{END_MARKER}\n".encode()
    try:
        reply = reply.decode("ascii")  # readings are ASCII; much quicker than EUC-KR decoding
    except UnicodeDecodeError:
        pass  # let the parser decode and report it
    try:
        readings = parse_pm10(reply)
    except KmaMalformedReply:
        for key, body in bodies.items():  # name the day that cannot be read
            try:
                parse_pm10(body)
            except KmaMalformedReply as error:
                raise RawDayUnreadable(key, str(error)) from None
        raise
    return readings[["time", "pm10"]]


def _data_lines(key: str, body: bytes) -> bytes:
    """A day's reply without its header lines and ``#7777END``, newline-terminated."""
    end = body.rfind(END_MARKER.encode())
    if end == -1:
        raise RawDayUnreadable(key, f"not a complete KMA reply (no {END_MARKER} line)")
    start = 0
    while start < end and body.startswith((b"#", b"\n", b"\r"), start):
        newline = body.find(b"\n", start, end)
        if newline == -1:
            break
        start = newline + 1
    data = body[start:end]
    return data if not data or data.endswith(b"\n") else data + b"\n"


def collected_days(store: ObjectStore, source: RawSource, first: date, last: date) -> set[date]:
    """The days ``first..last`` whose parsed raw object exists: one listing per month."""
    wanted = {raw_parsed_key(source, day): day for day in date_range(first, last)}
    found = set()
    for month in sorted({key.rsplit("/", 1)[0] + "/" for key in wanted}):
        found.update(wanted[key] for key in store.list_keys(month) if key in wanted)
    return found


def _collected(keys: dict[date, str], bodies: dict[str, bytes]) -> pd.DatetimeIndex:
    """The days whose raw object the store holds."""
    stored = [day for day, key in keys.items() if key in bodies]
    return pd.DatetimeIndex(pd.to_datetime(stored), name="date")


def _parse_one_by_one(bodies: dict[str, bytes]) -> pd.DataFrame:
    frames = []
    for key, body in bodies.items():
        try:
            frame = pd.read_csv(io.BytesIO(body), usecols=_wanted(body.partition(b"\n")[0]))
            frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
            frame = _asos_table(frame)
        except (ValueError, KeyError) as error:
            raise RawDayUnreadable(key, f"not a parsed ASOS day ({error})") from None
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    if table["date"].duplicated().any():
        day = table.loc[table["date"].duplicated(), "date"].iloc[0]
        raise RawDayUnreadable(raw_parsed_key("asos", day.date()), "the day appears twice")
    return table.set_index("date").sort_index()

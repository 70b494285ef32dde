"""Small raw days made by hand, and an object store in memory for the pure cleaning tests."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.cleaning.portal import PARSED_ASOS_HEADER
from seoulcast_assets.kma.columns import ASOS_COLUMNS
from seoulcast_assets.layout import raw_parsed_key, raw_reply_key
from seoulcast_assets.storage import ObjectInfo, ObjectNotFound

READINGS = 288
NAN = float("nan")


class MemoryStore:
    """The ObjectStore interface over a dict; counts how many writes changed an object."""

    url = "memory://"

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.changes = 0

    def put(self, key: str, data: bytes, content_type: str = "") -> bool:
        if self.objects.get(key) == data:
            return False
        self.objects[key] = bytes(data)
        self.changes += 1
        return True

    def get(self, key: str) -> bytes:
        try:
            return self.objects[key]
        except KeyError:
            raise ObjectNotFound(key) from None

    def head(self, key: str) -> ObjectInfo:
        data = self.get(key)
        etag = hashlib.md5(data, usedforsecurity=False).hexdigest()
        return ObjectInfo(key, etag, len(data), datetime.now(tz=UTC))

    def exists(self, key: str) -> bool:
        return key in self.objects

    def list_keys(self, prefix: str) -> list[str]:
        return sorted(key for key in self.objects if key.startswith(prefix))

    def put_many(self, objects: Mapping[str, bytes], content_type: str = "") -> int:
        return sum(self.put(key, data) for key, data in objects.items())

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        return {key: self.objects[key] for key in keys if key in self.objects}

    def update(self, key: str, change, content_type: str = "") -> bool:
        return self.put(key, change(self.objects.get(key)))


@pytest.fixture
def memory_store() -> MemoryStore:
    return MemoryStore()


def days(first: str, count: int) -> list[date]:
    start = date.fromisoformat(first)
    return [start + timedelta(days=offset) for offset in range(count)]


def temperature_rows(values: Mapping[date, tuple[float, float, float]]) -> pd.DataFrame:
    """Raw ASOS rows (``ta_avg, ta_max, ta_min``) indexed by day; NaN for a missing value."""
    index = pd.DatetimeIndex(pd.to_datetime(list(values)), name="date")
    return pd.DataFrame(list(values.values()), index=index, columns=["ta_avg", "ta_max", "ta_min"])


# An ordinary winter day in Seoul of every weather element (dry, no snow): no rule fires on a
# day with a mean temperature above -8 °C.
ORDINARY_WEATHER = {
    "ws_avg": 2.1, "ws_max": 5.3, "wd_max": 270.0, "hm_avg": 52.0, "hm_min": 31.0,
    "td_avg": -8.4, "pv_avg": 3.2, "pa_avg": 1018.1, "ps_avg": 1028.4, "ps_max": 1031.0,
    "ps_min": 1025.2, "ca_tot": 2.5, "ss_day": 7.4, "ss_dur": 9.9, "si_day": 9.41,
    "rn_day": NAN, "sd_new": NAN, "sd_max": NAN, "ts_avg": 0.2,
    "tg_min": -7.4, "te_05": 3.3, "te_10": 6.8, "te_15": 9.0, "te_30": 13.9, "te_50": 16.4,
    "ta_max_tm": 1444.0, "ta_min_tm": 712.0, "hm_min_tm": 1446.0, "ws_max_tm": 1313.0,
    "ps_max_tm": 52.0, "ps_min_tm": 1539.0,
}  # fmt: skip


def asos_day_csv(
    day: date,
    triple: tuple[float, float, float] | None,
    weather: Mapping[str, float] | None = ORDINARY_WEATHER,
    source: str | None = None,
) -> bytes:
    """A parsed ASOS day as raw_asos stores it; None is a day KMA sent no row for. ``weather``
    gives the other elements (None: a row with temperatures only); ``source`` appends the
    column newer collections write (None: an older raw day without it)."""
    header = PARSED_ASOS_HEADER + (",source" if source is not None else "")
    if triple is None:
        return f"{header}\n".encode()
    cells = [""] * len(ASOS_COLUMNS)
    cells[0], cells[1] = day.isoformat(), "108"
    values = {**dict(zip(("ta_avg", "ta_max", "ta_min"), triple, strict=True)), **(weather or {})}
    for name, value in values.items():
        if value == value:
            cells[ASOS_COLUMNS.index(name)] = f"{value:.10g}"
    if source is not None:
        cells.append(source)
    return f"{header}\n{','.join(cells)}\n".encode()


def pm10_day_reply(day: date, values: Iterable[float] | None) -> bytes:
    """A single-day kma_pm10 reply; ``values`` by 5-minute slot (NaN: KMA's -99 for none)."""
    lines = ["#START7777", "#  YYMMDDHHMI    STN  PM10   FLAG MQC"]
    for slot, value in enumerate([] if values is None else values):
        stamp = datetime.combine(day, datetime.min.time()) + timedelta(minutes=5 * slot)
        text = "-99" if value != value else f"{value:.0f}"
        lines.append(f"{stamp:%Y%m%d%H%M},   108, {text:>5},000000,,=")
    lines.append("#7777END")
    return ("\n".join(lines) + "\n").encode()


def readings_frame(day: date, values: Iterable[float]) -> pd.DataFrame:
    """5-minute readings of one day as parse_pm10 gives them (``time``, ``pm10``)."""
    values = np.asarray(list(values), dtype=float)
    start = pd.Timestamp(day)
    times = start + pd.to_timedelta(np.arange(len(values)) * 5, unit="min")
    return pd.DataFrame({"time": times, "pm10": values})


def smooth_day(level: float, seed: int = 0, wobble: float = 0.1) -> np.ndarray:
    """288 whole readings wandering gently (±``wobble``) around ``level``, none equal twice in
    a row for long and none zero: a clean day."""
    rng = np.random.default_rng(seed)
    noise = np.convolve(rng.standard_normal(READINGS + 11), np.ones(12) / 12, mode="valid")
    values = np.rint(level * (1 + wobble * noise / max(np.abs(noise).max(), 1e-9)))
    values[1::2] += 1  # a working monitor never repeats one value for hours
    return np.maximum(values, 1)


def store_raw_days(
    store,
    temperature: Mapping[date, tuple[float, float, float] | None] = {},
    pm10: Mapping[date, Iterable[float] | None] = {},
) -> None:
    """Write raw days the way raw_asos and raw_pm10 lay them out."""
    objects = {}
    for day, triple in temperature.items():
        objects[raw_parsed_key("asos", day)] = asos_day_csv(day, triple)
        objects[raw_reply_key("asos", day)] = b"#START7777\n#7777END\n"
    for day, values in pm10.items():
        objects[raw_reply_key("pm10", day)] = pm10_day_reply(day, values)
        objects[raw_parsed_key("pm10", day)] = pm10_day_csv(day, values)
    store.put_many(objects)


def pm10_day_csv(day: date, values: Iterable[float] | None) -> bytes:
    """The unscreened daily aggregate raw_pm10 stores beside the reply (written last)."""
    present = [v for v in ([] if values is None else values) if v == v]
    header = "date,pm10_avg,pm10_max,pm10_min,n_valid,n_records"
    if not present:
        return f"{header}\n{day.isoformat()},,,,0,0\n".encode()
    mean, high, low = np.mean(present), max(present), min(present)
    count = len(list(values))
    row = f"{day.isoformat()},{mean:.10g},{high:g},{low:g},{len(present)},{count}"
    return f"{header}\n{row}\n".encode()

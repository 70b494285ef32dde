"""A synthetic KMA emulator shared by a test package, on a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from seoulcast_assets.kma_emulator import KmaEmulator, SyntheticWeather
from seoulcast_assets.kst import KST

NOW = datetime(2026, 3, 15, 10, 2, tzinfo=KST)
"""The emulator's "now": daily rows are served up to 2026-03-14, readings up to 10:00 KST."""


def warmed_up_weather(seed: int) -> SyntheticWeather:
    """Synthetic weather whose series are generated up front, so that no request waits for
    them beyond a test's short client timeout."""
    weather = SyntheticWeather(seed=seed)
    weather.asos_days(date(2024, 1, 1), date(2024, 1, 1))
    weather.pm10_day(date(2024, 1, 1))
    return weather


@contextmanager
def emulator_at_now(weather: SyntheticWeather) -> Iterator[KmaEmulator]:
    with KmaEmulator(weather, clock=lambda: NOW).running() as emulator:
        yield emulator


@contextmanager
def cleared(emulator: KmaEmulator) -> Iterator[KmaEmulator]:
    """The emulator with no pending faults and an empty request log, and no faults left after."""
    emulator.clear_faults()
    emulator.clear_requests()
    yield emulator
    emulator.clear_faults()

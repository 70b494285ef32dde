from __future__ import annotations

from datetime import date, datetime

import pytest

from seoulcast_assets.kma_emulator import KmaEmulator, SyntheticWeather
from seoulcast_assets.kst import KST

# The emulator's "now": it serves daily rows up to 2026-03-14 and readings up to 10:00.
NOW = datetime(2026, 3, 15, 10, 2, tzinfo=KST)


@pytest.fixture(scope="session")
def running_emulator():
    weather = SyntheticWeather(seed=7)
    weather.asos_days(date(2024, 1, 1), date(2024, 1, 1))  # generate the series up front, so
    weather.pm10_day(date(2024, 1, 1))  # no request waits for it beyond a test's short timeout
    with KmaEmulator(weather, clock=lambda: NOW).running() as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator):
    """The shared emulator with no pending faults and an empty request log."""
    running_emulator.clear_faults()
    running_emulator.clear_requests()
    yield running_emulator
    running_emulator.clear_faults()

from __future__ import annotations

from datetime import date, datetime

import pytest
import requests

from seoulcast_assets.kma_emulator import KmaEmulator, SyntheticWeather
from seoulcast_assets.kst import KST

# The emulator's "now": daily rows are served up to 2026-03-14, readings up to 10:00 KST.
NOW = datetime(2026, 3, 15, 10, 2, tzinfo=KST)
SEED = 11


@pytest.fixture(scope="session")
def weather() -> SyntheticWeather:
    weather = SyntheticWeather(seed=SEED)
    weather.asos_days(date(2024, 1, 1), date(2024, 1, 1))  # generate the daily series once
    weather.pm10_day(date(2024, 1, 1))
    return weather


@pytest.fixture(scope="session")
def running_emulator(weather):
    with KmaEmulator(weather, clock=lambda: NOW).running() as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator):
    running_emulator.clear_faults()
    running_emulator.clear_requests()
    yield running_emulator
    running_emulator.clear_faults()


def get(emulator: KmaEmulator, endpoint: str, **params: str) -> requests.Response:
    """One raw HTTP request to the emulator."""
    return requests.get(f"{emulator.base_url}/{endpoint}", params=params, timeout=10)


def data_rows(response: requests.Response) -> list[str]:
    text = response.content.decode("euc_kr")
    return [line for line in text.splitlines() if line and not line.startswith("#")]

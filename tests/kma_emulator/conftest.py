from __future__ import annotations

import pytest
import requests

from seoulcast_assets.kma_emulator import KmaEmulator, SyntheticWeather
from tests.support.kma_emulator import cleared, emulator_at_now, warmed_up_weather

SEED = 11


@pytest.fixture(scope="session")
def weather() -> SyntheticWeather:
    return warmed_up_weather(SEED)


@pytest.fixture(scope="session")
def running_emulator(weather):
    with emulator_at_now(weather) as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator):
    with cleared(running_emulator) as emulator:
        yield emulator


def get(emulator: KmaEmulator, endpoint: str, **params: str) -> requests.Response:
    """One raw HTTP request to the emulator."""
    return requests.get(f"{emulator.base_url}/{endpoint}", params=params, timeout=10)


def data_rows(response: requests.Response) -> list[str]:
    text = response.content.decode("euc_kr")
    return [line for line in text.splitlines() if line and not line.startswith("#")]

from __future__ import annotations

import pytest

from tests.support.kma_emulator import cleared, emulator_at_now, warmed_up_weather


@pytest.fixture(scope="session")
def running_emulator():
    with emulator_at_now(warmed_up_weather(seed=7)) as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator):
    """The shared emulator with no pending faults and an empty request log."""
    with cleared(running_emulator) as emulator:
        yield emulator

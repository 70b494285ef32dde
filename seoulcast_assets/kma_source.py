"""Open a KMA client for the configured source: KMA API Hub, any KMA-compatible server, or the
built-in emulator (``seoulcast_assets.config.BUILTIN_EMULATOR``), started for as long as the
client is in use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from seoulcast_assets.config import BUILTIN_EMULATOR
from seoulcast_assets.kma import KmaClient


@contextmanager
def open_kma_client(
    base_url: str,
    api_key: str | None = None,
    *,
    timeout: float = 30.0,
    max_attempts: int = 4,
    backoff_seconds: float = 2.0,
    emulator_seed: int = 108,
) -> Iterator[KmaClient]:
    options = {"timeout": timeout, "max_attempts": max_attempts, "backoff_seconds": backoff_seconds}
    if base_url != BUILTIN_EMULATOR:
        with KmaClient(base_url, api_key, **options) as client:
            yield client
        return
    from seoulcast_assets.kma_emulator import KmaEmulator, SyntheticWeather

    with KmaEmulator(SyntheticWeather(seed=emulator_seed)).running() as emulator:
        with KmaClient(emulator.base_url, api_key, **options) as client:
            yield client

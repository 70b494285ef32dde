"""A full disk: the error names the object and the store, and nothing is half-written."""

from __future__ import annotations

from datetime import date

import pytest

from seoulcast_assets.collection import collect_pm10
from seoulcast_assets.kma import KmaClient
from seoulcast_assets.storage import LocalObjectStore, StorageWriteFailed
from tests.support.kma_emulator import emulator_at_now, warmed_up_weather


def test_a_full_disk_names_the_object_and_the_store(tiny_filesystem):
    store = LocalObjectStore(tiny_filesystem / "store")
    store.put("forecast/latest.json", b"{}")
    key = "forecast/date=2024-03/2024-03-01.json"
    with pytest.raises(StorageWriteFailed) as raised:
        store.put(key, b"x" * 1_000_000)
    message = str(raised.value)
    assert key in message and store.url in message and "No space left on device" in message
    assert not store.exists(key)
    assert store.list_keys("") == ["forecast/latest.json"]
    leftovers = [p for p in (tiny_filesystem / "store").rglob("*") if p.is_file()]
    assert [p.name for p in leftovers] == ["latest.json"]  # no temporary file left behind


def test_collection_into_a_full_disk_fails_naming_the_object(tiny_filesystem):
    store = LocalObjectStore(tiny_filesystem / "store")
    with emulator_at_now(warmed_up_weather(seed=7)) as emulator:
        client = KmaClient(emulator.base_url, timeout=30)
        with pytest.raises(StorageWriteFailed, match=r"raw/pm10/date=2024-0\d/2024-0\d-\d\d"):
            collect_pm10(client, store, date(2024, 1, 1), date(2024, 3, 31))

"""A hung store is asked rarely, not once per reader: the cache's circuit breaker.

The store is a real boto3 client pointed at a socket that accepts connections and never
answers (what a hung S3 server looks like from outside), behind a real SeaweedFS for the copies
read before it hung. For several seconds readers ask for five objects due for revalidation
every 0.2 s; every read must answer from memory at once, and the hung endpoint must see a
handful of requests, not one per key per interval.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from seoulcast_api.cache import ObjectCache
from seoulcast_api.store import open_api_store
from seoulcast_assets.storage import ObjectStore, S3ObjectStore
from tests.api.s3_counting import S3RequestCounter
from tests.support.seaweedfs import S3Server

pytestmark = pytest.mark.slow

KEYS = [f"forecast/date=2026-11/2026-11-2{day}.json" for day in range(5)]
REVALIDATE_SECONDS = 0.2
HUNG_SECONDS = 6.0


class Switchable:
    """An object store that forwards to ``target``, which the test replaces."""

    def __init__(self, target: ObjectStore):
        self.target = target
        self.url = target.url

    def __getattr__(self, name: str) -> Any:
        return getattr(self.target, name)


@pytest.fixture
def hung_endpoint() -> Iterator[str]:
    """A listener whose connections complete (the kernel queues them) and then hear nothing."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=128)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def test_a_hung_store_is_not_asked_once_per_reader(
    s3_server: S3Server, s3_store: S3ObjectStore, hung_endpoint: str, monkeypatch
):
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    for key in KEYS:
        s3_store.put(key, key.encode())
    store = Switchable(s3_store)
    cache = ObjectCache(store, REVALIDATE_SECONDS)
    for key in KEYS:
        assert cache.read(key, bytes.decode).value == key

    hung = open_api_store(s3_store.url, hung_endpoint)
    asked = S3RequestCounter(hung.client)
    store.target = hung
    slowest = 0.0
    deadline = time.monotonic() + HUNG_SECONDS
    while time.monotonic() < deadline:
        for key in KEYS:
            started = time.monotonic()
            assert cache.read(key, bytes.decode).value == key
            slowest = max(slowest, time.monotonic() - started)
        time.sleep(0.01)

    print(
        f"\n{asked.total} requests to the hung store in {HUNG_SECONDS:.0f} s; slowest read "
        f"{slowest * 1000:.1f} ms"
    )
    assert slowest < 0.05  # every read from memory, none waiting on the store
    # Without the breaker: each key every 0.2 s + a 1 s timeout, about 25 requests. With it:
    # the first due keys, then one probe when the breaker half-opens (after 2 s, then 4 s).
    assert asked.total <= len(KEYS) + 3
    assert cache.read(KEYS[0], bytes.decode).stale

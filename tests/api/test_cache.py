"""The object cache against a real S3 server, counting the requests it actually sends."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from seoulcast_api.cache import ObjectCache, UnparsableObject
from seoulcast_api.flights import SingleFlight
from seoulcast_api.store import GuardedStore, open_api_store
from seoulcast_assets.storage import ObjectNotFound, S3ObjectStore, StorageUnavailable
from tests.api.s3_counting import S3RequestCounter
from tests.api.waiting import eventually

pytestmark = pytest.mark.slow

KEY = "forecast/latest.json"
INTERVAL = 30.0


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.on_next_reading: Callable[[], None] | None = None  # runs once, inside a reading

    def __call__(self) -> float:
        hook, self.on_next_reading = self.on_next_reading, None
        if hook is not None:
            hook()
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class CountingParser:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, raw: bytes) -> str:
        self.calls += 1
        return raw.decode()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def s3_requests(s3_store: S3ObjectStore) -> S3RequestCounter:
    return S3RequestCounter(s3_store.client)


@pytest.fixture
def cache(s3_store: S3ObjectStore, clock: Clock) -> ObjectCache:
    return ObjectCache(s3_store, INTERVAL, monotonic=clock)


def test_a_read_within_the_interval_sends_no_request(cache, s3_store, s3_requests):
    s3_store.put(KEY, b"v1")
    s3_requests.reset()
    assert cache.read(KEY, bytes.decode).value == "v1"
    assert (s3_requests["HeadObject"], s3_requests["GetObject"]) == (1, 1)
    for _ in range(5):
        assert cache.read(KEY, bytes.decode).value == "v1"
    assert s3_requests.total == 2


def test_a_due_read_answers_from_memory_and_revalidates_in_the_background(
    cache, s3_store, s3_requests, clock
):
    s3_store.put(KEY, b"v1")
    parse = CountingParser()
    cache.read(KEY, parse)
    s3_requests.reset()
    clock.advance(INTERVAL + 1)
    assert cache.read(KEY, parse).value == "v1"
    eventually(lambda: s3_requests["HeadObject"] == 1)
    time.sleep(0.2)
    assert (s3_requests["HeadObject"], s3_requests["GetObject"]) == (1, 0)  # unchanged: no GET
    assert parse.calls == 1  # parsed once per version, not per read


def test_many_due_reads_start_one_revalidation(cache, s3_store, s3_requests, clock):
    s3_store.put(KEY, b"v1")
    cache.read(KEY, bytes.decode)
    s3_requests.reset()
    clock.advance(INTERVAL + 1)
    with ThreadPoolExecutor(8) as pool:
        values = list(pool.map(lambda _: cache.read(KEY, bytes.decode).value, range(200)))
    assert set(values) == {"v1"}
    eventually(lambda: s3_requests["HeadObject"] == 1)
    time.sleep(0.2)
    assert s3_requests.total == 1


def test_a_reader_that_found_the_key_due_as_its_revalidation_landed_sends_nothing(
    s3_store, s3_requests, clock
):
    flights = SingleFlight()
    cache = ObjectCache(s3_store, INTERVAL, monotonic=clock, flights=flights)
    s3_store.put(KEY, b"v1")
    cache.read(KEY, bytes.decode)
    s3_requests.reset()
    clock.advance(INTERVAL + 1)

    def another_reader_revalidates_meanwhile() -> None:
        with ThreadPoolExecutor(1) as other:
            other.submit(cache.read, KEY, bytes.decode).result()
        eventually(lambda: s3_requests["HeadObject"] == 1 and not flights.in_flight(KEY))

    clock.on_next_reading = another_reader_revalidates_meanwhile  # inside this read's due check
    assert cache.read(KEY, bytes.decode).value == "v1"
    time.sleep(0.2)
    assert s3_requests.total == 1
    cache.close()


def test_a_changed_object_is_picked_up_after_the_interval(cache, s3_store, s3_requests, clock):
    s3_store.put(KEY, b"v1")
    cache.read(KEY, bytes.decode)
    s3_store.put(KEY, b"v2")
    s3_requests.reset()
    clock.advance(INTERVAL - 1)
    assert cache.read(KEY, bytes.decode).value == "v1"  # still trusted: no request
    time.sleep(0.1)
    assert s3_requests.total == 0
    clock.advance(2)
    assert cache.read(KEY, bytes.decode).value == "v1"  # served while the new one downloads
    eventually(lambda: cache.read(KEY, bytes.decode).value == "v2")
    assert (s3_requests["HeadObject"], s3_requests["GetObject"]) == (1, 1)


def test_read_if_cached_answers_only_from_memory(cache, s3_store, s3_requests, clock):
    s3_store.put(KEY, b"v1")
    assert cache.read_if_cached(KEY, bytes.decode) is None  # never read yet
    cache.read(KEY, bytes.decode)
    s3_requests.reset()
    assert cache.read_if_cached(KEY, bytes.decode).value == "v1"
    assert cache.read_if_cached(KEY, str.upper) is None  # not parsed this way yet
    clock.advance(INTERVAL + 1)
    assert cache.read_if_cached(KEY, bytes.decode).value == "v1"  # due: still from memory
    eventually(lambda: s3_requests["HeadObject"] == 1)  # and revalidated behind it


def test_a_missing_object_is_remembered_for_the_interval(cache, s3_store, s3_requests, clock):
    s3_requests.reset()
    with pytest.raises(ObjectNotFound):
        cache.read(KEY, bytes.decode)
    s3_store.put(KEY, b"late")
    s3_requests.reset()
    with pytest.raises(ObjectNotFound):
        cache.read(KEY, bytes.decode)
    assert s3_requests.total == 0
    clock.advance(INTERVAL + 1)

    def found() -> bool:
        try:
            return cache.read(KEY, bytes.decode).value == "late"
        except ObjectNotFound:
            return False

    eventually(found)


def test_read_many_skips_missing_keys_and_reuses_fresh_ones(cache, s3_store, s3_requests):
    s3_store.put("a", b"A")
    s3_store.put("c", b"C")
    cache.read("a", bytes.decode)
    s3_requests.reset()
    found = cache.read_many(["a", "b", "c"], bytes.decode)
    assert {key: read.value for key, read in found.items()} == {"a": "A", "c": "C"}
    assert s3_requests["HeadObject"] == 2  # b and c; a was fresh
    assert s3_requests["GetObject"] == 1  # only c exists among them


def test_a_rejected_object_names_its_key(cache, s3_store):
    s3_store.put(KEY, b"not json")

    def parse(raw: bytes) -> object:
        raise ValueError("expected a forecast document")

    with pytest.raises(UnparsableObject) as raised:
        cache.read(KEY, parse)
    assert raised.value.key == KEY


@pytest.fixture
def dead_store(s3_store: S3ObjectStore) -> S3ObjectStore:
    """The same bucket and prefix, reached through an endpoint where nothing listens."""
    from tests.api.http_server import free_port

    dead = open_api_store(
        f"s3://{s3_store.bucket}/{s3_store.prefix}", f"http://127.0.0.1:{free_port()}"
    )
    assert isinstance(dead, S3ObjectStore)
    return dead


def test_store_down_serves_the_last_good_copy_marked_stale(cache, s3_store, dead_store, clock):
    s3_store.put(KEY, b"v1")
    first = cache.read(KEY, bytes.decode)
    assert not first.stale
    cache.store = GuardedStore(dead_store)
    clock.advance(INTERVAL + 1)
    assert cache.read(KEY, bytes.decode).value == "v1"  # at once, while the store is tried
    stale = eventually(lambda: (read := cache.read(KEY, bytes.decode)).stale and read)
    assert (stale.value, stale.verified_at) == ("v1", first.verified_at)
    assert cache.read_if_cached(KEY, bytes.decode).stale  # and stays marked until checked again
    cache.store = GuardedStore(s3_store)
    clock.advance(INTERVAL + 1)
    recovered = eventually(lambda: not (read := cache.read(KEY, bytes.decode)).stale and read)
    assert recovered.verified_at > first.verified_at


def test_store_down_without_a_copy_raises(cache, dead_store):
    cache.store = GuardedStore(dead_store)
    with pytest.raises(StorageUnavailable):
        cache.read(KEY, bytes.decode)


def test_the_cache_keeps_at_most_max_entries(s3_store, clock):
    cache = ObjectCache(s3_store, INTERVAL, max_entries=3, monotonic=clock)
    s3_store.put("kept", b"K")
    for day in range(1, 6):
        with pytest.raises(ObjectNotFound):
            cache.read(f"forecast/date=2001-01/2001-01-0{day}.json", bytes.decode)
    assert cache.read("kept", bytes.decode).value == "K"
    assert len(cache) == 3
    assert cache.read_if_cached("kept", bytes.decode).value == "K"  # the newest entry stays

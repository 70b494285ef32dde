"""An in-process cache over the object store that revalidates cheaply.

A request must not cost an S3 round trip: every object the API reads is kept in memory and
trusted for ``revalidate_after`` seconds. After that, the next read asks the store for the
object's ETag (a HEAD) and downloads it again only when the ETag changed. Missing objects are
remembered for the same interval, so a page that asks for days without forecasts does not
probe S3 for each of them on every request.

When the store cannot be reached, the last good copy is served and marked stale (the caller
turns that into an ``X-SeoulCast-Stale`` header); the store is not asked again until the interval
has passed, so an outage does not make every request wait on a dead endpoint. Only when there is
no good copy does :class:`StorageUnavailable` reach the caller.

Parsed forms of an object (a decoded forecast, a parsed yearly table, pre-encoded JSON bytes)
are memoised on the cached copy, so parsing also happens once per object version.

The cache holds at most ``max_entries`` keys, dropping the one revalidated longest ago, so a
client walking through every possible date cannot grow it without bound.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from seoulcast_assets.storage import ObjectNotFound, ObjectStore, StorageUnavailable

T = TypeVar("T")

READ_MANY_CONCURRENCY = 8
DEFAULT_MAX_ENTRIES = 4096
LOCK_STRIPES = 64


class UnparsableObject(Exception):
    """An object its parser rejected: the store holds something outside the contract."""

    def __init__(self, key: str, problem: str):
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Cached(Generic[T]):
    """A value read through the cache, and whether it could be confirmed current.

    ``stale`` is true when the store was unreachable at the last revalidation and ``value`` is
    the last good copy; ``verified_at`` is when that copy was last known to match the store.
    """

    value: T
    verified_at: datetime
    stale: bool = False


def combined(value: T, reads: Iterable[Cached[Any]]) -> Cached[T]:
    """``value``, computed from several reads, as fresh as the least fresh of them."""
    reads = list(reads)
    stale = [read for read in reads if read.stale]
    verified = min((read.verified_at for read in stale or reads), default=None)
    return Cached(value, verified or _utcnow(), bool(stale))


@dataclass(slots=True)
class _Entry:
    """One object as last seen in the store (or the fact that it was missing)."""

    body: bytes | None  # None: the object did not exist
    etag: str | None
    checked_at: float  # monotonic time of the last attempt to revalidate
    verified_at: datetime  # wall-clock time the copy last matched the store
    stale: bool = False
    parsed: dict[Callable[[bytes], Any], Any] = field(default_factory=dict)


class ObjectCache:
    """Reads objects through memory, revalidating each key at most every ``revalidate_after`` s."""

    def __init__(
        self,
        store: ObjectStore,
        revalidate_after: float,
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.store = store
        self.revalidate_after = revalidate_after
        self.max_entries = max_entries
        self._monotonic = monotonic
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._entries_guard = threading.Lock()
        # One lock per stripe of keys: two requests for the same key wait for one download,
        # and the number of locks stays fixed however many keys pass through.
        self._locks = [threading.Lock() for _ in range(LOCK_STRIPES)]

    # -- reading -----------------------------------------------------------------------------

    def read(self, key: str, parse: Callable[[bytes], T]) -> Cached[T]:
        """The object at ``key`` run through ``parse`` (memoised per version of the object).

        Raises :class:`ObjectNotFound` when the object does not exist,
        :class:`StorageUnavailable` when the store is down and no copy was ever read, and
        :class:`UnparsableObject` when ``parse`` rejects the object.
        """
        entry = self._fresh_entry(key)
        if entry is None:
            with self._lock_for(key):
                entry = self._fresh_entry(key) or self._revalidate(key)
        if entry.body is None:
            raise ObjectNotFound(key)
        return self._parsed(key, entry, parse)

    def read_if_fresh(self, key: str, parse: Callable[[bytes], T]) -> Cached[T] | None:
        """The cached, already-parsed value when it needs no I/O at all; otherwise None.

        This is the hot path for async handlers: it never touches the store and never blocks on
        a lock held by a thread that is talking to the store. A missing object remembered within
        the interval raises :class:`ObjectNotFound`, as :meth:`read` would.
        """
        entry = self._fresh_entry(key)
        if entry is None:
            return None
        if entry.body is None:
            raise ObjectNotFound(key)
        value = entry.parsed.get(parse, _MISSING)
        if value is _MISSING:
            return None
        return Cached(value, entry.verified_at, entry.stale)

    def read_many(self, keys: Iterable[str], parse: Callable[[bytes], T]) -> dict[str, Cached[T]]:
        """Several objects at once; keys that do not exist are left out.

        Fresh entries are answered from memory; the others are revalidated concurrently.
        Raises :class:`StorageUnavailable` if any key could not be read at all.
        """
        keys = list(dict.fromkeys(keys))
        found: dict[str, Cached[T]] = {}
        due = []
        for key in keys:
            entry = self._fresh_entry(key)
            if entry is None:
                due.append(key)
            elif entry.body is not None:
                found[key] = self._parsed(key, entry, parse)

        def attempt(key: str) -> tuple[str, Cached[T] | None]:
            try:
                return key, self.read(key, parse)
            except ObjectNotFound:
                return key, None

        if due:
            with ThreadPoolExecutor(min(READ_MANY_CONCURRENCY, len(due))) as pool:
                for key, value in pool.map(attempt, due):
                    if value is not None:
                        found[key] = value
        return {key: found[key] for key in keys if key in found}

    # -- internals ---------------------------------------------------------------------------

    def _fresh_entry(self, key: str) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and self._monotonic() - entry.checked_at < self.revalidate_after:
            return entry
        return None

    def __len__(self) -> int:
        return len(self._entries)

    def _lock_for(self, key: str) -> threading.Lock:
        return self._locks[hash(key) % LOCK_STRIPES]

    def _remember(self, key: str, entry: _Entry) -> None:
        with self._entries_guard:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def _forget(self, key: str) -> None:
        with self._entries_guard:
            self._entries.pop(key, None)

    def _revalidate(self, key: str) -> _Entry:
        """Bring ``key`` up to date with the store (called with the key's lock held).

        HEAD comes before GET so the ETag recorded is never newer than the body: if the object
        changes in between, the next revalidation sees a different ETag and downloads again.
        """
        previous = self._entries.get(key)
        now = self._monotonic()
        try:
            info = self.store.head(key)
            if previous is not None and previous.body is not None and previous.etag == info.etag:
                entry = _Entry(previous.body, previous.etag, now, _utcnow(), parsed=previous.parsed)
            else:
                entry = _Entry(self.store.get(key), info.etag, now, _utcnow())
        except ObjectNotFound:
            entry = _Entry(None, None, now, _utcnow())
        except StorageUnavailable:
            if previous is None or previous.body is None:
                self._forget(key)
                raise
            entry = _Entry(
                previous.body, previous.etag, now, previous.verified_at, True, previous.parsed
            )
        self._remember(key, entry)
        return entry

    def _parsed(self, key: str, entry: _Entry, parse: Callable[[bytes], T]) -> Cached[T]:
        value = entry.parsed.get(parse, _MISSING)
        if value is _MISSING:
            try:
                value = parse(entry.body)  # type: ignore[arg-type]
            except Exception as error:
                raise UnparsableObject(key, f"{type(error).__name__}: {error}") from error
            entry.parsed[parse] = value
        return Cached(value, entry.verified_at, entry.stale)


_MISSING = object()


def _utcnow() -> datetime:
    return datetime.now(tz=UTC)

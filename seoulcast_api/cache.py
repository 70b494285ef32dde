"""An in-process cache over the object store that never makes a reader wait for revalidation.

A request must not cost an S3 round trip: every object the API reads is kept in memory and
trusted for ``revalidate_after`` seconds. After that, the next read still answers at once from
memory and starts one revalidation of the key in the background (however many reads find it
due): a HEAD for the object's ETag, and a GET only when the ETag changed. Missing objects are
remembered the same way, so a page that asks for days without forecasts does not probe S3 for
each of them on every request.

When a revalidation fails (the store is down, hung, or its breaker is open), the last good copy
keeps being served, marked stale (the caller turns that into an ``X-SeoulCast-Stale`` header);
a due copy read while the store's breaker is open is marked stale too. Only the first read of a
key waits for the store, and only up to ``first_read_timeout`` seconds; without a copy,
:class:`StorageUnavailable` reaches the caller (a 503).

Parsed forms of an object (a decoded forecast, a parsed yearly table, pre-encoded JSON bytes)
are memoised on the cached copy, so parsing also happens once per object version.

The cache holds at most ``max_entries`` keys, dropping the one revalidated longest ago, so a
client walking through every possible date cannot grow it without bound.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import wait as wait_for_all
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from seoulcast_api.flights import SingleFlight
from seoulcast_api.store import GuardedStore
from seoulcast_assets.storage import ObjectNotFound, ObjectStore, StorageUnavailable

T = TypeVar("T")

DEFAULT_MAX_ENTRIES = 4096
FIRST_READ_TIMEOUT_S = 2.0

log = logging.getLogger("seoulcast_api.cache")


class UnparsableObject(Exception):
    """An object its parser rejected: the store holds something outside the contract."""

    def __init__(self, key: str, problem: str):
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Cached(Generic[T]):
    """A value read through the cache, and whether it could be confirmed current.

    ``stale`` is true when the store could not be reached at the last revalidation and
    ``value`` is the last good copy; ``verified_at`` is when that copy last matched the store.
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
    checked_at: float  # monotonic time the last revalidation finished, successful or not
    verified_at: datetime  # wall-clock time the copy last matched the store
    stale: bool = False  # the last revalidation could not reach the store
    parsed: dict[Callable[[bytes], Any], Any] = field(default_factory=dict)


class ObjectCache:
    """Reads objects through memory; each key is revalidated in the background when due."""

    def __init__(
        self,
        store: ObjectStore | GuardedStore,
        revalidate_after: float,
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        first_read_timeout: float = FIRST_READ_TIMEOUT_S,
        monotonic: Callable[[], float] = time.monotonic,
        flights: SingleFlight | None = None,
    ):
        self.store = store if isinstance(store, GuardedStore) else GuardedStore(store)
        self.revalidate_after = revalidate_after
        self.max_entries = max_entries
        self.first_read_timeout = first_read_timeout
        self._monotonic = monotonic
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._entries_guard = threading.Lock()
        self._flights = flights or SingleFlight()

    # -- reading -----------------------------------------------------------------------------

    def read(self, key: str, parse: Callable[[bytes], T]) -> Cached[T]:
        """The object at ``key`` run through ``parse`` (memoised per version of the object).

        Raises :class:`ObjectNotFound` when the object does not exist,
        :class:`StorageUnavailable` when the store cannot say and no copy was ever read (or it
        was missing and the store is now unreachable), and :class:`UnparsableObject` when
        ``parse`` rejects the object.
        """
        entry = self._entry_now(key)
        if entry is None:
            entry = self._first_read(key)
        return self._parsed(key, entry, parse)

    def read_if_cached(self, key: str, parse: Callable[[bytes], T]) -> Cached[T] | None:
        """The value from memory when it is there already parsed; otherwise None.

        Never waits on the store, so async handlers call it on the event loop; a due key is
        revalidated in the background as :meth:`read` would. A missing object raises
        :class:`ObjectNotFound`, as :meth:`read` would.
        """
        entry = self._entry_now(key)
        if entry is None:
            return None
        if entry.body is None:
            self._raise_missing(key, entry)
        value = entry.parsed.get(parse, _MISSING)
        if value is _MISSING:
            return None
        return Cached(value, entry.verified_at, self._stale(entry))

    def read_many(self, keys: Iterable[str], parse: Callable[[bytes], T]) -> dict[str, Cached[T]]:
        """Several objects at once; keys that do not exist are left out.

        Cached keys are answered from memory; the others are read concurrently, all within one
        ``first_read_timeout``. Raises :class:`StorageUnavailable` if any key could not be read
        at all.
        """
        keys = list(dict.fromkeys(keys))
        entries: dict[str, _Entry] = {}
        first: dict[str, Future[_Entry]] = {}
        for key in keys:
            entry = self._entry_now(key)
            if entry is None:
                first[key] = self._flights.start(key, lambda key=key: self._revalidate_quietly(key))
            else:
                entries[key] = entry
        if first:
            _, pending = wait_for_all(first.values(), timeout=self.first_read_timeout)
            if pending:
                raise StorageUnavailable(
                    f"{len(pending)} objects not read within {self.first_read_timeout:.0f} s"
                )
            for key, flight in first.items():
                entries[key] = self._landed(key, flight.result())
        return {
            key: self._parsed(key, entries[key], parse)
            for key in keys
            if entries[key].body is not None
        }

    def close(self) -> None:
        """Stop the background revalidations (the app's shutdown)."""
        self._flights.close()

    def __len__(self) -> int:
        return len(self._entries)

    # -- internals ---------------------------------------------------------------------------

    def _entry_now(self, key: str) -> _Entry | None:
        """The cached entry, after starting its background revalidation if it is due."""
        entry = self._entries.get(key)
        if entry is not None and self._due(entry):
            self._flights.start(key, lambda: self._revalidate_if_still_due(key))
        return entry

    def _due(self, entry: _Entry) -> bool:
        return self._monotonic() - entry.checked_at >= self.revalidate_after

    def _stale(self, entry: _Entry) -> bool:
        return entry.stale or (not self.store.available and self._due(entry))

    def _first_read(self, key: str) -> _Entry:
        try:
            entry = self._flights.wait(
                key, lambda: self._revalidate_quietly(key), timeout=self.first_read_timeout
            )
        except TimeoutError:
            raise StorageUnavailable(
                f"{key} not read within {self.first_read_timeout:.0f} s"
            ) from None
        return self._landed(key, entry)

    @staticmethod
    def _landed(key: str, entry: _Entry | None) -> _Entry:
        if entry is None:
            raise StorageUnavailable(f"{key} could not be read")
        return entry

    def _revalidate_if_still_due(self, key: str) -> _Entry | None:
        """A background revalidation, skipped when another one finished since it was asked for.

        A reader can find an entry due, be preempted while a revalidation lands, and only then
        ask for one: without this check that second flight would send a second HEAD.
        """
        entry = self._entries.get(key)
        if entry is not None and not self._due(entry):
            return entry
        return self._revalidate_quietly(key)

    def _revalidate_quietly(self, key: str) -> _Entry | None:
        """A revalidation that never raises: the entry it left, or None if there is none.

        Every flight runs this, so a first read that joins a background revalidation of the
        same key gets the same answer as the one that started it.
        """
        try:
            return self._revalidate(key)
        except StorageUnavailable:
            return None  # no copy to keep; the next read tries again
        except Exception:
            log.exception("revalidating %s failed", key)
            previous = self._entries.get(key)
            if previous is not None:  # try again after the interval, not on every read
                self._remember(key, replace(previous, checked_at=self._monotonic()))
            return None

    def _revalidate(self, key: str) -> _Entry:
        """Bring ``key`` up to date with the store (one call at a time per key).

        HEAD comes before GET so the ETag recorded is never newer than the body: if the object
        changes in between, the next revalidation sees a different ETag and downloads again.
        """
        previous = self._entries.get(key)
        try:
            info = self.store.head(key)
            if previous is not None and previous.body is not None and previous.etag == info.etag:
                body, parsed = previous.body, previous.parsed
            else:
                body, parsed = self.store.get(key), {}
            entry = _Entry(body, info.etag, self._monotonic(), _utcnow(), parsed=parsed)
        except ObjectNotFound:
            entry = _Entry(None, None, self._monotonic(), _utcnow())
        except StorageUnavailable:
            if previous is None:
                raise
            entry = replace(previous, checked_at=self._monotonic(), stale=True)
        self._remember(key, entry)
        return entry

    def _remember(self, key: str, entry: _Entry) -> None:
        with self._entries_guard:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def _raise_missing(self, key: str, entry: _Entry) -> None:
        if self._stale(entry):  # missing when last seen, but the store cannot confirm it now
            raise StorageUnavailable(f"{key} was missing and the store is unreachable")
        raise ObjectNotFound(key)

    def _parsed(self, key: str, entry: _Entry, parse: Callable[[bytes], T]) -> Cached[T]:
        if entry.body is None:
            self._raise_missing(key, entry)
        value = entry.parsed.get(parse, _MISSING)
        if value is _MISSING:
            try:
                value = parse(entry.body)  # type: ignore[arg-type]
            except Exception as error:
                raise UnparsableObject(key, f"{type(error).__name__}: {error}") from error
            entry.parsed[parse] = value
        return Cached(value, entry.verified_at, self._stale(entry))


_MISSING = object()


def _utcnow() -> datetime:
    return datetime.now(tz=UTC)

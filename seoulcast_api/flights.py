"""At most one call in flight per key, on a small pool of threads.

The cache uses it so that however many requests find an object due for revalidation, the store
is asked once, and the requests themselves never wait for the answer; the first read of an
object waits for it only up to a deadline.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_WORKERS = 16


class SingleFlight:
    def __init__(self, workers: int = DEFAULT_WORKERS, name: str = "seoulcast-store"):
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix=name)
        self._guard = threading.Lock()
        self._flights: dict[Hashable, Future[Any]] = {}

    def start(self, key: Hashable, call: Callable[[], T]) -> Future[T]:
        """The call in flight for ``key``, or ``call`` started in the background for it."""
        with self._guard:
            flight = self._flights.get(key)
            if flight is not None:
                return flight
            flight = self._pool.submit(call)
            self._flights[key] = flight
        flight.add_done_callback(lambda done: self._land(key, done))
        return flight

    def wait(self, key: Hashable, call: Callable[[], T], timeout: float) -> T:
        """The result of the flight for ``key`` (joining one already under way).

        Raises :class:`TimeoutError` after ``timeout`` seconds; the call goes on in the
        background and its result is whatever it leaves behind (the cache stores it).
        """
        return self.start(key, call).result(timeout)

    def in_flight(self, key: Hashable) -> bool:
        with self._guard:
            return key in self._flights

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _land(self, key: Hashable, done: Future[Any]) -> None:
        with self._guard:
            if self._flights.get(key) is done:
                del self._flights[key]

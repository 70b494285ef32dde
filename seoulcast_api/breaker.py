"""A circuit breaker for the object store: a store that keeps failing is left alone for a while.

Closed (the normal state), every call goes through. After ``failure_threshold`` failures in a
row the breaker opens: calls are refused at once, without touching the network, for
``open_seconds``. Then it lets exactly one call through (half-open); if that one succeeds the
breaker closes, if it fails the breaker opens again for twice as long, up to
``max_open_seconds``.

A hung store therefore costs one timed-out request per open period rather than one per
reader, and readers never queue behind it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    def __init__(
        self,
        *,
        failure_threshold: int = 2,
        open_seconds: float = 2.0,
        max_open_seconds: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds
        self.max_open_seconds = max_open_seconds
        self._monotonic = monotonic
        self._guard = threading.Lock()
        self._failures = 0
        self._state: State = "closed"
        self._opened_at = 0.0
        self._open_for = open_seconds
        self._probe_started = 0.0

    @property
    def state(self) -> State:
        with self._guard:
            if self._state == "open" and self._cooled_down():
                return "half_open"
            return self._state

    @property
    def closed(self) -> bool:
        """True while calls go through normally (no recent run of failures)."""
        return self.state == "closed"

    def allow(self) -> bool:
        """Whether a call may go to the store now; a True in the half-open state is the probe."""
        with self._guard:
            if self._state == "closed":
                return True
            if self._state == "open" and self._cooled_down() or self._probe_lost():
                self._state = "half_open"  # this caller is the one probe
                self._probe_started = self._monotonic()
                return True
            return False

    def record_success(self) -> None:
        with self._guard:
            self._failures = 0
            self._state = "closed"
            self._open_for = self.open_seconds

    def record_failure(self) -> None:
        with self._guard:
            if self._state == "half_open":  # the probe failed: wait longer before the next one
                self._open_for = min(self._open_for * 2, self.max_open_seconds)
                self._open()
                return
            self._failures += 1
            if self._state == "closed" and self._failures >= self.failure_threshold:
                self._open()

    def _open(self) -> None:
        self._state = "open"
        self._opened_at = self._monotonic()

    def _probe_lost(self) -> bool:
        """A probe that never reported back (its thread died) must not block the store forever."""
        return (
            self._state == "half_open"
            and self._monotonic() - self._probe_started >= self.max_open_seconds
        )

    def _cooled_down(self) -> bool:
        return self._monotonic() - self._opened_at >= self._open_for

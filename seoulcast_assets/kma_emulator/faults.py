"""Failures the emulator produces on request, so clients can be tested against them.

A fault applies to the next ``times`` requests that match it (any endpoint, or only
``endpoint``). Several queued faults are used in the order they were injected.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Literal, get_args

FaultKind = Literal[
    "server_error",  # HTTP 5xx (status, default 503) with an HTML body
    "slow",  # wait delay_seconds before answering normally (beyond a client's timeout)
    "truncated",  # HTTP 200, body cut off before #7777END
    "disconnect",  # close the connection without answering
    "not_activated",  # HTTP 403 {"result":{"status":403,"message":"활용신청이 필요한 API 입니다."}}
    "quota",  # HTTP 403 with KMA's daily-quota message
    "malformed",  # HTTP 200, well framed, but the first data row is broken
    "not_found",  # HTTP 404, "유효하지 않은 API"
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    times: int = 1
    endpoint: str | None = None  # e.g. "kma_pm10.php"; None matches both endpoints
    status: int = 503  # for server_error
    delay_seconds: float = 5.0  # for slow

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; known: {', '.join(FAULT_KINDS)}")
        if self.times < 1:
            raise ValueError("a fault must apply at least once")
        if self.kind == "server_error" and not 500 <= self.status <= 599:
            raise ValueError("server_error needs a 5xx status")

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, document: dict[str, object]) -> Fault:
        known = set(cls.__dataclass_fields__)
        unknown = set(document) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        return cls(**document)  # type: ignore[arg-type]


class FaultQueue:
    """Faults waiting to be applied, shared by the server's request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[list] = []  # [fault, remaining uses]

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._pending.append([fault, fault.times])

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def take(self, endpoint: str) -> Fault | None:
        """The fault for a request to ``endpoint``, using up one of its applications."""
        with self._lock:
            for entry in self._pending:
                fault, remaining = entry
                if fault.endpoint in (None, endpoint):
                    if remaining == 1:
                        self._pending.remove(entry)
                    else:
                        entry[1] = remaining - 1
                    return fault
        return None

    def pending(self) -> list[tuple[Fault, int]]:
        with self._lock:
            return [(fault, remaining) for fault, remaining in self._pending]

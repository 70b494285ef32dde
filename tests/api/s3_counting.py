"""Counting the requests a boto3 S3 client actually sends."""

from __future__ import annotations

from collections import Counter
from typing import Any


class S3RequestCounter:
    """Counts S3 operations (HeadObject, GetObject, …) sent by one client."""

    def __init__(self, client: Any):
        self.calls: Counter[str] = Counter()
        client.meta.events.register("before-call.s3", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    def reset(self) -> None:
        self.calls.clear()

    def __getitem__(self, operation: str) -> int:
        return self.calls[operation]

    @property
    def total(self) -> int:
        return sum(self.calls.values())

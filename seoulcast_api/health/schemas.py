"""The health report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

HealthStatus = Annotated[
    Literal["ok", "stale", "no_forecast", "invalid_forecast", "storage_unavailable"],
    msgspec.Meta(
        description="ok: store reachable and latest forecast recent; stale: the latest forecast "
        "is older than max_age_hours; no_forecast: nothing published yet; invalid_forecast: "
        "forecast/latest.json does not match the contract (see detail); storage_unavailable: "
        "the store did not answer (HTTP 503)."
    ),
]


class StorageStatus(msgspec.Struct, frozen=True):
    url: str
    reachable: bool
    detail: str | None = None


class LatestForecastStatus(msgspec.Struct, frozen=True):
    issue_date: date
    issued_at: datetime
    age_hours: float
    max_age_hours: float
    stale: Annotated[bool, msgspec.Meta(description="age_hours > max_age_hours.")]


class Health(msgspec.Struct, frozen=True):
    status: HealthStatus
    storage: StorageStatus
    latest_forecast: LatestForecastStatus | None
    detail: str | None = None

"""The health report: which dependency is down, never where it lives.

Addresses, keys and error messages go to the server log; the public body only says what a load
balancer or the page needs.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from seoulcast_api.forecasts.schemas import ObservationsSource

HealthStatus = Annotated[
    Literal["ok", "stale", "no_forecast", "invalid_forecast", "storage_unavailable"],
    msgspec.Meta(
        description="ok: store reachable and latest forecast recent; stale: the latest forecast "
        "is older than max_age_hours; no_forecast: nothing published yet; invalid_forecast: "
        "forecast/latest.json does not match the contract; storage_unavailable: the store did "
        "not answer (HTTP 503)."
    ),
]

StorageCheck = Annotated[
    Literal["ok", "unavailable"],
    msgspec.Meta(description="Whether the object store answered just now."),
]

ForecastCheck = Annotated[
    Literal["ok", "stale", "missing", "invalid", "unknown"],
    msgspec.Meta(
        description="ok: recent; stale: older than max_age_hours; missing: none published; "
        "invalid: outside the contract; unknown: the store is unreachable and no copy is cached."
    ),
]


class HealthChecks(msgspec.Struct, frozen=True):
    """The state of each dependency the API serves from."""

    storage: StorageCheck
    latest_forecast: ForecastCheck


class LatestForecastStatus(msgspec.Struct, frozen=True):
    issue_date: date
    issued_at: datetime
    age_hours: Annotated[float, msgspec.Meta(description="Hours since issued_at, 2 decimals.")]
    max_age_hours: float
    stale: Annotated[bool, msgspec.Meta(description="age_hours > max_age_hours.")]


class Health(msgspec.Struct, frozen=True):
    status: HealthStatus
    checks: HealthChecks
    latest_forecast: LatestForecastStatus | None
    observations_source: Annotated[
        ObservationsSource | None,
        msgspec.Meta(
            description="Where the observations behind the latest forecast came from; null when "
            "it does not say (older documents) or there is none."
        ),
    ]

"""Probing the store and judging the age of the latest forecast.

The probe goes through the store's circuit breaker and waits at most ``PROBE_TIMEOUT_S``, and
concurrent health checks share one probe, so a hung store makes /health answer 503 within a
second instead of piling up requests behind it. What failed, and where, is logged; the reply
only names the dependency.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from litestar.exceptions import NotFoundException

from seoulcast_api.cache import UnparsableObject
from seoulcast_api.flights import SingleFlight
from seoulcast_api.forecasts.schemas import ForecastDocument
from seoulcast_api.forecasts.services import ForecastService
from seoulcast_api.health.schemas import (
    ForecastCheck,
    Health,
    HealthChecks,
    HealthStatus,
    LatestForecastStatus,
)
from seoulcast_api.store import GuardedStore
from seoulcast_assets.kst import KST
from seoulcast_assets.layout import LATEST_FORECAST_KEY
from seoulcast_assets.storage import ObjectNotFound, StorageUnavailable

PROBE_TIMEOUT_S = 1.0
PROBE = "health-probe"

log = logging.getLogger("seoulcast_api.health")

STATUS_OF_FORECAST: dict[ForecastCheck, HealthStatus] = {
    "ok": "ok",
    "stale": "stale",
    "missing": "no_forecast",
    "invalid": "invalid_forecast",
    "unknown": "storage_unavailable",
}


class HealthService:
    def __init__(self, store: GuardedStore, forecasts: ForecastService, max_age_hours: float):
        self.store = store
        self.forecasts = forecasts
        self.max_age_hours = max_age_hours
        self._probes = SingleFlight(workers=1, name="seoulcast-health")

    def check(self) -> Health:
        """Ask the store directly (not the cache) whether it answers, then date the forecast."""
        reachable = self._storage_answers()
        check, document = self._latest_forecast()
        latest = None if document is None else self._age(document)
        if latest is not None and latest.stale:
            check = "stale"
        status = STATUS_OF_FORECAST[check] if reachable else "storage_unavailable"
        return Health(
            status=status,
            checks=HealthChecks("ok" if reachable else "unavailable", check),
            latest_forecast=latest,
            observations_source=None if document is None else document.inputs.source,
        )

    def close(self) -> None:
        self._probes.close()

    def _storage_answers(self) -> bool:
        try:
            return self._probes.wait(PROBE, self._probe, timeout=PROBE_TIMEOUT_S)
        except TimeoutError:
            log.warning("health: %s did not answer within %.1f s", self.store.url, PROBE_TIMEOUT_S)
            return False

    def _probe(self) -> bool:
        try:
            self.store.head(LATEST_FORECAST_KEY)
        except ObjectNotFound:
            pass
        except StorageUnavailable as error:
            log.warning("health: %s unavailable: %s", self.store.url, error)
            return False
        return True

    def _latest_forecast(self) -> tuple[ForecastCheck, ForecastDocument | None]:
        try:
            return "ok", self.forecasts.latest().value.document
        except NotFoundException:
            return "missing", None
        except StorageUnavailable:
            return "unknown", None
        except UnparsableObject as error:
            log.error("health: %s", error)
            return "invalid", None

    def _age(self, document: ForecastDocument) -> LatestForecastStatus:
        issued_at = document.issued_at
        if issued_at.tzinfo is None:
            issued_at = issued_at.replace(tzinfo=KST)
        age_hours = (datetime.now(tz=UTC) - issued_at).total_seconds() / 3600
        return LatestForecastStatus(
            issue_date=document.issue_date,
            issued_at=document.issued_at,
            age_hours=round(age_hours, 2),
            max_age_hours=self.max_age_hours,
            stale=age_hours > self.max_age_hours,
        )

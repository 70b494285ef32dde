"""Probing the store and judging the age of the latest forecast."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar.exceptions import NotFoundException

from seoulcast_api.cache import UnparsableObject
from seoulcast_api.forecasts.services import ForecastService
from seoulcast_api.health.schemas import Health, LatestForecastStatus, StorageStatus
from seoulcast_assets.kst import KST
from seoulcast_assets.layout import LATEST_FORECAST_KEY
from seoulcast_assets.storage import ObjectNotFound, ObjectStore, StorageUnavailable


class HealthService:
    def __init__(self, store: ObjectStore, forecasts: ForecastService, max_age_hours: float):
        self.store = store
        self.forecasts = forecasts
        self.max_age_hours = max_age_hours

    def check(self) -> Health:
        """Ask the store directly (not the cache) whether it answers, then date the forecast."""
        storage = self._probe_storage()
        try:
            latest = self._latest_forecast()
        except UnparsableObject as error:
            return Health("invalid_forecast", storage, None, error.problem)
        if not storage.reachable:
            status = "storage_unavailable"
        elif latest is None:
            status = "no_forecast"
        else:
            status = "stale" if latest.stale else "ok"
        return Health(status, storage, latest)

    def _probe_storage(self) -> StorageStatus:
        try:
            self.store.head(LATEST_FORECAST_KEY)
        except ObjectNotFound:
            pass
        except StorageUnavailable as error:
            return StorageStatus(self.store.url, False, str(error))
        return StorageStatus(self.store.url, True)

    def _latest_forecast(self) -> LatestForecastStatus | None:
        try:
            document = self.forecasts.latest().value.document
        except (NotFoundException, StorageUnavailable):
            return None
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

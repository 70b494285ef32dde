"""Reading forecast documents through the cache, validated against the contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import msgspec
from litestar.exceptions import NotFoundException

from seoulcast_api.cache import Cached, ObjectCache
from seoulcast_api.forecasts.schemas import SCHEMA_VERSION, ForecastDocument
from seoulcast_assets.kst import date_range, yesterday_kst
from seoulcast_assets.layout import LATEST_FORECAST_KEY, forecast_key
from seoulcast_assets.storage import ObjectNotFound


@dataclass(frozen=True, slots=True)
class PublishedForecast:
    """A validated forecast document and the JSON bytes the API serves for it.

    The bytes are encoded once per version of the stored object, so serving the latest forecast
    is a memory copy, not a JSON round trip.
    """

    document: ForecastDocument
    body: bytes


def publish_forecast(raw: bytes) -> PublishedForecast:
    """Decode a stored forecast document (raising on anything outside the contract)."""
    document = msgspec.json.decode(raw, type=ForecastDocument)
    if document.schema_version != SCHEMA_VERSION:
        raise ValueError(f"schema_version {document.schema_version} is not {SCHEMA_VERSION}")
    return PublishedForecast(document, msgspec.json.encode(document))


class ForecastService:
    def __init__(self, cache: ObjectCache):
        self.cache = cache

    def latest(self) -> Cached[PublishedForecast]:
        try:
            return self._read(LATEST_FORECAST_KEY)
        except ObjectNotFound:
            raise NotFoundException("No forecast has been published yet.") from None

    def latest_if_cached(self) -> Cached[PublishedForecast] | None:
        """The latest forecast when it is in memory (it may be revalidating meanwhile)."""
        try:
            return self.cache.read_if_cached(LATEST_FORECAST_KEY, publish_forecast)
        except ObjectNotFound:
            raise NotFoundException("No forecast has been published yet.") from None

    def newest_observed_day(self) -> date:
        """The last day the pipeline has observed: the latest forecast's ``inputs.last_date``.

        Windows such as "the last 30 days" end here rather than at the server's clock, so a
        store whose newest data is older than today still shows its newest days. Without any
        forecast it is yesterday in Seoul.
        """
        try:
            return self.latest().value.document.inputs.last_date
        except NotFoundException:
            return yesterday_kst()

    def issued_on(self, issue_date: date) -> Cached[PublishedForecast]:
        try:
            return self._read(forecast_key(issue_date))
        except ObjectNotFound:
            raise NotFoundException(f"No forecast was issued on {issue_date}.") from None

    def issued_between(self, first: date, last: date) -> dict[date, Cached[PublishedForecast]]:
        """Every forecast issued from ``first`` through ``last``, by issue date (gaps left out)."""
        keys = {forecast_key(day): day for day in date_range(first, last)}
        found = self.cache.read_many(keys, publish_forecast)
        return {keys[key]: read for key, read in found.items()}

    def _read(self, key: str) -> Cached[PublishedForecast]:
        return self.cache.read(key, publish_forecast)

"""``/api/v1/observations``: cleaned daily observations over a bounded range."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import Parameter

from seoulcast_api.dates import parse_day, shift
from seoulcast_api.errors import STORAGE_DOWN
from seoulcast_api.forecasts.schemas import UNITS
from seoulcast_api.forecasts.services import ForecastService
from seoulcast_api.observations.schemas import ObservationRange
from seoulcast_api.observations.services import ObservationService
from seoulcast_api.responses import STALE_HEADER_DOC, fresh_or_stale
from seoulcast_api.settings import ApiSettings

DEFAULT_DAYS = 30

DateText = Annotated[
    str | None,
    Parameter(description="YYYY-MM-DD (KST), inclusive.", schema_extra={"format": "date"}),
]


class ObservationController(Controller):
    path = "/api/v1/observations"
    tags = ["observations"]
    response_headers = [STALE_HEADER_DOC]

    @get(
        operation_id="getObservations",
        summary="Cleaned daily observations",
        description="Days from `start` through `end` (both included) from the yearly tables; "
        "days not cleaned yet are absent. Without `end` the range ends at the newest observed "
        "day, or 30 days after `start` if that is earlier (never in the future); without "
        "`start` it covers 30 days. At most 366 days. Temperatures in °C, PM10 in µg/m³.",
        responses=STORAGE_DOWN,
        sync_to_thread=True,
    )
    def observations(
        self,
        observations: NamedDependency[ObservationService],
        forecasts: NamedDependency[ForecastService],
        settings: NamedDependency[ApiSettings],
        start: DateText = None,
        end: DateText = None,
    ) -> Response[ObservationRange]:
        first = parse_day(start, "start") if start is not None else None
        last = parse_day(end, "end") if end is not None else None
        if last is None:
            last = _default_end(first, forecasts.newest_observed_day())
        if first is None:
            first = shift(last, 1 - DEFAULT_DAYS)
        if first > last:
            raise ValidationException(f"start ({first}) is after end ({last}).")
        span = (last - first).days + 1
        if span > settings.max_observation_days:
            raise ValidationException(
                f"{span} days requested; at most {settings.max_observation_days} per request."
            )
        read = observations.between(first, last)
        return fresh_or_stale(ObservationRange(first, last, UNITS, read.value), read)


def _default_end(first: date | None, newest: date) -> date:
    """The newest observed day, or ``DEFAULT_DAYS`` from ``first`` if that comes sooner."""
    if first is None:
        return newest
    if first > newest:
        raise ValidationException(
            f"start ({first}) is after the newest observed day ({newest}); "
            "there are no observations from then yet."
        )
    return min(shift(first, DEFAULT_DAYS - 1), newest)

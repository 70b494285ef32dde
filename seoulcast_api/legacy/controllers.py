"""``GET /result`` in the original system's shape."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_404_NOT_FOUND

from seoulcast_api.errors import STORAGE_DOWN, error_spec
from seoulcast_api.forecasts.schemas import ForecastDocument
from seoulcast_api.forecasts.services import ForecastService
from seoulcast_api.legacy.schemas import LegacyResult, PmPrediction, TemperaturePrediction
from seoulcast_api.responses import STALE_HEADER_DOC, fresh_or_stale


def legacy_result(document: ForecastDocument) -> LegacyResult:
    """The original reply for the forecast's first day (the shortest lead)."""
    day = min(document.days, key=lambda entry: entry.lead_days)
    return LegacyResult(
        date=day.date,
        temperature_prediction=TemperaturePrediction(
            TA_AVG=day.ta_avg.p50, TA_MAX=day.ta_max.p50, TA_MIN=day.ta_min.p50
        ),
        pm_prediction=PmPrediction(
            PM10_MIN=day.pm10_avg.p10, PM10_MAX=day.pm10_avg.p90, PM10_AVG=day.pm10_avg.p50
        ),
    )


@get(
    "/result",
    operation_id="getResult",
    tags=["legacy"],
    summary="The original system's reply, for the latest forecast's first day",
    description="Kept for clients of the original API. Temperatures are p50 forecasts. "
    "PM10_AVG is the p50 of the daily-mean PM10 forecast and PM10_MIN/PM10_MAX are its p10/p90 "
    "(the 80% interval of the daily mean), not the day's lowest and highest 5-minute readings. "
    "Where the original answered 200 with an `error` field when there was no forecast, this "
    "answers 404.",
    responses={HTTP_404_NOT_FOUND: error_spec("No forecast published yet."), **STORAGE_DOWN},
    response_headers=[STALE_HEADER_DOC],
    sync_to_thread=True,
)
def result(forecasts: NamedDependency[ForecastService]) -> Response[LegacyResult]:
    read = forecasts.latest()
    return fresh_or_stale(legacy_result(read.value.document), read)

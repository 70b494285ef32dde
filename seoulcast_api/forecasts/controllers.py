"""``/api/v1/forecasts``: the latest forecast document and the one issued on a given day."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, MediaType, Response, get
from litestar.concurrency import sync_to_thread
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import Parameter
from litestar.status_codes import HTTP_404_NOT_FOUND

from seoulcast_api.dates import parse_day
from seoulcast_api.errors import STORAGE_DOWN, error_spec
from seoulcast_api.forecasts.schemas import ForecastDocument
from seoulcast_api.forecasts.services import ForecastService
from seoulcast_api.responses import STALE_HEADER_DOC, stale_headers

NOT_PUBLISHED = {HTTP_404_NOT_FOUND: error_spec("No such forecast in the store.")}


def latest_forecast_route(forecasts: ForecastService) -> HTTPRouteHandler:
    """``GET /api/v1/forecasts/latest``, bound to its service when the app is built.

    This is the API's hottest route, answered from memory. Taking the service from the
    closure instead of from dependency injection spares Litestar a signature model per
    request, about a third of the cost of a cached reply (see bench/api_latency.py).
    """

    @get(
        "/api/v1/forecasts/latest",
        operation_id="getLatestForecast",
        tags=["forecasts"],
        summary="The newest forecast document",
        description="Seven days from the issue date, each with p10/p50/p90 quantiles for the "
        "temperatures (°C) and PM10 (µg/m³) and the PM10 grade, and where the observations "
        "came from (`inputs.source`). Served from memory; revalidated against the store in the "
        "background every few seconds.",
        responses={**NOT_PUBLISHED, **STORAGE_DOWN},
        response_headers=[STALE_HEADER_DOC],
    )
    async def latest_forecast() -> Response[ForecastDocument]:
        read = forecasts.latest_if_cached() or await sync_to_thread(forecasts.latest)
        return Response(read.value.body, media_type=MediaType.JSON, headers=stale_headers(read))

    return latest_forecast


class ForecastController(Controller):
    path = "/api/v1/forecasts"
    tags = ["forecasts"]
    response_headers = [STALE_HEADER_DOC]

    @get(
        "/{issue_date:str}",
        operation_id="getForecast",
        summary="The forecast issued on a day",
        responses={**NOT_PUBLISHED, **STORAGE_DOWN},
        sync_to_thread=True,
    )
    def issued_on(
        self,
        forecasts: NamedDependency[ForecastService],
        issue_date: Annotated[
            str,
            Parameter(description="Issue date, YYYY-MM-DD (KST).", schema_extra={"format": "date"}),
        ],
    ) -> Response[ForecastDocument]:
        read = forecasts.issued_on(parse_day(issue_date, "issue_date"))
        return Response(read.value.body, media_type=MediaType.JSON, headers=stale_headers(read))

"""A bare endpoint for bench/api_latency.py, mounted only when ``SEOULCAST_API_BENCH`` is set.

``/bench/bare`` returns the latest forecast's bytes with no cache check, no dependency and no
headers of its own: the floor that ``/api/v1/forecasts/latest`` is measured against, inside the
same process and server settings.
"""

from __future__ import annotations

from litestar import MediaType, Response, get
from litestar.concurrency import sync_to_thread
from litestar.types import ControllerRouterHandler

from seoulcast_api.forecasts.services import ForecastService


def bench_routes(forecasts: ForecastService) -> list[ControllerRouterHandler]:
    captured: list[bytes] = []

    @get("/bench/bare", include_in_schema=False, media_type=MediaType.JSON)
    async def bare() -> Response[bytes]:
        if not captured:
            captured.append((await sync_to_thread(forecasts.latest)).value.body)
        return Response(captured[0], media_type=MediaType.JSON)

    return [bare]

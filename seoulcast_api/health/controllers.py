"""``/health``: for load balancers, uptime checks (HEAD works too) and the page's banners."""

from __future__ import annotations

from litestar import MediaType, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from seoulcast_api.health.schemas import Health
from seoulcast_api.health.services import HealthService


@get(
    "/health",
    operation_id="getHealth",
    tags=["health"],
    summary="Which dependency is down, the age of the latest forecast, the data source",
    description="200 while the store answers (status ok, stale, no_forecast or "
    "invalid_forecast); 503 with the same body when it does not. `checks` names the state of "
    "each dependency; addresses and errors go to the server log, never into the reply. "
    "Answers within about a second even when the store hangs.",
    responses={
        HTTP_503_SERVICE_UNAVAILABLE: ResponseSpec(
            data_container=Health,
            description="The object store did not answer.",
            generate_examples=False,
        )
    },
    sync_to_thread=True,
)
def health(health_service: NamedDependency[HealthService]) -> Response[Health]:
    report = health_service.check()
    status_code = (
        HTTP_503_SERVICE_UNAVAILABLE if report.status == "storage_unavailable" else HTTP_200_OK
    )
    return Response(report, status_code=status_code, media_type=MediaType.JSON)

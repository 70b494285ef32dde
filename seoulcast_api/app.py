"""The application factory.

``create_app()`` reads :class:`ApiSettings` from the environment and opens the store they name;
tests pass their own settings and store. Each service is built once here and handed to the
controllers through Litestar's dependency injection.

Run with ``python -m seoulcast_api`` (Granian) or any ASGI server, e.g.
``granian --interface asgi --factory seoulcast_api.app:create_app``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.types import ControllerRouterHandler

from seoulcast_api.bench import bench_routes
from seoulcast_api.cache import ObjectCache
from seoulcast_api.champion.controllers import ChampionController
from seoulcast_api.champion.services import ChampionService
from seoulcast_api.errors import EXCEPTION_HANDLERS
from seoulcast_api.forecasts.controllers import ForecastController, latest_forecast_route
from seoulcast_api.forecasts.services import ForecastService
from seoulcast_api.health.controllers import health
from seoulcast_api.health.services import HealthService
from seoulcast_api.legacy.controllers import result
from seoulcast_api.observations.controllers import ObservationController
from seoulcast_api.observations.services import ObservationService
from seoulcast_api.settings import ApiSettings
from seoulcast_api.store import open_api_store
from seoulcast_api.verification.controllers import VerificationController
from seoulcast_api.verification.services import VerificationService
from seoulcast_api.web.controllers import page_routes
from seoulcast_assets.storage import ObjectStore

API_ROUTES: list[ControllerRouterHandler] = [
    ForecastController,
    ObservationController,
    VerificationController,
    ChampionController,
    health,
    result,
]


def _api_version() -> str:
    try:
        return version("seoulcast")
    except PackageNotFoundError:
        return "0.0.0"


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="SeoulCast API",
        version=_api_version(),
        description="Daily forecasts of Seoul's temperature (mean, max, min) and PM10, the "
        "observations behind them, and how accurate they have been.",
        path="/schema",
        render_plugins=[ScalarRenderPlugin()],
    )


def _singleton(value: Any) -> Provide:
    return Provide(lambda: value, use_cache=True, sync_to_thread=False)


def create_app(settings: ApiSettings | None = None, store: ObjectStore | None = None) -> Litestar:
    settings = settings or ApiSettings.from_env()
    store = store or open_api_store(settings.storage_url, settings.aws_endpoint_url)
    cache = ObjectCache(store, settings.revalidate_seconds)
    forecasts = ForecastService(cache)
    observations = ObservationService(cache)
    services = {
        "settings": settings,
        "forecasts": forecasts,
        "observations": observations,
        "verification": VerificationService(forecasts, observations),
        "champion": ChampionService(cache),
        "health_service": HealthService(store, forecasts, settings.forecast_max_age_hours),
    }
    routes = [
        latest_forecast_route(forecasts),
        *API_ROUTES,
        *page_routes(settings.frontend_dist),
    ]
    if settings.bench_routes:
        routes.extend(bench_routes(forecasts))
    cors = CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None
    app = Litestar(
        route_handlers=routes,
        dependencies={name: _singleton(service) for name, service in services.items()},
        exception_handlers=EXCEPTION_HANDLERS,
        cors_config=cors,
        openapi_config=openapi_config(),
    )
    app.state.cache = cache
    return app

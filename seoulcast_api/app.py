"""The application factory.

``create_app()`` reads :class:`ApiSettings` from the environment and opens the store they name;
tests pass their own settings and store. Each service is built once here and handed to the
controllers through Litestar's dependency injection.

Run with ``python -m seoulcast_api`` (Granian) or any ASGI server, e.g.
``granian --interface asgi --factory seoulcast_api.app:create_app``.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.types import ControllerRouterHandler

from seoulcast_api.bench import bench_routes
from seoulcast_api.cache import ObjectCache
from seoulcast_api.champion.controllers import ChampionController
from seoulcast_api.champion.services import ChampionService
from seoulcast_api.encodings import PRECOMPRESSED
from seoulcast_api.errors import EXCEPTION_HANDLERS
from seoulcast_api.forecasts.controllers import ForecastController, latest_forecast_route
from seoulcast_api.forecasts.services import ForecastService
from seoulcast_api.head import answer_head_as_get
from seoulcast_api.health.controllers import health
from seoulcast_api.health.services import HealthService
from seoulcast_api.legacy.controllers import result
from seoulcast_api.observations.controllers import ObservationController
from seoulcast_api.observations.services import ObservationService
from seoulcast_api.openapi import openapi_config
from seoulcast_api.settings import ApiSettings
from seoulcast_api.store import GuardedStore, open_api_store
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

# JSON and HTML are compressed per reply (brotli for clients that take it, else gzip); the
# page's scripts and styles were compressed at build time (web/assets.py) and skip it.
COMPRESSION = CompressionConfig(
    backend="brotli",
    brotli_quality=5,
    brotli_gzip_fallback=True,
    gzip_compress_level=6,
    minimum_size=500,
    exclude_opt_key=PRECOMPRESSED,
)


def _singleton(value: Any) -> Provide:
    return Provide(lambda: value, use_cache=True, sync_to_thread=False)


def create_app(settings: ApiSettings | None = None, store: ObjectStore | None = None) -> Litestar:
    settings = settings or ApiSettings.from_env()
    guarded = GuardedStore(store or open_api_store(settings.storage_url, settings.aws_endpoint_url))
    cache = ObjectCache(guarded, settings.revalidate_seconds)
    forecasts = ForecastService(cache)
    observations = ObservationService(cache)
    health_service = HealthService(guarded, forecasts, settings.forecast_max_age_hours)
    services = {
        "settings": settings,
        "forecasts": forecasts,
        "observations": observations,
        "verification": VerificationService(forecasts, observations),
        "champion": ChampionService(cache),
        "health_service": health_service,
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
        compression_config=COMPRESSION,
        openapi_config=openapi_config(settings.frontend_dist),
        on_shutdown=[cache.close, health_service.close],
    )
    app.asgi_handler = answer_head_as_get(app.asgi_handler)
    app.state.cache = cache
    return app

"""Settings of the forecast API, read from the environment.

| variable                             | default and meaning                                  |
|--------------------------------------|------------------------------------------------------|
| ``SEOULCAST_STORAGE``                | the pipeline's store (seoulcast_assets.config)       |
| ``AWS_ENDPOINT_URL``                 | unset (AWS); set it for MinIO/SeaweedFS              |
| ``SEOULCAST_API_REVALIDATE_SECONDS`` | ``30``: seconds a cached object is trusted unchecked |
| ``SEOULCAST_FORECAST_MAX_AGE_HOURS`` | ``30``: an older latest forecast is reported stale   |
| ``SEOULCAST_CORS_ORIGINS``           | unset (same origin only); comma-separated, or ``*``  |
| ``SEOULCAST_FRONTEND_DIST``          | ``frontend/dist`` beside this package                |
| ``SEOULCAST_API_BENCH``              | unset; ``1`` mounts ``/bench/bare`` (bench only)     |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from seoulcast_assets import config

DEFAULT_FRONTEND_DIST = Path(__file__).resolve().parents[1] / "frontend" / "dist"


@dataclass(frozen=True)
class ApiSettings:
    storage_url: str
    aws_endpoint_url: str | None = None
    revalidate_seconds: float = 30.0
    forecast_max_age_hours: float = 30.0
    cors_origins: tuple[str, ...] = ()
    frontend_dist: Path = DEFAULT_FRONTEND_DIST
    bench_routes: bool = False
    max_observation_days: int = 366

    @classmethod
    def from_env(cls) -> ApiSettings:
        env = os.environ
        origins = tuple(
            origin.strip()
            for origin in env.get("SEOULCAST_CORS_ORIGINS", "").split(",")
            if origin.strip()
        )
        return cls(
            storage_url=config.storage_url(),
            aws_endpoint_url=config.aws_endpoint_url(),
            revalidate_seconds=float(env.get("SEOULCAST_API_REVALIDATE_SECONDS", "30")),
            forecast_max_age_hours=float(env.get("SEOULCAST_FORECAST_MAX_AGE_HOURS", "30")),
            cors_origins=origins,
            frontend_dist=Path(
                env.get("SEOULCAST_FRONTEND_DIST") or DEFAULT_FRONTEND_DIST
            ).expanduser(),
            bench_routes=env.get("SEOULCAST_API_BENCH", "") not in {"", "0", "false"},
        )

"""Settings for API apps under test."""

from __future__ import annotations

from pathlib import Path

from seoulcast_api.settings import ApiSettings


def api_settings(store_url: str, tmp_path: Path, **overrides) -> ApiSettings:
    """Settings for a test app; the page is not built unless a test provides a dist folder."""
    values = {"storage_url": store_url, "frontend_dist": tmp_path / "no-dist"} | overrides
    return ApiSettings(**values)

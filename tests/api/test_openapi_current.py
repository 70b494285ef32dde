"""The committed OpenAPI schema (which the page's TypeScript types come from) is current."""

from __future__ import annotations

import json
from pathlib import Path

from seoulcast_api.__main__ import render_openapi

COMMITTED = Path(__file__).resolve().parents[2] / "frontend" / "openapi.json"
REGENERATE = (
    "python -m seoulcast_api openapi frontend/openapi.json && (cd frontend && npm run api:types)"
)


def test_committed_openapi_schema_matches_the_app():
    assert COMMITTED.read_text(encoding="utf-8") == render_openapi(), f"stale: run {REGENERATE}"


def test_schema_documents_every_endpoint():
    paths = json.loads(COMMITTED.read_text(encoding="utf-8"))["paths"]
    assert set(paths) == {
        "/result",
        "/health",
        "/api/v1/forecasts/latest",
        "/api/v1/forecasts/{issue_date}",
        "/api/v1/observations",
        "/api/v1/verification",
        "/api/v1/model",
    }

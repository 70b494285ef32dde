"""The OpenAPI schema's settings, and the docs viewer at ``/schema`` served by the API itself.

The viewer is Swagger UI from the npm package ``swagger-ui-dist``, pinned in
frontend/package-lock.json: ``npm run build`` copies its script, preset and stylesheet into
``dist/assets/`` under content-hashed names and writes ``dist/docs-viewer.json`` naming them
(frontend/build/docsViewer.ts). Nothing is loaded from a CDN, so ``/schema`` works offline.
Without a build, ``/schema`` says how to make one and links the JSON schema, which needs none.
"""

from __future__ import annotations

import json
import logging
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin

VIEWER_MANIFEST = "docs-viewer.json"
FAVICON = "<link rel='icon' href='/favicon.svg' type='image/svg+xml'>"
DESCRIPTION = (
    "Daily forecasts of Seoul's temperature (mean, max, min; °C) and PM10 (µg/m³), the "
    "observations behind them, and how accurate they have been. Every GET endpoint also "
    "answers HEAD. Replies are compressed (br, gzip) when the client accepts it."
)

log = logging.getLogger("seoulcast_api")

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SeoulCast API</title>{favicon}</head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>SeoulCast API</h1>
<p>The schema is at <a href="/schema/openapi.json">/schema/openapi.json</a>.</p>
<p>The docs viewer comes with the web page's build (<code>cd frontend && npm ci && npm run
build</code>); <code>{dist}</code> has none.</p>
</body></html>
"""


def _api_version() -> str:
    try:
        return version("seoulcast")
    except PackageNotFoundError:
        return "0.0.0"


def openapi_config(dist: Path) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="SeoulCast API",
        version=_api_version(),
        description=DESCRIPTION,
        path="/schema",
        render_plugins=[docs_viewer(dist)],
    )


def docs_viewer(dist: Path) -> OpenAPIRenderPlugin:
    """Swagger UI from the page's build, or a page saying how to build it."""
    try:
        files = json.loads((dist / VIEWER_MANIFEST).read_text(encoding="utf-8"))
        return SwaggerRenderPlugin(
            js_url=files["js"],
            css_url=files["css"],
            standalone_preset_js_url=files["preset"],
            path="/swagger",
            favicon=FAVICON,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return ViewerNotBuilt(dist)


class ViewerNotBuilt(OpenAPIRenderPlugin):
    def __init__(self, dist: Path):
        super().__init__(path="/swagger")
        self.dist = dist

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        return NOT_BUILT.format(favicon=FAVICON, dist=self.dist).encode()

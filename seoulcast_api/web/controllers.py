"""Serving ``frontend/dist`` at ``/``, or saying how to build it when it is missing.

Vite fingerprints everything under ``assets/``, so those files are cached for a year and sent
in the compressed copy the build made (assets.py); the HTML is revalidated on every load so a
new build shows up at once.
"""

from __future__ import annotations

from pathlib import Path

from litestar import MediaType, Request, Response, get
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_404_NOT_FOUND
from litestar.types import ControllerRouterHandler

from seoulcast_api.encodings import PRECOMPRESSED
from seoulcast_api.web.assets import AssetFolder

IMMUTABLE = CacheControlHeader(max_age=31_536_000, immutable=True)

BUILD_INSTRUCTIONS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SeoulCast: page not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>SeoulCast</h1>
<p>The API is running, but the web page has not been built (no <code>{dist}/index.html</code>).</p>
<p>Build it with:</p>
<pre>cd frontend
npm ci
npm run build</pre>
<p>or point <code>SEOULCAST_FRONTEND_DIST</code> at a built copy. Meanwhile the API is at
<a href="/api/v1/forecasts/latest">/api/v1/forecasts/latest</a> and its schema at
<a href="/schema/openapi.json">/schema/openapi.json</a>.</p>
</body></html>
"""


def page_routes(dist: Path) -> list[ControllerRouterHandler]:
    if not (dist / "index.html").is_file():
        return [_missing_build_page(dist)]
    return [
        _asset_route(AssetFolder(dist / "assets")),
        create_static_files_router(
            "/",
            directories=[dist],
            html_mode=True,
            name="page",
            cache_control=CacheControlHeader(no_cache=True),
            include_in_schema=False,
        ),
    ]


def _asset_route(folder: AssetFolder) -> ControllerRouterHandler:
    @get(
        "/assets/{name:str}",
        include_in_schema=False,
        cache_control=IMMUTABLE,
        opt={PRECOMPRESSED: True},
        sync_to_thread=False,
    )
    def asset(name: str, request: Request) -> Response[bytes]:
        found = folder.find(name)
        if found is None:
            raise NotFoundException()
        encoding, body = found.for_encodings(request.headers.get("accept-encoding", ""))
        headers = {"Vary": "Accept-Encoding"}
        if encoding != "identity":
            headers["Content-Encoding"] = encoding
        return Response(body, media_type=found.media_type, headers=headers)

    return asset


def _missing_build_page(dist: Path) -> ControllerRouterHandler:
    body = BUILD_INSTRUCTIONS.format(dist=dist)

    @get("/", include_in_schema=False, sync_to_thread=False)
    def build_instructions() -> Response[str]:
        return Response(body, status_code=HTTP_404_NOT_FOUND, media_type=MediaType.HTML)

    return build_instructions

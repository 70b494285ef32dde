"""``/schema`` works without the internet: Swagger UI served by the API from the page's build.

Chromium may reach only the API on 127.0.0.1; any other request is refused and recorded. The
viewer must render every documented operation, having asked for nothing from outside.
"""

from __future__ import annotations

from urllib.parse import urlparse

import httpx
import pytest

from tests.frontend.conftest import DESKTOP, screenshot

pytestmark = pytest.mark.slow


def test_the_docs_viewer_renders_every_operation_offline(browser, page_server):
    url = page_server()
    operations = httpx.get(f"{url}/schema/openapi.json").json()["paths"]
    page = browser.new_page(viewport=DESKTOP)
    outside: list[str] = []

    def only_the_api(route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_api)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/schema")
    page.wait_for_selector(".opblock", timeout=20_000)
    shown = {
        block.locator(".opblock-summary-path").first.get_attribute("data-path")
        for block in page.locator(".opblock").all()
    }
    assert shown == set(operations)
    assert "SeoulCast API" in page.locator(".info .title").inner_text()
    assert outside == []
    assert errors == []
    screenshot(page, "schema-offline.png")
    page.close()


def test_the_docs_viewer_is_pinned_and_served_by_the_api(page_server, dist):
    url = page_server()
    html = httpx.get(f"{url}/schema").text
    assert "cdn." not in html and "unpkg" not in html and "@latest" not in html
    for asset in ("swagger-ui-bundle", "swagger-ui-standalone-preset", "swagger-ui"):
        assert f"/assets/{asset}-" in html
    for path in [part.split('"')[0] for part in html.split('src="')[1:]]:
        reply = httpx.get(f"{url}{path}", headers={"Accept-Encoding": "br"})
        assert reply.status_code == 200 and reply.headers["content-encoding"] == "br", path

"""The API serves the built page at ``/``, or explains how to build it."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

from seoulcast_api.app import create_app
from seoulcast_assets.storage import LocalObjectStore
from tests.api.apps import api_settings


def _client(tmp_path: Path, dist: Path) -> TestClient:
    store = LocalObjectStore(tmp_path / "store")
    return TestClient(create_app(api_settings(store.url, tmp_path, frontend_dist=dist), store))


def test_without_a_build_the_root_says_how_to_build(tmp_path: Path):
    with _client(tmp_path, tmp_path / "missing-dist") as client:
        reply = client.get("/")
        assert reply.status_code == 404
        assert reply.headers["content-type"].startswith("text/html")
        assert "npm ci" in reply.text and "npm run build" in reply.text
        assert client.get("/health").status_code == 200  # the API itself still works


def test_the_built_page_and_its_assets_are_served(tmp_path: Path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>SeoulCast</title>서울 날씨")
    (dist / "assets" / "index-3f9a.js").write_text("console.log('page')")
    with _client(tmp_path, dist) as client:
        page = client.get("/")
        assert page.status_code == 200 and "서울 날씨" in page.text
        assert "no-cache" in page.headers["cache-control"]
        script = client.get("/assets/index-3f9a.js")
        assert script.status_code == 200 and "console.log" in script.text
        assert "immutable" in script.headers["cache-control"]
        assert client.get("/assets/absent.js").status_code == 404
        assert client.get("/schema/openapi.json").status_code == 200
        assert client.get("/result").status_code == 404  # API routes win over the page
        assert client.get("/result").json()["status_code"] == 404

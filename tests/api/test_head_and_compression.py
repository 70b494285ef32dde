"""HEAD on every GET endpoint, and compressed replies, over real HTTP from a SeaweedFS store."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import brotli
import httpx
import pytest

from seoulcast_api.app import create_app
from seoulcast_assets.storage import S3ObjectStore
from tests.api.apps import api_settings
from tests.api.http_server import serve

pytestmark = pytest.mark.slow

RAW = {"Accept-Encoding": "identity"}


def get_paths(issue_date: date) -> list[str]:
    return [
        "/health",
        "/result",
        "/api/v1/forecasts/latest",
        f"/api/v1/forecasts/{issue_date - timedelta(days=2)}",
        "/api/v1/observations",
        "/api/v1/verification?days=7",
        "/api/v1/model",
        "/schema",
        "/schema/openapi.json",
    ]


@pytest.mark.parametrize("encoding", ["identity", "gzip, br"])
def test_head_answers_every_get_endpoint_like_get_without_a_body(
    http: httpx.Client, issue_date: date, encoding: str
):
    missing = ["/api/v1/forecasts/2001-01-01", "/api/v1/forecasts/someday", "/nothing-here"]
    for path in [*get_paths(issue_date), *missing]:
        headers = {"Accept-Encoding": encoding}
        got = http.get(path, headers=headers)
        head = http.head(path, headers=headers)
        assert head.status_code == got.status_code, path
        assert head.content == b"", path
        for name in ("content-type", "content-encoding", "content-length"):
            assert head.headers.get(name) == got.headers.get(name), (path, name)
        assert int(head.headers["content-length"]) == got.num_bytes_downloaded, path


def raw_get(http: httpx.Client, path: str, encoding: str) -> tuple[httpx.Response, bytes]:
    """The reply and its body exactly as sent (not decoded by the client)."""
    with http.stream("GET", path, headers={"Accept-Encoding": encoding}) as reply:
        return reply, b"".join(reply.iter_raw())


@pytest.mark.parametrize(
    ("accept", "encoding", "decompress"),
    [
        ("br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("gzip, deflate, br", "br", brotli.decompress),
    ],
)
def test_json_replies_are_compressed(
    http: httpx.Client, issue_date: date, accept: str, encoding: str, decompress
):
    for path in get_paths(issue_date):
        if path in {"/health", "/result"}:
            continue  # under the 500-byte threshold: not worth compressing
        plain = http.get(path, headers=RAW)
        assert "content-encoding" not in plain.headers
        reply, body = raw_get(http, path, accept)
        assert reply.headers["content-encoding"] == encoding, path
        assert "accept-encoding" in reply.headers["vary"].lower()
        assert decompress(body) == plain.content, path
        assert len(body) < len(plain.content), path
    forecast = http.get("/api/v1/forecasts/latest", headers={"Accept-Encoding": accept})
    assert json.loads(forecast.content)["issue_date"] == str(issue_date)


def test_small_replies_are_sent_as_they_are(http: httpx.Client):
    reply, body = raw_get(http, "/result", "br")
    assert "content-encoding" not in reply.headers
    assert json.loads(body)["temperature_prediction"]


@pytest.fixture
def built_page(tmp_path: Path) -> Path:
    """A dist folder as the build leaves it: a script with its .br and .gz beside it."""
    dist = tmp_path / "dist"
    assets = dist / "assets"
    assets.mkdir(parents=True)
    (dist / "index.html").write_text('<!doctype html><script src="/assets/index-3f9a.js"></script>')
    script = ("export const days = " + json.dumps(list(range(4000))) + ";\n").encode()
    (assets / "index-3f9a.js").write_bytes(script)
    (assets / "index-3f9a.js.br").write_bytes(brotli.compress(script, quality=11))
    (assets / "index-3f9a.js.gz").write_bytes(gzip.compress(script, 9))
    return dist


@pytest.fixture
def page_http(
    s3_store: S3ObjectStore, latest_document: dict, tmp_path: Path, built_page: Path
) -> Iterator[httpx.Client]:
    app = create_app(api_settings(s3_store.url, tmp_path, frontend_dist=built_page), s3_store)
    with serve(app) as url, httpx.Client(base_url=url) as client:
        yield client


@pytest.mark.parametrize(
    ("accept", "suffix"), [("br, gzip", ".br"), ("gzip", ".gz"), ("br;q=0, gzip", ".gz"), ("", "")]
)
def test_page_scripts_are_sent_as_the_builds_compressed_copies(
    page_http: httpx.Client, built_page: Path, accept: str, suffix: str
):
    reply, body = raw_get(page_http, "/assets/index-3f9a.js", accept)
    assert reply.status_code == 200
    assert body == (built_page / "assets" / f"index-3f9a.js{suffix}").read_bytes()
    assert reply.headers.get("content-encoding", "") == suffix.replace(".br", "br").replace(
        ".gz", "gzip"
    )
    assert reply.headers["content-type"].startswith("text/javascript")
    assert "immutable" in reply.headers["cache-control"]
    assert "accept-encoding" in reply.headers["vary"].lower()
    head = page_http.head("/assets/index-3f9a.js", headers={"Accept-Encoding": accept})
    assert (head.status_code, head.content) == (200, b"")
    assert int(head.headers["content-length"]) == len(body)


def test_compressed_copies_are_not_assets_of_their_own(page_http: httpx.Client):
    assert page_http.get("/assets/index-3f9a.js.br").status_code == 404
    assert page_http.get("/assets/..%2Findex.html").status_code == 404

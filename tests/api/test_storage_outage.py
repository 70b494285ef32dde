"""What the API does when S3 goes away: stale cached copies where it has them, 503 elsewhere.

The API reaches the shared SeaweedFS server through a TCP proxy that the test cuts, so the
store disappears for the API while the other tests keep their server.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from seoulcast_api.app import create_app
from seoulcast_api.responses import STALE_HEADER
from seoulcast_api.store import open_api_store
from seoulcast_assets.storage import S3ObjectStore
from tests.api.apps import api_settings
from tests.api.contract_objects import write_sample_store
from tests.api.http_server import free_port, serve
from tests.api.tcp_proxy import TcpProxy
from tests.api.waiting import eventually
from tests.support.seaweedfs import S3Server

pytestmark = pytest.mark.slow

REVALIDATE_SECONDS = 0.5


@pytest.fixture
def s3_credentials(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API opens its own S3 client, which takes its credentials from the environment."""
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def doomed_endpoint(s3_server: S3Server, s3_credentials: None) -> Iterator[TcpProxy]:
    proxy = TcpProxy(s3_server.endpoint_url)
    yield proxy
    proxy.cut()


def _stale_ok(reply: httpx.Response) -> httpx.Response | None:
    """The reply if it is a 200 marked stale (the store's failure is found in the background)."""
    assert reply.status_code == 200, reply.text
    return reply if STALE_HEADER.lower() in reply.headers else None


def test_cached_replies_survive_the_store_going_down(
    s3_store: S3ObjectStore, doomed_endpoint: TcpProxy, tmp_path: Path, issue_date: date
):
    latest = write_sample_store(s3_store, issue_date)
    store = open_api_store(s3_store.url, doomed_endpoint.url)
    settings = api_settings(store.url, tmp_path, revalidate_seconds=REVALIDATE_SECONDS)
    with serve(create_app(settings, store=store)) as url, httpx.Client(base_url=url) as http:
        warm = {
            path: http.get(path)
            for path in (
                "/api/v1/forecasts/latest",
                "/result",
                "/api/v1/model",
                "/api/v1/observations",
                "/api/v1/verification?days=7",
            )
        }
        assert all(reply.status_code == 200 for reply in warm.values())
        assert not any(STALE_HEADER.lower() in reply.headers for reply in warm.values())

        doomed_endpoint.cut()
        time.sleep(REVALIDATE_SECONDS + 0.2)

        for path, before in warm.items():
            after = eventually(lambda path=path: _stale_ok(http.get(path)))
            assert after.json() == before.json()
        assert http.get("/api/v1/forecasts/latest").json() == latest
        stamp = http.get("/result").headers[STALE_HEADER]
        assert stamp.endswith("+00:00") and stamp[:10] >= str(issue_date - timedelta(days=1))

        never_read = http.get(f"/api/v1/forecasts/{issue_date - timedelta(days=400)}")
        assert never_read.status_code == 503
        assert never_read.json()["status_code"] == 503
        assert "unavailable" in never_read.json()["detail"]

        health = http.get("/health")
        assert health.status_code == 503
        assert health.json()["status"] == "storage_unavailable"
        assert health.json()["checks"]["storage"] == "unavailable"
        assert health.json()["latest_forecast"]["issue_date"] == str(issue_date)


def test_a_store_that_never_answered_gives_503s(tmp_path: Path):
    store = open_api_store("s3://seoulcast/p", f"http://127.0.0.1:{free_port()}")
    with serve(create_app(api_settings(store.url, tmp_path), store=store)) as url:
        with httpx.Client(base_url=url, timeout=20) as http:
            for path in (
                "/api/v1/forecasts/latest",
                "/result",
                "/api/v1/model",
                "/api/v1/observations?start=2024-01-01&end=2024-01-31",
                "/api/v1/verification",
                "/api/v1/forecasts/2024-01-01",
            ):
                reply = http.get(path)
                assert reply.status_code == 503, (path, reply.text)
                assert reply.json() == {
                    "status_code": 503,
                    "detail": "The object store is unavailable and no earlier copy is cached; "
                    "try again shortly.",
                }
            assert http.get("/health").json()["status"] == "storage_unavailable"

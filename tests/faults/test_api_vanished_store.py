"""The API when its local store's folder is gone: an outage, not "nothing published".

The API opens a local store without creating it, and a missing folder makes every read raise
StorageUnavailable (seoulcast_assets.storage). What a client must see: the last good copy marked
stale where there is one, 503 everywhere else (never a 404 "no forecast yet" nor a 200 with no
days), and /health unhealthy.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from seoulcast_api.responses import STALE_HEADER
from seoulcast_assets.kst import today_kst
from seoulcast_assets.storage import LocalObjectStore
from tests.api.contract_objects import write_sample_store
from tests.api.http_server import start_api_process
from tests.api.waiting import eventually
from tests.support.processes import free_port, stop_process, wait_for_http

pytestmark = pytest.mark.slow

CACHED_ROUTES = ("/api/v1/forecasts/latest", "/result", "/api/v1/model", "/api/v1/observations")
UNCACHED_ROUTES = (
    "/api/v1/observations?start=2001-01-01&end=2001-01-31",
    f"/api/v1/forecasts/{today_kst() - timedelta(days=300)}",
)


@contextmanager
def serve(store_dir: Path, tmp_path: Path) -> Iterator[httpx.Client]:
    port = free_port()
    env = {
        "SEOULCAST_STORAGE": store_dir.as_uri(),
        "SEOULCAST_API_REVALIDATE_SECONDS": "0.5",
        "SEOULCAST_FRONTEND_DIST": str(tmp_path / "no-page"),
    }
    server = start_api_process(port, env)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/health", server)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            yield http
    finally:
        stop_process(server)


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    write_sample_store(LocalObjectStore(folder), today_kst())
    return folder


def stale_copy(reply: httpx.Response) -> bool:
    return reply.status_code == 200 and STALE_HEADER.lower() in reply.headers


def answered_not_404(reply: httpx.Response) -> httpx.Response | None:
    """The reply once the outage is noticed (a key remembered missing answers 404 until then)."""
    return reply if reply.status_code != 404 else None


def unavailable(reply: httpx.Response) -> None:
    assert reply.status_code == 503, (reply.request.url, reply.status_code, reply.text)
    assert reply.json()["status_code"] == 503


def test_a_store_folder_removed_under_the_api_is_an_outage(store_dir: Path, tmp_path: Path):
    with serve(store_dir, tmp_path) as http:
        for path in CACHED_ROUTES:
            assert http.get(path).status_code == 200
        never_issued = "/api/v1/forecasts/2001-01-01"
        assert http.get(never_issued).status_code == 404  # remembered as missing

        shutil.rmtree(store_dir)

        for path in CACHED_ROUTES:
            assert eventually(lambda path=path: stale_copy(http.get(path)))
        for path in (*UNCACHED_ROUTES, never_issued):
            unavailable(eventually(lambda path=path: answered_not_404(http.get(path))))
        health = http.get("/health")
        assert health.status_code == 503
        assert health.json()["status"] == "storage_unavailable"
        assert health.json()["checks"]["storage"] == "unavailable"
        assert str(store_dir) not in health.text
    assert not store_dir.exists()  # the API never recreates it


def test_an_api_started_on_a_missing_folder_answers_503(tmp_path: Path):
    missing = tmp_path / "never-made"
    with serve(missing, tmp_path) as http:
        for path in (*CACHED_ROUTES, *UNCACHED_ROUTES, "/api/v1/verification"):
            unavailable(http.get(path))
        health = http.get("/health")
        assert health.status_code == 503
        assert health.json()["checks"] == {"storage": "unavailable", "latest_forecast": "unknown"}
    assert not missing.exists()

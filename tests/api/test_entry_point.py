"""``python -m seoulcast_api``: serving from the environment's store, and writing the schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from seoulcast_api.__main__ import render_openapi
from seoulcast_assets.kst import today_kst
from seoulcast_assets.storage import LocalObjectStore
from tests.api.contract_objects import write_sample_store
from tests.api.http_server import free_port, start_api_process
from tests.support.processes import stop_process, wait_for_http

pytestmark = pytest.mark.slow


def test_module_serves_the_store_named_by_the_environment(tmp_path: Path):
    store = LocalObjectStore(tmp_path / "store")
    latest = write_sample_store(store, today_kst(), history_days=3)
    port = free_port()
    env = {"SEOULCAST_STORAGE": store.url, "SEOULCAST_CORS_ORIGINS": "https://a.example"}
    server = start_api_process(port, env)
    try:
        reply = wait_for_http(
            f"http://127.0.0.1:{port}/result", server, headers={"Origin": "https://a.example"}
        )
        assert reply.status_code == 200
        assert reply.json()["date"] == latest["days"][0]["date"]
        assert reply.headers["access-control-allow-origin"] == "https://a.example"
    finally:
        stop_process(server)


def test_module_writes_the_openapi_schema(tmp_path: Path):
    target = tmp_path / "openapi.json"
    subprocess.run([sys.executable, "-m", "seoulcast_api", "openapi", str(target)], check=True)
    assert target.read_text(encoding="utf-8") == render_openapi()

"""``python -m seoulcast_api``: serving from the environment's store, and writing the schema."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from seoulcast_api.__main__ import render_openapi
from seoulcast_assets.kst import today_kst
from seoulcast_assets.storage import LocalObjectStore
from tests.api.contract_objects import write_sample_store
from tests.api.http_server import free_port

pytestmark = pytest.mark.slow


def test_module_serves_the_store_named_by_the_environment(tmp_path: Path):
    store = LocalObjectStore(tmp_path / "store")
    latest = write_sample_store(store, today_kst(), history_days=3)
    port = free_port()
    env = os.environ | {
        "SEOULCAST_STORAGE": store.url,
        "SEOULCAST_CORS_ORIGINS": "https://a.example",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "seoulcast_api",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                reply = httpx.get(
                    f"http://127.0.0.1:{port}/result", headers={"Origin": "https://a.example"}
                )
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert reply.status_code == 200
        assert reply.json()["date"] == latest["days"][0]["date"]
        assert reply.headers["access-control-allow-origin"] == "https://a.example"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_module_writes_the_openapi_schema(tmp_path: Path):
    target = tmp_path / "openapi.json"
    subprocess.run([sys.executable, "-m", "seoulcast_api", "openapi", str(target)], check=True)
    assert target.read_text(encoding="utf-8") == render_openapi()

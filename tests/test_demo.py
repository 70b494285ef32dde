"""`seoulcast demo`, the README's first command, on a fresh home: the pipeline (`--no-ui`), and
the UIs it leaves running, which SIGTERM stops with everything they started."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import dagster as dg
import httpx
import pytest

from seoulcast_assets import local_postgres
from seoulcast_assets.kst import today_kst
from seoulcast_assets.local_postgres import LocalPostgres
from tests.support.processes import (
    descendants,
    free_port,
    running_executable,
    running_with_environment,
    wait_for_http,
)

ROOT = Path(__file__).resolve().parents[1]


def demo_env(home: Path | str) -> dict[str, str]:
    """This environment without the settings a test run exports, the demo's home at ``home``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DAGSTER_", "SEOULCAST_", "KMA_", "AWS_", "MLFLOW_", "SLACK_"))
    }
    env["SEOULCAST_HOME"] = str(home)
    return env


@pytest.mark.slow
def test_demo_runs_the_platform_into_a_local_home(tmp_path):
    home = tmp_path / "home"
    env = demo_env(home)
    command = [str(Path(sys.executable).with_name("seoulcast")), "demo", "--no-ui",
               "--days", "5", "--history-since", "2000-01-01"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    store = home / "store"
    today = today_kst()
    latest = json.loads((store / "forecast" / "latest.json").read_text())
    assert latest["issue_date"] == today.isoformat()
    champion = json.loads((store / "model" / "champion.json").read_text())
    assert latest["model"]["version"] == champion["version"] == "1"
    assert latest["inputs"]["source"] == champion["observations_source"] == "emulator-synthetic"
    assert (home / "mlflow.db").is_file()

    os.environ["DAGSTER_HOME"] = str(home / "dagster_home")
    server = LocalPostgres.under(home)  # Dagster's runs are in the embedded PostgreSQL ...
    assert (server.data_dir / "PG_VERSION").is_file() and not server.accepts_connections()
    # ... which the demo stopped when it ended: start it again to read them back
    os.environ["DAGSTER_PG_URL"] = server.url()
    try:
        with server.running(), dg.DagsterInstance.get() as instance:
            assert type(instance.run_storage).__name__ == "PostgresRunStorage"
            runs = instance.get_runs()
            assert len(runs) == 6  # one run per asset: the recent days are one range run each
            assert all(run.is_success for run in runs)
            for asset in ("raw_asos", "raw_pm10", "clean_daily"):
                materialized = instance.get_materialized_partitions(dg.AssetKey(asset))
                assert len(materialized) == 5
            forecasts = instance.get_materialized_partitions(dg.AssetKey("daily_forecast"))
            assert forecasts == {today.isoformat()}
    finally:
        del os.environ["DAGSTER_HOME"], os.environ["DAGSTER_PG_URL"]


def embedded_postgres(home: Path | str) -> set[int]:
    """The processes of the embedded PostgreSQL of the demo's home."""
    server = LocalPostgres.under(Path(home))
    return running_executable(local_postgres.bin_dir() / "postgres", cwd=server.data_dir)


SERVE = """
import argparse, sys
from seoulcast_assets import demo
ports = dict(zip(("port", "api_port", "mlflow_port"), map(int, sys.argv[1:])))
sys.exit(demo.serve(argparse.Namespace(host="127.0.0.1", **ports), demo.demo_environment()))
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_sigterm_stops_the_demo_uis_and_everything_they_started(tmp_path):
    """``kill <demo>`` (a service manager's stop) must not leave the API, MLflow or Dagster
    running; the UIs are those the demo leaves running after its pipeline steps."""
    ports = {"dagster": free_port(), "api": free_port(), "mlflow": free_port()}
    home = str(tmp_path / "home")
    demo = subprocess.Popen(
        [sys.executable, "-c", SERVE, *map(str, ports.values())], cwd=ROOT, env=demo_env(home)
    )
    try:
        for port in ports.values():
            wait_for_http(f"http://127.0.0.1:{port}/", demo, timeout=180)
        started = descendants(demo.pid)
        assert len(started) >= 7  # the three services, Dagster's webserver, daemon, code server
        # and the embedded PostgreSQL, whose processes overwrite their environment
        postgres = started & embedded_postgres(home)
        assert postgres
        assert started - postgres <= running_with_environment("SEOULCAST_HOME", home)

        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=120) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
        left_running = running_with_environment("SEOULCAST_HOME", home) | embedded_postgres(home)
        for pid in left_running:  # never left to disturb later tests
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert left_running == set()  # what it started, and what those started later
    for port in ports.values():
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)

"""`seoulcast demo`, the README's first command, on a fresh home: the pipeline (`--no-ui`), and
the UIs it leaves running, which SIGTERM stops with everything they started."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
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


HISTORY_SINCE = "2020-01-01"  # a short history keeps the test to a few minutes
NAMED_JOBS = (
    "collect_temperature", "collect_pm10", "clean_observations", "train_model", "forecast"
)  # fmt: skip


def run_demo(home: Path, *options: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("seoulcast")), "demo", "--no-ui",
               "--history-since", HISTORY_SINCE, *options]  # fmt: skip
    return subprocess.run(
        command, cwd=ROOT, env=demo_env(home), capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A fresh home after ``seoulcast demo --no-ui``, and what the demo printed."""
    home = tmp_path_factory.mktemp("demo") / "home"
    return home, run_demo(home)


@pytest.mark.slow
@pytest.mark.timeout(900)  # the platform twice, training included, on a loaded 2-core CI
def test_demo_runs_the_platform_into_a_local_home(demo_run):
    home, result = demo_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert not [line for line in lines if "DEBUG" in line]  # Dagster's output is in logs/
    assert len(lines) <= 20, result.stdout  # one line per step
    assert lines[-1].startswith("Done in "), result.stdout
    for asset in ("raw_asos", "raw_pm10", "clean_daily", "lstm_model", "daily_forecast"):
        assert any(line.split()[:1] == [asset] for line in lines), result.stdout
        assert (home / "logs" / f"{asset}.log").is_file()

    store = home / "store"
    today = today_kst()
    yesterday = today - timedelta(days=1)
    latest = json.loads((store / "forecast" / "latest.json").read_text())
    assert latest["issue_date"] == today.isoformat()
    champion = json.loads((store / "model" / "champion.json").read_text())
    assert latest["model"]["version"] == champion["version"] == "1"
    assert latest["inputs"]["source"] == champion["observations_source"] == "emulator-synthetic"
    assert (home / "mlflow.db").is_file()

    with demo_instance(home) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        runs = instance.get_runs()
        assert all(run.is_success for run in runs)
        # the named jobs, one run each: the history is one range run per asset
        assert sorted(run.job_name for run in runs) == sorted(NAMED_JOBS)
        every_day = _days(date.fromisoformat(HISTORY_SINCE), yesterday)
        for asset in ("raw_asos", "raw_pm10", "clean_daily"):
            materialized = instance.get_materialized_partitions(dg.AssetKey(asset))
            assert materialized == every_day, asset  # every day, with data or not
        forecasts = instance.get_materialized_partitions(dg.AssetKey("daily_forecast"))
        assert forecasts == {today.isoformat()}
        assert instance.get_latest_materialization_event(dg.AssetKey("lstm_model"))

    again = run_demo(home)  # idempotent: nothing left to do
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "already materialized" in again.stdout and "already issued" in again.stdout
    with demo_instance(home) as instance:
        assert len(instance.get_runs()) == len(NAMED_JOBS)


def _days(first: date, last: date) -> set[str]:
    return {(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)}


@contextlib.contextmanager
def demo_instance(home: Path):
    """The demo's Dagster instance: its embedded PostgreSQL, which the demo stopped when it
    ended, started again to read the runs back."""
    server = LocalPostgres.under(home)
    assert (server.data_dir / "PG_VERSION").is_file() and not server.accepts_connections()
    saved = {name: os.environ.get(name) for name in ("DAGSTER_HOME", "DAGSTER_PG_URL")}
    os.environ["DAGSTER_HOME"] = str(home / "dagster_home")
    os.environ["DAGSTER_PG_URL"] = server.url()
    try:
        with server.running(), dg.DagsterInstance.get() as instance:
            yield instance
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def embedded_postgres(home: Path | str) -> set[int]:
    """The processes of the embedded PostgreSQL of the demo's home."""
    server = LocalPostgres.under(Path(home))
    return running_executable(local_postgres.bin_dir() / "postgres", cwd=server.data_dir)


SERVE = """
import argparse, sys
from seoulcast_assets import demo
ports = dict(zip(("port", "api_port", "mlflow_port"), map(int, sys.argv[1:])))
sys.exit(demo.serve(argparse.Namespace(host="127.0.0.1", **ports), demo.local_environment()))
"""


ASSET_PARTITIONS = """{
  assetNodes(assetKeys: [{path: ["raw_asos"]}, {path: ["raw_pm10"]}, {path: ["clean_daily"]}]) {
    assetKey { path } partitionStats { numMaterialized numFailed }
  }
}"""
JOB_RUNS = """{
  repositoriesOrError { ... on RepositoryConnection { nodes {
    location { name }
    pipelines { name runs { status repositoryOrigin { repositoryLocationName } } }
  } } }
}"""  # what the Jobs page and the Overview timeline read: a job's runs are those filed under
# its code location, and the timeline leaves out a run without that origin


def graphql(port: int, query: str) -> dict:
    reply = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, timeout=60)
    reply.raise_for_status()
    body = reply.json()
    assert "errors" not in body, body
    return body["data"]


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_the_dagster_ui_shows_the_demo_and_sigterm_stops_everything(demo_run, tmp_path):
    """What the Dagster UI reads (its GraphQL) after the demo's pipeline: every day of the
    history materialized, the named jobs' runs. Then ``kill <demo>`` (a service manager's stop)
    must not leave the API, MLflow or Dagster running."""
    demo_home, result = demo_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    ports = {"dagster": free_port(), "api": free_port(), "mlflow": free_port()}
    home = str(demo_home)
    out = tmp_path / "terminal.txt"
    with open(out, "w") as terminal:
        demo = subprocess.Popen(
            [sys.executable, "-c", SERVE, *map(str, ports.values())],
            cwd=ROOT, env=demo_env(home), stdout=terminal, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        for port in ports.values():
            wait_for_http(f"http://127.0.0.1:{port}/", demo, timeout=180)
        deadline = time.monotonic() + 30  # "Ready" once all three answer, and only then
        while "Ready in" not in out.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        printed = out.read_text()
        assert printed.rstrip().splitlines()[-1].startswith("Ready in "), printed
        assert "DEBUG" not in printed and "INFO" not in printed, printed  # logs go to files
        for log in ("api", "mlflow", "dagster"):
            assert (Path(home) / "logs" / f"{log}.log").is_file()
        started = descendants(demo.pid)
        assert len(started) >= 7  # the three services, Dagster's webserver, daemon, code server
        # and the embedded PostgreSQL, whose processes overwrite their environment
        postgres = started & embedded_postgres(home)
        assert postgres
        assert started - postgres <= running_with_environment("SEOULCAST_HOME", home)

        every_day = _days(date.fromisoformat(HISTORY_SINCE), today_kst() - timedelta(days=1))
        nodes = graphql(ports["dagster"], ASSET_PARTITIONS)["assetNodes"]
        stats = {node["assetKey"]["path"][0]: node["partitionStats"] for node in nodes}
        assert stats == {
            asset: {"numMaterialized": len(every_day), "numFailed": 0}
            for asset in ("raw_asos", "raw_pm10", "clean_daily")
        }
        (repository,) = graphql(ports["dagster"], JOB_RUNS)["repositoriesOrError"]["nodes"]
        location = repository["location"]["name"]
        job_runs = {job["name"]: job["runs"] for job in repository["pipelines"]}
        for job in NAMED_JOBS:  # one run each, filed under the job of the UI's code location
            assert job_runs[job] == [
                {"status": "SUCCESS", "repositoryOrigin": {"repositoryLocationName": location}}
            ], job

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

"""The embedded PostgreSQL of the local Dagster instance (pgserver's server, started for real)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import dagster as dg
import pytest
import yaml

from seoulcast_assets import local_postgres
from seoulcast_assets.local_postgres import LocalPostgres, LocalPostgresError
from tests.support.processes import running_executable

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")


def postgres_processes(data_dir: Path) -> set[int]:
    """The running processes of the server of ``data_dir`` (they all work in it)."""
    return running_executable(local_postgres.bin_dir() / "postgres", cwd=data_dir)


@dg.asset(partitions_def=dg.DailyPartitionsDefinition("2024-01-01"))
def days(context) -> None:
    context.log.info(context.partition_key)


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


def test_the_local_instance_has_the_production_storage():
    local = yaml.safe_load(local_postgres.INSTANCE_CONFIG.read_text())
    production = yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text())
    for storage in ("run_storage", "event_log_storage", "schedule_storage"):
        assert local[storage] == production[storage]
    assert local["telemetry"] == {"enabled": False}


def test_a_dagster_instance_on_the_embedded_server_keeps_its_runs(home, monkeypatch):
    server = LocalPostgres.under(home)
    dagster_home = home / "dagster_home"
    dagster_home.mkdir(parents=True)
    shutil.copyfile(local_postgres.INSTANCE_CONFIG, dagster_home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_PG_URL", server.url())
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    warnings.filterwarnings("ignore", category=dg.BetaWarning)

    started = time.monotonic()
    with server.running():
        first_start = time.monotonic() - started  # initdb included
        family = postgres_processes(server.data_dir)
        assert len(family) >= 4  # the server, its checkpointer, writers, launchers
        (server_pid,) = {pid for pid in family if _parent(pid) not in family}
        if os.geteuid() == 0:  # PostgreSQL refuses root: it runs as the pgserver user
            assert Path(f"/proc/{server_pid}").stat().st_uid != 0
        with dg.DagsterInstance.get() as instance:
            assert type(instance.run_storage).__name__ == "PostgresRunStorage"
            result = dg.materialize([days], instance=instance, partition_key="2024-01-02")
            assert result.success
    assert postgres_processes(server.data_dir) == set()  # stopped, backends and all

    started = time.monotonic()
    with server.running():
        second_start = time.monotonic() - started
        with dg.DagsterInstance.get() as instance:  # read back after a restart
            assert instance.get_run_by_id(result.run_id).is_success
            assert instance.get_materialized_partitions(days.key) == {"2024-01-02"}
    assert postgres_processes(server.data_dir) == set()
    assert first_start < 30 and second_start < 5, (first_start, second_start)
    assert not list(server.data_dir.glob(".s.PGSQL.*"))  # no TCP port, and the socket is gone


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


ORPHANING_STARTER = """
import sys, time
from pathlib import Path
from seoulcast_assets.local_postgres import LocalPostgres
from seoulcast_assets.services import Services
services = Services(Path.cwd(), {})
LocalPostgres.under(Path(sys.argv[1])).start(services)
print("up", flush=True)
time.sleep(120)
"""


def test_a_server_whose_starter_was_killed_is_stopped_on_the_next_start(home):
    """A SIGKILLed ``seoulcast demo`` leaves its PostgreSQL running in a session of its own;
    the next start on the same home takes over instead of failing on the data folder's lock.
    While its starter lives, the server is left alone and the start says who holds it."""
    server = LocalPostgres.under(home)
    starter = subprocess.Popen(
        [sys.executable, "-c", ORPHANING_STARTER, str(home)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert starter.stdout.readline().strip() == "up"
        orphan = postgres_processes(server.data_dir)
        assert orphan
        with pytest.raises(LocalPostgresError, match=f"in use by process {starter.pid}"):
            with server.running():
                pass
        assert orphan <= postgres_processes(server.data_dir)  # untouched
        starter.send_signal(signal.SIGKILL)
        starter.wait()
        with server.running():
            assert server.accepts_connections()
            assert not orphan & postgres_processes(server.data_dir)
    finally:
        if starter.poll() is None:
            starter.kill()
        for pid in postgres_processes(server.data_dir):
            os.kill(pid, signal.SIGKILL)
    assert postgres_processes(server.data_dir) == set()


def test_an_external_server_is_used_instead_when_named(home, monkeypatch):
    from seoulcast_assets.job_steps import local_environment
    from seoulcast_assets.services import Services

    external = "postgresql+psycopg2://dagster:secret@db.internal:5432/dagster"
    monkeypatch.setenv("SEOULCAST_HOME", str(home))
    monkeypatch.setenv(local_postgres.PG_URL_VARIABLE, external)
    env = local_environment()
    assert env["DAGSTER_PG_URL"] == external
    instance_config = Path(env["DAGSTER_HOME"], "dagster.yaml").read_text()
    assert yaml.safe_load(instance_config)["event_log_storage"]
    with Services(home, env) as services:
        assert local_postgres.start_for_dagster(services, home) is None
        assert services.processes == []
    monkeypatch.delenv(local_postgres.PG_URL_VARIABLE)
    assert local_environment()["DAGSTER_PG_URL"] == LocalPostgres.under(home).url()

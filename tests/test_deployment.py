"""The production shape: deploy/dagster.yaml on a real PostgreSQL, and docker-compose.yml.

There is no Docker engine where these tests run, so the compose file is checked by reading it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
import warnings
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._core.instance.ref import InstanceRef

from seoulcast_assets.dagster_settings import RANGE_RUN_SETTINGS
from seoulcast_assets.defs.ingestion.assets import raw_pm10
from seoulcast_assets.defs.resources import KmaResource, ObjectStoreResource
from seoulcast_assets.kma_emulator import KmaEmulator, SyntheticWeather

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("SEOULCAST_TEST_PG", "postgresql+psycopg2://root@127.0.0.1:5432")


def _psql(sql: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text(sql))
    engine.dispose()


@pytest.fixture
def postgres_database():
    name = f"seoulcast_test_{uuid.uuid4().hex[:8]}"
    try:
        _psql(f"CREATE DATABASE {name}")
    except Exception as error:  # pragma: no cover - depends on the machine
        pytest.skip(f"no PostgreSQL at {PG_SERVER}: {error}")
    yield f"{PG_SERVER}/{name}"
    _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def production_home(postgres_database, tmp_path, monkeypatch) -> Path:
    """A DAGSTER_HOME holding deploy/dagster.yaml, pointed at a fresh PostgreSQL database."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_PG_URL", postgres_database)
    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    return home


def materialize_raw_pm10(instance, store_dir: Path, **selection) -> dg.ExecuteInProcessResult:
    """``raw_pm10`` from the synthetic emulator into a local store (``partition_key=`` or
    range ``tags=``)."""
    with KmaEmulator(SyntheticWeather(seed=3)).running() as emulator:
        return dg.materialize(
            [raw_pm10],
            resources={
                "kma": KmaResource(base_url=emulator.base_url),
                "store": ObjectStoreResource(url=store_dir.as_uri()),
            },
            instance=instance,
            **selection,
        )


def test_production_instance_keeps_runs_in_postgres(production_home, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(production_home))
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert instance.run_coordinator.__class__.__name__ == "QueuedRunCoordinator"
        result = materialize_raw_pm10(instance, tmp_path / "store", partition_key="2024-05-01")
        assert result.success
    with dg.DagsterInstance.get() as reopened:  # read back from PostgreSQL
        record = reopened.get_latest_materialization_event(dg.AssetKey("raw_pm10"))
        assert record.dagster_event.partition == "2024-05-01"
        assert reopened.get_run_by_id(result.run_id).is_success


def test_local_instance_config_needs_no_environment(tmp_path):
    """`dg dev`/`dg check defs` read ./dagster.yaml: it must load offline with nothing set."""
    config = yaml.safe_load((ROOT / "dagster.yaml").read_text())
    assert config["telemetry"] == {"enabled": False}
    assert "env:" not in (ROOT / "dagster.yaml").read_text()
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(ROOT / "dagster.yaml", home / "dagster.yaml")
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        assert instance.run_coordinator.__class__.__name__ == "QueuedRunCoordinator"


def test_dg_check_defs_passes():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "SEOULCAST_"))}
    result = subprocess.run(
        [str(Path(os.sys.executable).with_name("dg")), "check", "defs"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All definitions loaded successfully" in result.stdout + result.stderr


def test_a_range_run_with_the_production_settings_records_every_partition(
    production_home, tmp_path, monkeypatch
):
    for name, value in RANGE_RUN_SETTINGS.items():
        monkeypatch.setenv(name, value)
    with dg.DagsterInstance.from_config(str(production_home)) as instance:
        result = materialize_raw_pm10(
            instance,
            tmp_path / "store",
            tags={
                "dagster/asset_partition_range_start": "2024-02-01",
                "dagster/asset_partition_range_end": "2024-04-30",
            },
        )
        assert result.success
        planned = instance.get_records_for_run(
            result.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED
        ).records
        assert len(planned) == 1  # one for the range, not one per partition
        materialized = instance.get_materialized_partitions(dg.AssetKey("raw_pm10"))
        assert len(materialized) == 29 + 31 + 30
        assert {"2024-02-01", "2024-02-29", "2024-04-30"} <= materialized
        # each check of the run: one execution record, completed by its result, not one
        # "planned" row per partition left behind (seoulcast_assets/dagster_storage.py)
        assert type(instance.event_log_storage).__name__ == "RunScopedCheckEventLogStorage"
        for check_key in raw_pm10.check_keys:
            history = instance.event_log_storage.get_asset_check_execution_history(
                check_key, limit=1000
            )
            assert [record.run_id for record in history] == [result.run_id]
            assert history[0].status.value in ("SUCCEEDED", "FAILED")
            assert history[0].partition is None


def test_every_asset_check_judges_a_run_as_a_whole():
    """The event log stores planned check rows per run: that is right only for checks without
    a partitions definition, whose results carry no partition."""
    from seoulcast_assets.definitions import defs

    graph = defs().resolve_asset_graph()
    assert graph.asset_check_keys
    for check_key in graph.asset_check_keys:
        assert graph.get(check_key).partitions_def is None, check_key


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_the_production_shape(compose):
    services = compose["services"]
    assert {
        "postgres",
        "seaweedfs",
        "buckets",
        "rabbitmq",
        "mlflow",
        "code-server",
        "dagster-webserver",
        "dagster-daemon",
        "worker",
        "api",
    } <= set(services)
    env = services["dagster-daemon"]["environment"]
    assert env["SEOULCAST_STORAGE"].startswith("s3://")
    assert env["AWS_ENDPOINT_URL"] == "http://seaweedfs:8333"
    assert env["DAGSTER_PG_URL"].startswith("postgresql+psycopg2://")
    assert env["MLFLOW_TRACKING_URI"] == "http://mlflow:5000"
    assert env["SEOULCAST_CELERY_BROKER"].startswith("pyamqp://")
    assert "@rabbitmq:5672/" in env["SEOULCAST_CELERY_BROKER"]
    mlflow_env = services["mlflow"]["environment"]
    assert mlflow_env["MLFLOW_BACKEND_STORE_URI"].startswith("postgresql+psycopg2://")
    assert mlflow_env["MLFLOW_ARTIFACTS_DESTINATION"] == "s3://mlflow/artifacts"
    # Dagster and MLflow get databases of their own (both keep an alembic_version table)
    init_sql = (ROOT / "deploy" / "postgres-init.sql").read_text()
    assert "CREATE DATABASE dagster" in init_sql and "CREATE DATABASE mlflow" in init_sql
    assert env["DAGSTER_PG_URL"].rsplit("/", 1)[1] == "dagster"
    assert mlflow_env["MLFLOW_BACKEND_STORE_URI"].rsplit("/", 1)[1] == "mlflow"
    assert "-w workspace.yaml" in services["dagster-webserver"]["command"]
    assert "-w workspace.yaml" in services["dagster-daemon"]["command"]
    assert services["api"]["command"].startswith("python -m seoulcast_api")


def test_the_webserver_and_daemon_find_the_code_server_by_host_and_port(compose):
    """Dagster's production layout: the user code in a gRPC server of its own, so a new image
    of it is deployed by restarting that service, not the UI and the daemon."""
    (location,) = yaml.safe_load((ROOT / "workspace.yaml").read_text())["load_from"]
    server = location["grpc_server"]
    assert server["host"] == {"env": "DAGSTER_CODE_SERVER_HOST"}
    assert server["port"] == {"env": "DAGSTER_CODE_SERVER_PORT"}
    command = compose["services"]["code-server"]["command"].split()
    assert command[:3] == ["dagster", "code-server", "start"]
    assert command[command.index("-p") + 1] == "4000"
    assert command[command.index("--location-name") + 1] == server["location_name"]
    module = command[command.index("-m") + 1]
    assert (ROOT / (module.replace(".", "/") + ".py")).is_file()
    for service in ("dagster-webserver", "dagster-daemon"):
        env = compose["services"][service]["environment"]
        assert (env["DAGSTER_CODE_SERVER_HOST"], env["DAGSTER_CODE_SERVER_PORT"]) == (
            "code-server",
            "4000",
        )
        assert compose["services"][service]["depends_on"]["code-server"] == {
            "condition": "service_healthy"
        }


def test_compose_and_the_demo_run_dagster_with_the_range_run_settings(
    compose, tmp_path, monkeypatch
):
    from seoulcast_assets.job_steps import local_environment

    for service in ("dagster-webserver", "dagster-daemon"):
        environment = compose["services"][service]["environment"]
        assert {name: environment.get(name) for name in RANGE_RUN_SETTINGS} == RANGE_RUN_SETTINGS
    monkeypatch.setenv("SEOULCAST_HOME", str(tmp_path))
    for name in RANGE_RUN_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    demo = local_environment()
    assert {name: demo.get(name) for name in RANGE_RUN_SETTINGS} == RANGE_RUN_SETTINGS


def test_compose_commits_no_secrets(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    for name in ("POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "KMA_API_KEY", "SLACK_BOT_TOKEN"):
        for value in re.findall(rf"^\s*{name}:\s*(\S+)", text, re.M):
            assert value.startswith("${"), f"{name} is set to a literal in docker-compose.yml"
    example = (ROOT / "deploy" / "env.example").read_text()
    assert re.search(r"^KMA_API_KEY=$", example, re.M)


def test_the_image_installs_what_the_services_run(compose):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "torch==2.13.0" in dockerfile
    assert "deploy/dagster.yaml" in dockerfile
    worker = compose["services"]["worker"]["command"].split()
    app = worker[worker.index("--app") + 1]
    assert (ROOT / (app.replace(".", "/") + ".py")).is_file()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"dagster-celery' in pyproject  # the image's `pip install .` brings the workers

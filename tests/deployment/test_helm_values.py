"""deploy/helm/values.yaml, Dagster's Helm chart for SeoulCast, read against docker-compose.yml
and deploy/dagster.yaml: the same code location, settings and run queue, an external
PostgreSQL and S3, runs as Kubernetes Jobs, and no secret in the file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from seoulcast_assets.dagster_settings import RANGE_RUN_SETTINGS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load((ROOT / "deploy" / "helm" / "values.yaml").read_text())


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _env(entries) -> dict[str, str]:
    if isinstance(entries, dict):
        return entries
    return {entry["name"]: entry["value"] for entry in entries}


def test_the_code_location_is_composes_code_server(values, compose):
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    command = compose["services"]["code-server"]["command"].split()
    # the chart runs `dagster code-server start -h 0.0.0.0 -p <port>` + codeServerArgs
    assert command[:3] == ["dagster", "code-server", "start"]
    assert command[command.index("-p") + 1] == str(deployment["port"])
    args = deployment["codeServerArgs"]
    assert " ".join(args) in " ".join(command)
    assert deployment["image"]["tag"] not in ("", "latest")
    assert deployment["includeConfigInLaunchedRuns"]["enabled"]  # runs get its environment


def test_runs_are_kubernetes_jobs_without_celery(values):
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    env = _env(deployment["env"])
    assert env["SEOULCAST_CELERY_BROKER"] == ""  # steps in the run's pod
    assert int(env["SEOULCAST_BACKFILL_PARTITIONS_PER_RUN"]) >= 1
    assert not values["rabbitmq"]["enabled"] and not values["redis"]["enabled"]


def test_external_postgresql_and_s3(values):
    postgresql = values["postgresql"]
    assert postgresql["enabled"] is False and postgresql["postgresqlHost"]
    assert postgresql["postgresqlDatabase"] != "mlflow"
    assert values["generatePostgresqlPasswordSecret"] is False
    assert values["global"]["postgresqlSecretName"]
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    assert _env(deployment["env"])["SEOULCAST_STORAGE"].startswith("s3://")
    # step logs where every pod writes and the webserver reads
    assert values["computeLogManager"]["type"] == "S3ComputeLogManager"


def test_every_dagster_process_has_the_range_run_settings(values):
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    environments = {
        "user code": _env(deployment["env"]),
        "runs": dict(item.split("=", 1) for item in launcher["envVars"]),
        "webserver": _env(values["dagsterWebserver"]["env"]),
        "daemon": _env(values["dagsterDaemon"]["env"]),
    }
    for name, env in environments.items():
        for key, value in RANGE_RUN_SETTINGS.items():
            assert env.get(key) == value, f"{key} in the {name} environment"


def test_the_run_queue_keeps_deploy_dagster_yaml_limits(values):
    instance = yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text())
    queue = values["dagsterDaemon"]["runCoordinator"]
    assert queue["type"] == "QueuedRunCoordinator"
    limits = queue["config"]["queuedRunCoordinator"]["tagConcurrencyLimits"]
    assert limits == instance["run_coordinator"]["config"]["tag_concurrency_limits"]
    retries = values["dagsterDaemon"]["runRetries"]
    assert retries["maxRetries"] == instance["run_retries"]["max_retries"]


def test_no_secret_in_the_values_file(values, compose):
    """Passwords and keys come from Kubernetes Secrets (envSecrets, postgresqlSecretName); the
    variables set in the file are ones compose gives the SeoulCast services, none of them a
    secret."""
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    env = _env(deployment["env"])
    secret = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "KMA_API_KEY", "SLACK_BOT_TOKEN",
              "DAGSTER_PG_URL", "MLFLOW_TRACKING_PASSWORD"}  # fmt: skip
    assert secret.isdisjoint(env)
    assert values["postgresql"]["postgresqlPassword"] == ""
    assert (
        deployment["envSecrets"]
        and values["runLauncher"]["config"]["k8sRunLauncher"]["envSecrets"]
        == deployment["envSecrets"]
    )
    composed = set(compose["x-seoulcast"]["environment"])
    assert set(env) <= composed, set(env) - composed

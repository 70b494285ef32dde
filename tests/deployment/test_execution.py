"""Where runs' steps execute and how a backfill is cut, both chosen by the environment the code
location loads in (seoulcast_assets/execution.py, seoulcast_assets/defs/backfill.py).

The definitions are loaded in a fresh interpreter each time, as a code server does: the
backfill policy and the executor are read when the modules are imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from seoulcast_assets.defs.backfill import PARTITIONS_PER_RUN_VARIABLE, range_backfill_policy
from seoulcast_assets.execution import (
    BROKER_VARIABLE,
    celery_settings,
    executor_from_environment,
    worker_app_args,
)

ROOT = Path(__file__).resolve().parents[2]

LOAD = """
import json, warnings
warnings.simplefilter("ignore")
import dagster as dg
from seoulcast_assets.definitions import defs
d = defs()
keys = ("raw_asos", "raw_pm10", "clean_daily")
print(json.dumps({
    "executors": sorted({d.resolve_job_def(job).executor_def.name
                         for job in ("collect_pm10", "clean_observations", "train_model")}),
    "policies": {k: str(d.resolve_assets_def(dg.AssetKey(k)).backfill_policy) for k in keys},
}))
"""


def load_definitions(**environment: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEOULCAST_", "DAGSTER_"))}
    env.update(environment)
    result = subprocess.run(
        [sys.executable, "-c", LOAD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_one_host_keeps_dagsters_default_executor_and_one_range_run_per_backfill():
    loaded = load_definitions()
    assert loaded["executors"] == ["multi_or_in_process_executor"]
    assert set(loaded["policies"].values()) == {str(dg.BackfillPolicy.single_run())}


def test_with_a_broker_steps_go_to_celery_and_backfills_split_as_configured():
    loaded = load_definitions(
        **{
            BROKER_VARIABLE: "pyamqp://guest:guest@127.0.0.1:5672//",
            PARTITIONS_PER_RUN_VARIABLE: "366",
        }
    )
    assert loaded["executors"] == ["celery"]
    expected = str(dg.BackfillPolicy.multi_run(max_partitions_per_run=366))
    assert set(loaded["policies"].values()) == {expected}


def test_the_executor_reads_the_broker_when_a_run_starts(monkeypatch):
    """The executor's config names the variable, not its value: a password in the broker URL
    is in no definition, run config or UI, and a changed secret needs no new image."""
    monkeypatch.setenv(BROKER_VARIABLE, "pyamqp://seoulcast:first-secret@rabbitmq:5672//")
    executor = executor_from_environment()
    monkeypatch.setenv(BROKER_VARIABLE, "pyamqp://seoulcast:rotated-secret@rabbitmq:5672//")
    resolved = executor.config_schema.resolve_config({}).value["config"]
    assert resolved["broker"] == "pyamqp://seoulcast:rotated-secret@rabbitmq:5672//"
    assert resolved["backend"] == "rpc://"
    assert resolved["config_source"] == celery_settings()


@pytest.mark.parametrize("value", ["0", "-3", "a year", "1.5"])
def test_a_partitions_per_run_that_is_not_a_whole_number_is_refused(monkeypatch, value):
    monkeypatch.setenv(PARTITIONS_PER_RUN_VARIABLE, value)
    with pytest.raises(ValueError, match=PARTITIONS_PER_RUN_VARIABLE):
        range_backfill_policy()


def test_blank_partitions_per_run_is_one_range_run(monkeypatch):
    monkeypatch.setenv(PARTITIONS_PER_RUN_VARIABLE, " ")
    assert range_backfill_policy() == dg.BackfillPolicy.single_run()
    monkeypatch.setenv(PARTITIONS_PER_RUN_VARIABLE, "31")
    assert range_backfill_policy().max_partitions_per_run == 31


def test_the_workers_listen_where_the_runs_send(monkeypatch):
    """The workers' app and the executor read one environment: same broker, backend and the
    settings that give a lost worker's step to another (acknowledged late, rejected when its
    process is lost, one step at a time)."""
    monkeypatch.setenv(BROKER_VARIABLE, "redis://127.0.0.1:6379/5")
    monkeypatch.delenv("SEOULCAST_CELERY_BACKEND", raising=False)
    args = worker_app_args()
    assert args["broker"] == "redis://127.0.0.1:6379/5"
    assert args["backend"] == "redis://127.0.0.1:6379/5"  # results through the same Redis
    settings = vars(args["config_source"])
    for key, value in celery_settings().items():
        assert settings[key] == value
    assert settings["task_acks_late"] and settings["task_reject_on_worker_lost"]
    assert settings["worker_prefetch_multiplier"] == 1
    assert settings["broker_transport_options"] == {"visibility_timeout": 3600}
    monkeypatch.setenv(BROKER_VARIABLE, "pyamqp://guest:guest@127.0.0.1:5672//")
    assert worker_app_args()["backend"] == "rpc://"
    monkeypatch.delenv(BROKER_VARIABLE)
    with pytest.raises(RuntimeError, match=BROKER_VARIABLE):
        worker_app_args()

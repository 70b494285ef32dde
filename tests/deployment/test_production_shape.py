"""The production shape, proven here without Docker: docker-compose.yml's services as real
processes (deploy/production_shape.py) on the PostgreSQL and RabbitMQ of this machine, with
deploy/compose.remote.yml's logins, two Celery workers, SeaweedFS as S3.

One shape serves the module (it takes a while to boot), the tests in this order: a job whose
steps both workers execute; a day of the pipeline through the webserver's GraphQL API, with a
backfill split into runs beside it; the logins; a worker killed in the middle of a step.
Afterwards no process the shape started may be left, nor its databases.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import httpx
import pytest

from seoulcast_assets import layout
from tests.support.processes import running_with_environment

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))

import production_shape  # noqa: E402
from production_shape import MARKER, PROOF_DAY, ProductionShape, prove  # noqa: E402

PG_SERVER = os.environ.get("SEOULCAST_TEST_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432")
BROKER = os.environ.get("SEOULCAST_TEST_RABBITMQ", "pyamqp://guest:guest@127.0.0.1:5672//")
PER_RUN = 31
BACKFILL_FIRST, BACKFILL_LAST = date(2012, 1, 1), date(2012, 3, 31)


def days(first: date, last: date) -> list[str]:
    return [(first + timedelta(n)).isoformat() for n in range((last - first).days + 1)]


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc"),
]


def _databases(prefix: str) -> set[str]:
    import sqlalchemy

    engine = sqlalchemy.create_engine(f"{PG_SERVER}/postgres")
    try:
        with engine.connect() as connection:
            rows = connection.execute(sqlalchemy.text("SELECT datname FROM pg_database"))
            return {name for (name,) in rows if name.startswith(prefix)}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def shape():
    shape = ProductionShape(
        postgres=f"{PG_SERVER}/postgres",
        broker=BROKER,
        workers=2,
        remote=True,
        history_years=4,
        history_end=PROOF_DAY - timedelta(days=2),
        extra_environment={"SEOULCAST_BACKFILL_PARTITIONS_PER_RUN": str(PER_RUN)},
    )
    try:
        with shape:
            yield shape
    finally:
        left = running_with_environment(MARKER, shape.id)
        for pid in left:  # never left to disturb other tests
            os.kill(pid, 9)
        assert left == set(), "processes of the shape still running after it stopped"
        assert not shape.home.exists()
        assert _databases(f"seoulcast_shape_{shape.id}") == set()


def test_steps_run_on_both_workers(shape, monkeypatch):
    """One run of four independent steps of 3 s: each worker takes one at a time (prefetch 1,
    concurrency 1), so both work, side by side."""
    for name, value in shape.pipeline_environment().items():
        if name.startswith(("SEOULCAST_", "DAGSTER_")):
            monkeypatch.setenv(name, value)
    jobs = importlib.reload(importlib.import_module("tests.deployment.celery_jobs"))
    assert jobs.four_steps.executor_def.name == "celery"
    with shape.instance() as instance:
        result = dg.execute_job(dg.reconstructable(jobs.four_steps), instance=instance)
        assert result.success
        steps = production_shape.step_workers(shape, [result.run_id])[result.run_id]
        spans = step_spans(instance, result.run_id)
    names = {name for name, _, _ in steps}
    processes = {pid for _, pid, _ in steps}
    assert names == {f"seoulcast-worker@{shape.hostname}-{i}" for i in (1, 2)}
    assert len(processes) == 2 and None not in processes  # two worker processes
    assert sorted(step for _, _, step in steps) == [f"step_{i}" for i in range(4)]
    # side by side: a step of one worker started before a step of the other had ended
    by_process = {step: pid for _, pid, step in steps}
    assert any(
        by_process[a] != by_process[b] and spans[a][0] < spans[b][1] and spans[b][0] < spans[a][1]
        for a in spans
        for b in spans
    ), spans


def step_spans(instance, run_id: str) -> dict[str, tuple[float, float]]:
    """When each step of the run started and succeeded (event timestamps)."""
    starts, ends = {}, {}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is not None and event.event_type == dg.DagsterEventType.STEP_START:
            starts[event.step_key] = record.timestamp
        elif event is not None and event.event_type == dg.DagsterEventType.STEP_SUCCESS:
            ends[event.step_key] = record.timestamp
    return {step: (starts[step], ends[step]) for step in ends}


@pytest.fixture(scope="module")
def backfill(shape) -> str:
    """A quarter of raw_pm10 as a backfill (runs of PER_RUN days), launched with the day's runs:
    the run queue and the workers execute them beside the pipeline's."""
    return shape.launch_backfill(["raw_pm10"], days(BACKFILL_FIRST, BACKFILL_LAST))


def test_a_day_of_the_deployment(shape, backfill):
    report = prove(shape, PROOF_DAY)
    print(json.dumps({"startup": round(shape.startup_seconds, 1), **shape.timeline,
                      "history": shape.history, **report["timings"]}))  # fmt: skip
    workers = {name for steps in report["workers"].values() for name, _, _ in steps}
    assert workers <= {f"seoulcast-worker@{shape.hostname}-{i}" for i in (1, 2)}
    assert report["model"]["name"] == "seoulcast-lstm"
    assert report["model"]["dagster_run_id"] in report["runs"]
    # the model's files went through MLflow (behind its login) to S3
    assert report["model"]["source"].startswith(("models:/", "mlflow-artifacts:", "s3://"))
    listing = shape.s3().list_objects_v2(Bucket="mlflow", Prefix="artifacts/")
    assert listing.get("KeyCount", 0) > 0
    assert report["served"] == {"issue_date": report["served"]["issue_date"], "days": 7}


def test_a_split_backfill_records_every_partition_once(shape, backfill):
    expected_ranges = [("2012-01-01", "2012-01-31"), ("2012-02-01", "2012-03-02"),
                       ("2012-03-03", "2012-03-31")]  # fmt: skip
    deadline = time.monotonic() + 180
    with shape.instance() as instance:
        while True:
            runs = instance.get_runs(dg.RunsFilter(tags={"dagster/backfill": backfill}))
            if len(runs) == len(expected_ranges) and all(run.is_finished for run in runs):
                break
            assert time.monotonic() < deadline, f"backfill runs: {[r.status for r in runs]}"
            time.sleep(1)
        assert all(run.is_success for run in runs), [run.status for run in runs]
        ranges = sorted(
            (run.tags["dagster/asset_partition_range_start"],
             run.tags["dagster/asset_partition_range_end"])
            for run in runs
        )  # fmt: skip
        assert ranges == expected_ranges
        run_ids = [run.run_id for run in runs]
        counts = materializations_per_partition(instance, "raw_pm10", run_ids)
        assert production_shape.step_workers(shape, run_ids)  # on the Celery workers
    wanted = days(BACKFILL_FIRST, BACKFILL_LAST)
    assert counts == dict.fromkeys(wanted, 1)
    stored = set()
    for month in ("2012-01", "2012-02", "2012-03"):
        prefix = f"prod/raw/pm10/date={month}/"
        listing = shape.s3().list_objects_v2(Bucket="seoulcast", Prefix=prefix)
        stored |= {key["Key"] for key in listing.get("Contents", [])}
    parsed = {f"prod/{layout.raw_parsed_key('pm10', date.fromisoformat(d))}" for d in wanted}
    assert parsed <= stored


def test_the_operator_uis_ask_for_a_login(shape):
    user, password = shape.operator_auth()
    dagster = f"{shape.dagster_url}/server_info"
    assert httpx.get(dagster).status_code == 401
    assert httpx.get(dagster, auth=(user, password + "x")).status_code == 401
    assert httpx.get(dagster, auth=(user, password)).status_code == 200
    admin = (shape.values["MLFLOW_ADMIN_USERNAME"], shape.values["MLFLOW_ADMIN_PASSWORD"])
    for mlflow in (shape.addresses.url("mlflow"), shape.addresses.url("mlflow-site")):
        search = f"{mlflow}/api/2.0/mlflow/experiments/search?max_results=5"
        assert httpx.get(search).status_code == 401
        assert httpx.get(search, auth=(admin[0], admin[1] + "x")).status_code == 401
        assert httpx.get(search, auth=admin).status_code == 200
    # no password or key of the stack is in any service's log, nor in a run's
    secrets = [shape.values[n] for n in production_shape.SECRET_VARIABLES if shape.values.get(n)]
    assert len(secrets) >= 6
    for log in shape.logs.iterdir():
        text = log.read_text(errors="replace")
        assert not [s for s in secrets if s in text], f"a secret in {log.name}"
    with shape.instance() as instance:
        for run in instance.get_runs(limit=20):
            logs = "\n".join(str(record.user_message) for record in instance.all_logs(run.run_id))
            assert not [s for s in secrets if s in logs + json.dumps(run.run_config)], run.job_name


def test_a_worker_killed_in_the_middle_of_a_step(shape):
    """Three months of collection; once March is stored and April's request is under way, the
    worker executing the step is killed with everything it started (a lost host). The broker
    gives the step to the other worker, which runs it again from the start: the run succeeds,
    each day is recorded once, and the store holds exactly what one clean collection writes,
    nothing half-written."""
    from seoulcast_assets.collection import collect_asos
    from seoulcast_assets.kma import KmaClient
    from seoulcast_assets.storage import LocalObjectStore

    first, last = date(2011, 3, 1), date(2011, 5, 31)
    faults = f"{shape.addresses.url('emulator')}/_emulator/faults"
    for delay in (0.1, 30):  # March answers at once, April only after 30 s
        fault = {"kind": "slow", "endpoint": "kma_sfcdd3.php", "delay_seconds": delay}
        httpx.post(faults, json=fault).raise_for_status()
    run_id = shape.graphql_client().submit_job_execution(
        "collect_temperature",
        repository_location_name="seoulcast_assets",
        tags={
            "dagster/asset_partition_range_start": first.isoformat(),
            "dagster/asset_partition_range_end": last.isoformat(),
        },
    )
    s3 = shape.s3()
    march = {f"prod/{layout.raw_parsed_key('asos', first + timedelta(n))}" for n in range(31)}
    with shape.instance() as instance:
        taken_by = wait_for_step_on_a_worker(shape, run_id)
        deadline = time.monotonic() + 60
        # March stored and April's request under way (it took the last fault)
        while httpx.get(faults).json() or not march <= stored_keys(
            s3, "prod/raw/asos/date=2011-03/"
        ):
            assert time.monotonic() < deadline, "March was not stored, or April not asked for"
            time.sleep(0.2)
        shape.stop_worker(int(taken_by.rsplit("-", 1)[1]))  # seoulcast-worker@<host>-<index>
        killed_at = time.monotonic()
        assert shape.wait_for_runs([run_id], timeout=120) == {run_id: "SUCCESS"}
        assert time.monotonic() - killed_at < 30  # redelivered at once, not after the delay
        steps = production_shape.step_workers(shape, [run_id])[run_id]
        assert [name for name, _, _ in steps][0] == taken_by
        assert len({name for name, _, _ in steps}) == 2  # started on one, done by the other
        counts = materializations_per_partition(instance, "raw_asos", [run_id])
        assert counts == dict.fromkeys(days(first, last), 1)

    reference = LocalObjectStore(shape.home / "reference")
    client = KmaClient(f"{shape.addresses.url('emulator')}/api/typ01/url")
    collect_asos(client, reference, first, last)
    expected = {
        f"prod/{path.relative_to(reference.root)}": path.read_bytes()
        for path in reference.root.rglob("*")
        if path.is_file()
    }
    stored = set()
    for month in ("2011-03", "2011-04", "2011-05"):
        stored |= stored_keys(s3, f"prod/raw/asos/date={month}/")
    assert stored == set(expected)  # every day, and nothing else (no partial or temporary keys)
    for key, body in expected.items():
        assert s3.get_object(Bucket="seoulcast", Key=key)["Body"].read() == body, key


def stored_keys(s3, prefix: str) -> set[str]:
    keys = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket="seoulcast", Prefix=prefix):
        keys |= {item["Key"] for item in page.get("Contents", [])}
    return keys


def wait_for_step_on_a_worker(shape, run_id: str, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            steps = production_shape.step_workers(shape, [run_id])[run_id]
        except AssertionError:  # not yet on a worker
            steps = []
        if steps:
            return steps[0][0]
        time.sleep(0.3)
    raise AssertionError(f"no worker took the step of {run_id}")


def materializations_per_partition(instance, asset: str, run_ids) -> dict[str, int]:
    """How often each partition of ``asset`` that the runs materialized was recorded, by any
    run."""
    partitions = set()
    for run_id in run_ids:
        for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
            partitions.add(record.dagster_event.partition)
    counts = dict.fromkeys(sorted(partitions), 0)
    for record in instance.fetch_materializations(dg.AssetKey(asset), limit=10000).records:
        if record.partition_key in counts:
            counts[record.partition_key] += 1
    return counts

"""``python -m seoulcast_assets.run_launch``: bad arguments are refused before any run is
created. Its runs' place in the UI (under their job, on the Overview timeline) is asserted by
the demo test through the UI's GraphQL."""

from __future__ import annotations

import os
import subprocess
import sys

import dagster as dg
import pytest

LAUNCH = [sys.executable, "-m", "seoulcast_assets.run_launch"]


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--job", "no_such_job"], "Could not find job 'no_such_job'"),
        (["--job", "collect_pm10", "--partition", "1800-01-01"], "`1800-01-01`"),
        (["--job", "collect_pm10", "--partition-range", "2020-01-01"], "FIRST...LAST"),
        (["--job", "collect_pm10", "--partition-range", "2020-01-01...2020-13-01"], "2020-13-01"),
        (["--job", "forecast", "--config-json", "{not json"], "--config-json is not JSON"),
    ],
)
def test_bad_arguments_are_refused_before_a_run_exists(tmp_path, arguments, says):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    env.pop("DAGSTER_PG_URL", None)
    result = subprocess.run([*LAUNCH, *arguments], env=env, capture_output=True, text=True)
    assert result.returncode == 2, result.stderr[-2000:]
    assert says in result.stderr.splitlines()[-1]
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert instance.get_runs() == []

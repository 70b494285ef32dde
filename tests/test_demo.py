"""`seoulcast demo --no-ui`: the README's first command, minus the UI, on a fresh home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from seoulcast_assets.kst import yesterday_kst

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_demo_collects_recent_days_into_a_local_dagster_home(tmp_path):
    home = tmp_path / "home"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DAGSTER_", "SEOULCAST_", "KMA_", "AWS_", "MLFLOW_"))
    }
    env["SEOULCAST_HOME"] = str(home)
    result = subprocess.run(
        [str(Path(sys.executable).with_name("seoulcast")), "demo", "--no-ui", "--days", "5"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    last = yesterday_kst()
    for folder in ("raw/asos", "raw/pm10", "result/temperature", "result/pm10"):
        key = home / "store" / folder / f"date={last:%Y-%m}" / f"{last}.csv"
        assert key.is_file(), f"{key} missing"

    os.environ["DAGSTER_HOME"] = str(home / "dagster_home")
    try:
        with dg.DagsterInstance.get() as instance:
            runs = instance.get_runs()
            assert len(runs) == 3  # one range run per asset, not one per day
            assert all(run.is_success for run in runs)
            for asset in ("raw_asos", "raw_pm10", "clean_daily"):
                materialized = instance.get_materialized_partitions(dg.AssetKey(asset))
                assert last.isoformat() in materialized and len(materialized) == 5
    finally:
        del os.environ["DAGSTER_HOME"]

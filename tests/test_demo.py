"""`seoulcast demo --no-ui`: the README's first command, minus the UIs, on a fresh home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from seoulcast_assets.kst import today_kst

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_demo_runs_the_platform_into_a_local_home(tmp_path):
    home = tmp_path / "home"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DAGSTER_", "SEOULCAST_", "KMA_", "AWS_", "MLFLOW_", "SLACK_"))
    }
    env["SEOULCAST_HOME"] = str(home)
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
    assert (home / "mlflow.db").is_file()

    os.environ["DAGSTER_HOME"] = str(home / "dagster_home")
    try:
        with dg.DagsterInstance.get() as instance:
            runs = instance.get_runs()
            assert len(runs) == 6  # one run per asset: the recent days are one range run each
            assert all(run.is_success for run in runs)
            for asset in ("raw_asos", "raw_pm10", "clean_daily"):
                materialized = instance.get_materialized_partitions(dg.AssetKey(asset))
                assert len(materialized) == 5
            forecasts = instance.get_materialized_partitions(dg.AssetKey("daily_forecast"))
            assert forecasts == {today.isoformat()}
    finally:
        del os.environ["DAGSTER_HOME"]

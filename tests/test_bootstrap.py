"""`seoulcast bootstrap`: history through the named jobs of the local instance (as the demo
loads it), a second run that finds it all materialized, and the direct load."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from tests.test_demo import ROOT, _days, demo_env, demo_instance

FIRST, LAST = "2024-02-20", "2024-03-05"


def bootstrap(home: Path, *options: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("seoulcast")), "bootstrap",
               "--first", FIRST, "--last", LAST, *options]  # fmt: skip
    return subprocess.run(
        command, cwd=ROOT, env=demo_env(home), capture_output=True, text=True, timeout=600
    )


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_bootstrap_materializes_every_day_through_the_named_jobs(tmp_path):
    home = tmp_path / "home"
    result = bootstrap(home)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert not [line for line in lines if "DEBUG" in line], result.stdout
    for asset in ("raw_asos", "raw_pm10", "clean_daily"):
        step = next(line for line in lines if line.split()[:1] == [asset])
        assert f"{FIRST}..{LAST}" in step and "15 days" in step, step
    assert lines[-1].startswith("Done in "), result.stdout

    every_day = _days(date.fromisoformat(FIRST), date.fromisoformat(LAST))
    with demo_instance(home) as instance:
        runs = instance.get_runs()
        assert sorted(run.job_name for run in runs) == sorted(
            ["collect_temperature", "collect_pm10", "clean_observations"]
        )
        assert all(run.is_success for run in runs)
        for asset in ("raw_asos", "raw_pm10", "clean_daily"):
            assert instance.get_materialized_partitions(dg.AssetKey(asset)) == every_day, asset
    cleaned = home / "store" / "result" / "daily" / "year=2024.csv"
    assert cleaned.read_text().splitlines()[-1].startswith(f"{LAST},")

    again = bootstrap(home)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert again.stdout.count("15 days already materialized") == 3, again.stdout
    with demo_instance(home) as instance:
        assert len(instance.get_runs()) == 3  # nothing launched the second time


def test_bootstrap_without_dagster_loads_the_store_only(tmp_path):
    home = tmp_path / "home"
    store = tmp_path / "store"
    result = bootstrap(home, "--storage", store.as_uri(), "--without-dagster")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "days 15, days_with_temperature 15, days_with_pm10 15" in result.stdout
    assert (store / "result" / "daily" / "year=2024.csv").read_text().count("\n2024-") == 15
    assert not (home / "dagster_home").exists() and not (home / "postgres").exists()

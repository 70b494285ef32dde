"""A full retrain of ``lstm_model`` on all of Seoul's real history (1907-2018), timed.

    .venv/bin/python bench/retrain.py [--data ../shared/data]

The store is filled from the real observations through the KMA emulator and the cleaning code
(not timed); then ``lstm_model`` is materialized once, in process, against a local MLflow
tracking store: evaluation of the candidate and the baselines on the last 365 days, the final
training on everything, logging, registration and the promotion decision. Target: <= 120 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from datetime import date, datetime
from pathlib import Path

import dagster as dg

from seoulcast_assets.cleaning import clean_days
from seoulcast_assets.collection import collect_asos, collect_pm10
from seoulcast_assets.defs.model.assets import lstm_model
from seoulcast_assets.defs.resources import MlflowResource, ObjectStoreResource, SlackAlerts
from seoulcast_assets.kma import KmaClient
from seoulcast_assets.kma_emulator import KmaEmulator, ObservedWeather
from seoulcast_assets.kst import KST

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
FIRST, LAST = date(1907, 10, 1), date(2018, 12, 31)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="seoulcast-retrain-"))
    store = ObjectStoreResource(url=(work / "store").as_uri())

    started = time.perf_counter()
    weather = ObservedWeather.from_files(
        temperature_csv=args.data / "seoul_temp_daily.csv",
        pm10_csv=args.data / "seoul_pm10_daily.csv",
    )
    with KmaEmulator(weather, clock=lambda: datetime(2019, 1, 1, 4, tzinfo=KST)).running() as kma:
        client = KmaClient(kma.base_url)
        collect_asos(client, store.open(), FIRST, LAST)
        collect_pm10(client, store.open(), date(2008, 4, 28), LAST)
    clean_days(store.open(), FIRST, LAST)
    print(f"store prepared in {time.perf_counter() - started:.0f} s (not timed)", flush=True)

    mlflow = MlflowResource(
        tracking_uri=f"sqlite:///{work / 'mlflow.db'}",
        artifact_location=(work / "mlartifacts").as_uri(),
    )
    started = time.perf_counter()
    result = dg.materialize(
        [lstm_model],
        resources={"store": store, "mlflow": mlflow, "slack": SlackAlerts()},
        instance=dg.DagsterInstance.ephemeral(),
    )
    seconds = time.perf_counter() - started
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    print(metadata["holdout_d1_mae"].value)
    print(f"decision: {metadata['decision'].value}")
    print(f"lstm_model full retrain on {metadata['dagster/row_count'].value} days: {seconds:.1f} s "
          f"(target <= 120 s)")  # fmt: skip


if __name__ == "__main__":
    main()

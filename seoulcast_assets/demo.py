"""``seoulcast demo``: run the whole platform on embedded defaults, then open it.

No key or account is needed: observations come from the built-in KMA emulator (synthetic Seoul
weather), objects go to a local folder, MLflow keeps its state in local files and Dagster in an
embedded PostgreSQL (``local_postgres.py``; ``SEOULCAST_DAGSTER_PG_URL`` names an external one),
all under ``$SEOULCAST_HOME`` (``./.seoulcast``). The steps:

1. ``seoulcast bootstrap``: years of history into the raw and clean layers (skipped when the
   store already holds them);
2. ``dg launch`` range runs of ``raw_asos``, ``raw_pm10`` and ``clean_daily`` for the recent
   days, so they show up in the Dagster UI exactly as scheduled runs would;
3. ``lstm_model``: train, register and promote the forecaster (skipped when a champion exists,
   unless ``--retrain``);
4. ``daily_forecast`` for today, then ``model_monitoring``. Past days are not backfilled: a
   champion trained on them would forecast them in-sample and flatter its verified accuracy, so
   verification starts with tomorrow's observation;
5. the forecast API and web page on http://127.0.0.1:8000, the MLflow UI on :5000, and the
   Dagster UI on :3000 (``dg dev``), until Ctrl-C or SIGTERM, which stop all three
   (``services.py``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from seoulcast_assets import config, local_postgres
from seoulcast_assets.dagster_settings import apply_range_run_settings
from seoulcast_assets.kst import today_kst
from seoulcast_assets.services import Services

HELP = __doc__.splitlines()[0].split(": ", 1)[1]
HISTORY_SINCE = date(1990, 1, 1)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--days", type=int, default=90, help="recent days collected through Dagster (default 90)"
    )
    parser.add_argument(
        "--history-since",
        type=date.fromisoformat,
        default=HISTORY_SINCE,
        help="first day of the bootstrapped history (default 1990-01-01)",
    )
    parser.add_argument("--retrain", action="store_true", help="train even if a champion exists")
    parser.add_argument("--no-ui", action="store_true", help="run the pipeline, then exit")
    parser.add_argument("--host", default="127.0.0.1", help="host the UIs and the API bind to")
    parser.add_argument("--port", type=int, default=3000, help="Dagster UI port")
    parser.add_argument("--api-port", type=int, default=8000, help="forecast API and page port")
    parser.add_argument("--mlflow-port", type=int, default=5000, help="MLflow UI port")


def project_root() -> Path:
    root = Path(__file__).resolve().parents[1]
    if not (root / "pyproject.toml").is_file():
        raise SystemExit("seoulcast demo runs from a source checkout (pyproject.toml not found)")
    return root


def demo_environment() -> dict[str, str]:
    """The environment every step runs in: local homes for Dagster, MLflow and the store."""
    home = config.seoulcast_home()
    dagster_home = home / "dagster_home"
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(local_postgres.INSTANCE_CONFIG, dagster_home / "dagster.yaml")
    env = dict(os.environ)
    env.update(
        SEOULCAST_HOME=str(home),
        DAGSTER_HOME=str(dagster_home),
        SEOULCAST_STORAGE=config.storage_url(),
        MLFLOW_TRACKING_URI=config.mlflow_tracking_uri(),
        DAGSTER_PG_URL=local_postgres.dagster_pg_url(home),
    )
    if sys.prefix != sys.base_prefix:  # the steps run this virtualenv's tools; dg checks it
        env["VIRTUAL_ENV"] = sys.prefix
    apply_range_run_settings(env)
    return env


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def step(title: str, command: list[str], env: dict[str, str]) -> None:
    shown = " ".join([Path(command[0]).name, *command[1:]])
    print(f"\n==> {title}\n    {shown}", flush=True)
    subprocess.run(command, cwd=project_root(), env=env, check=True)


def launch(assets: str, env: dict[str, str], first: date | None = None, last: date | None = None):
    command = [_tool("dg"), "launch", "--assets", assets]
    if first is not None:
        command += ["--partition-range", f"{first.isoformat()}...{last.isoformat()}"]
    step(f"materialize {assets}", command, env)


def has_champion(env: dict[str, str]) -> bool:
    from seoulcast_assets.storage import open_store

    store = open_store(env["SEOULCAST_STORAGE"], endpoint_url=config.aws_endpoint_url())
    return store.exists("model/champion.json")


def run(args: argparse.Namespace) -> int:
    env = demo_environment()
    with Services(project_root(), env) as services:  # the Dagster instance's PostgreSQL
        local_postgres.start_for_dagster(services, Path(env["SEOULCAST_HOME"]))
        return _run(args, env)


def _run(args: argparse.Namespace, env: dict[str, str]) -> int:
    today = today_kst()
    yesterday = today - timedelta(days=1)
    recent_first = yesterday - timedelta(days=args.days - 1)
    print(f"SeoulCast demo, {today} (KST); observations from {config.kma_base_url()}")
    print(f"  objects {env['SEOULCAST_STORAGE']}\n  dagster {env['DAGSTER_HOME']}\n"
          f"  mlflow  {env['MLFLOW_TRACKING_URI']}")  # fmt: skip

    step(
        "history bootstrap (years of days, outside Dagster)",
        [_tool("seoulcast"), "bootstrap", "--first", args.history_since.isoformat(),
         "--last", (recent_first - timedelta(days=1)).isoformat()],
        env,
    )  # fmt: skip
    for asset in ("raw_asos", "raw_pm10", "clean_daily"):
        launch(asset, env, recent_first, yesterday)
    if args.retrain or not has_champion(env):
        launch("lstm_model", env)
    launch("daily_forecast", env, today, today)
    launch("model_monitoring", env)
    if args.no_ui:
        return 0
    return serve(args, env)


def serve(args: argparse.Namespace, env: dict[str, str]) -> int:
    """The API and page, the MLflow UI, and the Dagster UI, until the Dagster UI exits or the
    demo gets Ctrl-C or SIGTERM; then all three stop, with every process they started."""
    host = args.host
    with Services(project_root(), env) as services:
        local_postgres.start_for_dagster(services, Path(env["SEOULCAST_HOME"]))  # unless running
        services.start(
            [sys.executable, "-m", "seoulcast_api", "serve", "--host", host,
             "--port", str(args.api_port)]
        )  # fmt: skip
        services.start(
            [_tool("mlflow"), "ui", "--backend-store-uri", env["MLFLOW_TRACKING_URI"],
             "--host", host, "--port", str(args.mlflow_port), "--workers", "1"],
            # one web worker and no job runner (eight idle consumer processes otherwise)
            env={**env, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"},
        )  # fmt: skip
        ui = services.start([_tool("dg"), "dev", "--host", host, "--port", str(args.port)])
        print(
            f"\nForecast page  http://{host}:{args.api_port}\n"
            f"MLflow UI      http://{host}:{args.mlflow_port}\n"
            f"Dagster UI     http://{host}:{args.port}   (Ctrl-C stops all three)\n",
            flush=True,
        )
        try:
            return ui.wait()
        except KeyboardInterrupt:
            print("\nStopping the Dagster UI, MLflow UI and API ...", flush=True)
            return 0

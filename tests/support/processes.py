"""Small helpers for the servers tests start: a free port, waiting until one answers, a
polite stop, and which processes a server started (from ``/proc``)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

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


def _stat_fields(pid: int | str) -> list[str] | None:
    """``/proc/<pid>/stat`` after the command name: state, parent pid, group, session, …"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def running(pid: int) -> bool:
    """Running, not a zombie waiting to be collected."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != "Z"


def descendants(pid: int) -> set[int]:
    """The running processes started by ``pid``, by its children, and so on."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat_fields(entry.name)) and fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def running_with_environment(name: str, value: str) -> set[int]:
    """The running processes whose environment has ``name=value``: whatever a server started,
    even after its parent has gone and they were handed to init."""
    wanted = f"{name}={value}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if wanted in environment and running(int(entry.name)):
            found.add(int(entry.name))
    return found


def running_executable(path: Path | str, cwd: Path | str | None = None) -> set[int]:
    """The running processes whose program is the file ``path`` (and whose working folder is
    ``cwd``). A PostgreSQL server's processes are found this way: they overwrite their command
    line and environment with their status, each leads a session of its own, and all work in
    the data folder."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(os.readlink(entry / "exe")) != Path(path):
                continue
            if cwd is not None and Path(os.readlink(entry / "cwd")) != Path(cwd).resolve():
                continue
        except OSError:
            continue
        if running(int(entry.name)):
            found.add(int(entry.name))
    return found

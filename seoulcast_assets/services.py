"""Long-running child services (``seoulcast demo``'s API, MLflow UI and Dagster UI) that stop
together, with everything they started, however the parent is asked to stop.

* Each service starts in its own session, so its process group holds everything it starts
  (MLflow's uvicorn workers, the Dagster webserver, daemon and code servers), and a stop can
  reach what a service leaves behind when it exits.
* Inside a ``Services`` block SIGTERM stops the parent as Ctrl-C does. Without it, ``kill`` of
  the demo ended the demo alone and left the three services running.
* The block catches SIGINT even when the parent was started with SIGINT ignored (in the
  background of a non-interactive shell). A caught signal is reset to the default in a child,
  an ignored one stays ignored, and ``dg dev`` maps SIGTERM to its SIGINT handler, so a Dagster
  UI started from such a parent ignored both signals and could only be killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE_SECONDS = 20.0


class Services:
    """Services started with ``start`` in a ``with`` block; when the block ends (its end, an
    error, Ctrl-C or SIGTERM) they are stopped, the last started first."""

    def __init__(self, cwd: Path, env: Mapping[str, str], grace_seconds: float = GRACE_SECONDS):
        self.cwd = cwd
        self.env = dict(env)
        self.grace_seconds = grace_seconds
        self.processes: list[subprocess.Popen] = []
        self._stop_signals: dict[int, int] = {}
        self._previous_handlers: dict[int, object] = {}

    def __enter__(self) -> Services:
        for signum in STOP_SIGNALS:
            self._previous_handlers[signum] = signal.signal(signum, _raise_keyboard_interrupt)
        return self

    def start(
        self,
        command: Sequence[str],
        stop_signal: int = signal.SIGTERM,
        env: Mapping[str, str] | None = None,
        **popen_options,
    ) -> subprocess.Popen:
        """Start ``command`` in a session of its own, in the block's environment or ``env``
        (``popen_options`` go to ``Popen``); it is asked to stop with ``stop_signal``
        (PostgreSQL's fast shutdown is SIGINT)."""
        process = subprocess.Popen(
            list(command),
            cwd=self.cwd,
            env=self.env if env is None else dict(env),
            start_new_session=True,
            **popen_options,
        )
        self.processes.append(process)
        self._stop_signals[process.pid] = stop_signal
        return process

    def __exit__(self, *exc_info) -> None:
        for signum in STOP_SIGNALS:  # a second Ctrl-C does not cut the shutdown short
            signal.signal(signum, signal.SIG_IGN)
        try:
            for process in reversed(self.processes):
                stop_service(process, self.grace_seconds, self._stop_signals[process.pid])
        finally:
            for signum, handler in self._previous_handlers.items():
                signal.signal(signum, handler)


def stop_service(
    process: subprocess.Popen,
    grace_seconds: float = GRACE_SECONDS,
    stop_signal: int = signal.SIGTERM,
) -> None:
    """Stop a service started in its own session: ``stop_signal`` to the service, then, once it
    has exited or the grace period has passed, SIGTERM to whatever of its process group still
    runs, and SIGKILL to what outlives a second grace period; returns once none of the group
    runs (a killed process takes a moment to end)."""
    if process.poll() is None:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            pass
    group = process.pid  # a session's first process leads its process group
    if group_running(group):
        _signal_group(group, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        while group_running(group) and time.monotonic() < deadline:
            process.poll()
            time.sleep(0.1)
        _signal_group(group, signal.SIGKILL)
        deadline = time.monotonic() + grace_seconds
        while group_running(group) and time.monotonic() < deadline:
            time.sleep(0.05)
    process.wait()


def group_running(group: int) -> bool:
    """Whether a process of process group ``group`` is still running. On Linux, zombies (which
    have exited and only wait for a parent to collect them) do not count."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while being read
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            return True
    return False


def _signal_group(group: int, signum: int) -> None:
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        pass


def _raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)

"""Running an ASGI app on a real socket for the duration of a test.

uvicorn serves a ready app object (built with the test's own store) from a thread of the test
process; the production server, Granian (``python -m seoulcast_api``), starts apps from an
import string in worker processes: :func:`start_api_process` runs it as a user would
(``test_entry_point.py``, ``bench/api_latency.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import uvicorn

from tests.support.processes import free_port

__all__ = ["free_port", "serve", "start_api_process"]


def start_api_process(
    port: int, env: Mapping[str, str], workers: int | None = None
) -> subprocess.Popen:
    """``python -m seoulcast_api --host 127.0.0.1 --port <port>``, with ``env`` added to this
    process's environment (``SEOULCAST_STORAGE`` names the store)."""
    command = [sys.executable, "-m", "seoulcast_api", "--host", "127.0.0.1", "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    return subprocess.Popen([*command, "--log-level", "warning"], env=os.environ | dict(env))


@contextmanager
def serve(app, startup_timeout: float = 20.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread; yield its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

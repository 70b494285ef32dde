"""Running an ASGI app on a real socket for the duration of a test.

uvicorn serves a ready app object (built with the test's own store) from a thread of the test
process; the production server, Granian (``python -m seoulcast_api``), starts apps from an
import string in worker processes and is exercised in ``test_entry_point.py``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from tests.support.processes import free_port

__all__ = ["free_port", "serve"]


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

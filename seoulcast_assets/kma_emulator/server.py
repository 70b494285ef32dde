"""A localhost HTTP server in front of the emulated KMA API Hub (:mod:`.hub`).

``with KmaEmulator(source).running() as emulator:`` serves from a background thread on a free
port; ``emulator.base_url`` is what a :class:`~seoulcast_assets.kma.client.KmaClient` takes.

Tests drive failures through :meth:`KmaEmulator.inject`, or over HTTP (for an emulator in
another process, see :class:`~.control.EmulatorControl`) through the control endpoints:

* ``POST /_emulator/faults`` with a JSON :class:`~.faults.Fault`; ``DELETE`` clears them;
* ``GET /_emulator/requests`` lists the KMA requests received (without keys); ``DELETE`` resets.

Good replies carry ``X-SeoulCast-Source`` (``emulator-synthetic`` or ``emulator-observed``), so
the raw layer records that its observations did not come from KMA.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from seoulcast_assets.kma.reply import SOURCE_HEADER
from seoulcast_assets.kma_emulator.faults import Fault
from seoulcast_assets.kma_emulator.hub import API_PREFIX, Answer, ApiHub, RecordedRequest
from seoulcast_assets.kma_emulator.sources import ObservationSource
from seoulcast_assets.kst import now_kst
from seoulcast_assets.secrets import redact

logger = logging.getLogger(__name__)

CONTROL_PREFIX = "/_emulator"


class KmaEmulator:
    """KMA-compatible server backed by ``source`` (synthetic weather when None).

    ``port=0`` picks a free port. ``require_key`` answers requests without ``authKey`` with a
    403 JSON error. ``clock`` gives the current KST time and decides what is "yesterday".
    """

    def __init__(
        self,
        source: ObservationSource | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        require_key: bool = False,
        clock: Callable[[], datetime] = now_kst,
    ):
        if source is None:
            from seoulcast_assets.kma_emulator.synthetic import SyntheticWeather

            source = SyntheticWeather()
        self.hub = ApiHub(source, require_key=require_key, clock=clock)
        self.host = host
        self._requested_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def source(self) -> ObservationSource:
        return self.hub.source

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What a :class:`~seoulcast_assets.kma.client.KmaClient` takes as ``base_url``."""
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    @property
    def control_url(self) -> str:
        return f"http://{self.host}:{self.port}{CONTROL_PREFIX}"

    def bind(self) -> None:
        """Open the listening socket, so that ``base_url`` is known before serving starts."""
        if self._server is None:
            self._server = _Server((self.host, self._requested_port), _Handler)
            self._server.emulator = self

    def start(self) -> KmaEmulator:
        """Serve from a background thread (returns at once)."""
        self.bind()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        self.bind()
        try:
            self._server.serve_forever(poll_interval=0.2)
        finally:
            self._server.server_close()
            self._server = None

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    @contextmanager
    def running(self) -> Iterator[KmaEmulator]:
        """``with KmaEmulator(source).running() as emulator: ... emulator.base_url``."""
        self.start()
        try:
            yield self
        finally:
            self.stop()

    # -- test controls -----------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        """Apply ``fault`` to the next ``fault.times`` matching requests."""
        self.hub.faults.add(fault)

    def clear_faults(self) -> None:
        self.hub.faults.clear()

    def pending_faults(self) -> list[tuple[Fault, int]]:
        """Faults not yet used up, with how many applications each has left."""
        return self.hub.faults.pending()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every KMA request received so far, oldest first."""
        return self.hub.requests

    def request_count(self, endpoint: str | None = None) -> int:
        return sum(1 for request in self.requests if endpoint in (None, request.endpoint))

    def clear_requests(self) -> None:
        self.hub.clear_requests()

    def answer(self, path: str, query: str) -> Answer:
        """What the emulator sends for ``GET path?query``, without going through HTTP."""
        return self.hub.answer(path, query)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    emulator: KmaEmulator

    def handle_error(self, request, client_address) -> None:
        # A client that gave up (timeout) closes its end while a slow reply is being written.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection for a whole backfill
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart
    server: _Server
    server_version = "KmaEmulator/1"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path.startswith(CONTROL_PREFIX):
            self._control("GET", url.path)
            return
        answer = self.server.emulator.answer(url.path, url.query)
        if answer.delay_seconds:
            time.sleep(answer.delay_seconds)
        if answer.disconnect:
            self.close_connection = True
            return
        source = getattr(self.server.emulator.source, "observation_source", None)
        headers = {SOURCE_HEADER: source} if source and answer.status == 200 else {}
        self._send(answer.status, answer.body, answer.content_type, headers)

    def do_POST(self) -> None:
        self._control("POST", urlsplit(self.path).path)

    def do_DELETE(self) -> None:
        self._control("DELETE", urlsplit(self.path).path)

    def _control(self, method: str, path: str) -> None:
        emulator = self.server.emulator
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        route = (method, path[len(CONTROL_PREFIX) :].rstrip("/"))
        try:
            if route == ("POST", "/faults"):
                emulator.inject(Fault.from_json(json.loads(payload or b"{}")))
                result: object = {"pending": len(emulator.pending_faults())}
            elif route == ("GET", "/faults"):
                pending = emulator.pending_faults()
                result = [fault.to_json() | {"remaining": left} for fault, left in pending]
            elif route == ("DELETE", "/faults"):
                emulator.clear_faults()
                result = {"pending": 0}
            elif route == ("GET", "/requests"):
                result = [asdict(request) for request in emulator.requests]
            elif route == ("DELETE", "/requests"):
                emulator.clear_requests()
                result = {"requests": 0}
            elif route == ("GET", "/health"):
                result = {"ok": True, "source": repr(emulator.source)}
            else:
                self._send(404, json.dumps({"error": f"no control {method} {path}"}).encode())
                return
        except (ValueError, TypeError) as error:
            self._send(400, json.dumps({"error": str(error)}).encode(), "application/json")
            return
        self._send(200, json.dumps(result, ensure_ascii=False).encode(), "application/json")

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), redact(format % args))

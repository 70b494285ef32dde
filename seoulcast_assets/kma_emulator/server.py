"""A localhost HTTP server that answers like KMA API Hub's ``typ01`` text endpoints.

It serves ``/api/typ01/url/kma_sfcdd3.php`` and ``/api/typ01/url/kma_pm10.php`` from an
observation source, handing out only what KMA would: daily observations up to yesterday (KST),
PM10 readings up to now, nothing before a series starts and nothing during the Korean War gap.
Only station 108 (Seoul) has data; ``stn=0`` or an empty ``stn`` (all stations) includes it.

Tests drive failures through :meth:`KmaEmulator.inject`, or over HTTP (for an emulator in
another process) through the control endpoints under ``/_emulator/``:

* ``POST /_emulator/faults`` with a JSON :class:`~.faults.Fault`; ``DELETE`` clears them;
* ``GET /_emulator/requests`` lists the KMA requests received (without keys); ``DELETE`` resets.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from seoulcast_assets.kma.coverage import KOREAN_WAR_GAP, PM10_START, TEMPERATURE_START
from seoulcast_assets.kma.endpoints import ASOS_DAILY, ENDPOINTS, SEOUL
from seoulcast_assets.kma.redact import redact
from seoulcast_assets.kma_emulator import render
from seoulcast_assets.kma_emulator.faults import Fault, FaultQueue
from seoulcast_assets.kma_emulator.sources import SLOTS_PER_DAY, ObservationSource
from seoulcast_assets.kst import now_kst

logger = logging.getLogger(__name__)

API_PREFIX = "/api/typ01/url"
CONTROL_PREFIX = "/_emulator"


@dataclass(frozen=True)
class RecordedRequest:
    """One KMA request as the emulator saw it (the key itself is never kept)."""

    endpoint: str
    params: dict[str, str]
    has_key: bool
    status: int  # 0 when the connection was closed without an answer
    fault: str | None


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = render.TEXT_CONTENT_TYPE
    delay_seconds: float = 0.0
    disconnect: bool = False


class BadRequest(ValueError):
    """The request's parameters cannot be served (answered with HTTP 400 and a JSON body)."""


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
        self.source = source
        self.host = host
        self.require_key = require_key
        self._requested_port = port
        self._clock = clock
        self._faults = FaultQueue()
        self._log: list[RecordedRequest] = []
        self._log_lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

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
        self._faults.add(fault)

    def clear_faults(self) -> None:
        self._faults.clear()

    def pending_faults(self) -> list[tuple[Fault, int]]:
        """Faults not yet used up, with how many applications each has left."""
        return self._faults.pending()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._log_lock:
            return list(self._log)

    def request_count(self, endpoint: str | None = None) -> int:
        return sum(1 for request in self.requests if endpoint in (None, request.endpoint))

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    # -- answering ---------------------------------------------------------------------------

    def answer(self, path: str, query: str) -> Answer:
        """What the emulator sends for ``GET path?query`` (also usable without HTTP)."""
        params = {name: values[-1] for name, values in parse_qs(query, True).items()}
        has_key = bool(params.pop("authKey", ""))
        endpoint = path[len(API_PREFIX) + 1 :] if path.startswith(API_PREFIX + "/") else path
        fault = self._faults.take(endpoint) if endpoint in ENDPOINTS else None
        answer = self._answer(endpoint, params, has_key, fault)
        with self._log_lock:
            self._log.append(
                RecordedRequest(endpoint, params, has_key, answer.status, fault and fault.kind)
            )
        return answer

    def _answer(
        self, endpoint: str, params: dict[str, str], has_key: bool, fault: Fault | None
    ) -> Answer:
        if endpoint not in ENDPOINTS or (fault and fault.kind == "not_found"):
            return _json(404, render.INVALID_API_MESSAGE)
        if fault and fault.kind == "not_activated":
            return _json(403, render.NOT_ACTIVATED_MESSAGE)
        if fault and fault.kind == "quota":
            return _json(403, render.QUOTA_MESSAGE)
        if fault and fault.kind == "server_error":
            return Answer(fault.status, render.SERVER_ERROR_BODY.encode(), "text/html")
        if fault and fault.kind == "disconnect":
            return Answer(0, b"", disconnect=True)
        if self.require_key and not has_key:
            return _json(403, render.MISSING_KEY_MESSAGE)
        try:
            text = self._asos(params) if endpoint == ASOS_DAILY else self._pm10(params)
        except BadRequest as error:
            return _json(400, str(error))
        if fault and fault.kind == "malformed":
            text = _break_first_row(text)
        body = text.encode(render.ENCODING)
        if fault and fault.kind == "truncated":
            body = body[: min(len(body) * 2 // 3, len(body) - len(render.END_MARKER) - 2)]
        delay = fault.delay_seconds if fault and fault.kind == "slow" else 0.0
        return Answer(200, body, delay_seconds=delay)

    def _asos(self, params: dict[str, str]) -> str:
        first, last = _requested_days(params)
        yesterday = self._clock().date() - timedelta(days=1)
        first, last = max(first, TEMPERATURE_START), min(last, yesterday)
        days = self.source.asos_days(first, last) if first <= last else None
        if days is None or not _serves_station(params):
            days = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]")})
        gap = days["date"].between(pd.Timestamp(KOREAN_WAR_GAP[0]), pd.Timestamp(KOREAN_WAR_GAP[1]))
        return render.asos_reply(
            days.loc[~gap],
            SEOUL,
            help=params.get("help") == "1",
            comma=params.get("disp") == "0",
        )

    def _pm10(self, params: dict[str, str]) -> str:
        first, last = (_minute(params, name) for name in ("tm1", "tm2"))
        if last < first:
            raise BadRequest(f"tm2 {params['tm2']} is before tm1 {params['tm1']}")
        now = self._clock().replace(tzinfo=None)
        first = max(first, datetime.combine(PM10_START, datetime.min.time()))
        last = min(last, now)
        served = []
        day = first.date()
        while _serves_station(params) and day <= last.date():
            readings = self.source.pm10_day(day)
            if readings is not None:
                first_slot = -(-(first.hour * 60 + first.minute) // 5) if day == first.date() else 0
                last_slot = (
                    (last.hour * 60 + last.minute) // 5 if day == last.date() else SLOTS_PER_DAY - 1
                )
                served.append((day, render.slots_between(readings, first_slot, last_slot)))
            day += timedelta(days=1)
        return render.pm10_reply(served, SEOUL)


def _json(status: int, message: str) -> Answer:
    return Answer(status, render.json_error(status, message), render.JSON_CONTENT_TYPE)


def _requested_days(params: dict[str, str]) -> tuple[date, date]:
    first, last = (_day(params, name) for name in ("tm1", "tm2"))
    if last < first:
        raise BadRequest(f"tm2 {params['tm2']} is before tm1 {params['tm1']}")
    return first, last


def _day(params: dict[str, str], name: str) -> date:
    """``YYYYMMDD`` (``YYYYMMDDHHMI`` is accepted too, as KMA's documentation allows)."""
    value = params.get(name, "")
    try:
        if len(value) not in (8, 12) or not value.isdigit():
            raise ValueError
        return datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        raise BadRequest(f"{name} must be a date YYYYMMDD, got {value!r}") from None


def _minute(params: dict[str, str], name: str) -> datetime:
    value = params.get(name, "")
    try:
        if len(value) != 12 or not value.isdigit():
            raise ValueError
        return datetime.strptime(value, "%Y%m%d%H%M")
    except ValueError:
        raise BadRequest(f"{name} must be a time YYYYMMDDHHMI, got {value!r}") from None


def _serves_station(params: dict[str, str]) -> bool:
    stations = params.get("stn", "").split(":")
    return any(station in ("", "0", str(SEOUL)) for station in stations)


def _break_first_row(text: str) -> str:
    """The reply with its first data row cut in half (or a garbage row when there is none)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line and not line.startswith("#"):
            lines[index] = line[: len(line) // 2]
            return "\n".join(lines)
    lines.insert(len(lines) - 2, "this is not a data row")
    return "\n".join(lines)


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
        self._send(answer.status, answer.body, answer.content_type)

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

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), redact(format % args))

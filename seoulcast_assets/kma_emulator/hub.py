"""The emulated KMA API Hub: what it answers to a request, without any HTTP.

It serves ``kma_sfcdd3.php`` and ``kma_pm10.php`` from an observation source, handing out only
what KMA would: daily observations up to yesterday (KST), PM10 readings up to now, nothing
before a series starts and nothing during the Korean War gap. Only station 108 (Seoul) has data;
``stn=0`` or an empty ``stn`` (all stations) includes it. Injected faults replace or spoil the
answer; every request is recorded (without its key) so tests can count them.

Requests KMA's documentation says nothing about get the emulator's own clear answer: a bad or
missing ``tm1``/``tm2`` is HTTP 400 with a JSON ``result`` naming the parameter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs

import pandas as pd

from seoulcast_assets.kma.coverage import KOREAN_WAR_GAP, PM10_START, TEMPERATURE_START
from seoulcast_assets.kma.endpoints import ASOS_DAILY, ENDPOINTS, SEOUL
from seoulcast_assets.kma_emulator import render
from seoulcast_assets.kma_emulator.faults import Fault, FaultQueue
from seoulcast_assets.kma_emulator.sources import SLOTS_PER_DAY, ObservationSource

API_PREFIX = "/api/typ01/url"


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
    """What to send back; the HTTP server waits ``delay_seconds`` first, or just hangs up."""

    status: int
    body: bytes
    content_type: str = render.TEXT_CONTENT_TYPE
    delay_seconds: float = 0.0
    disconnect: bool = False


class BadRequest(ValueError):
    """The request's parameters cannot be served (answered with HTTP 400 and a JSON body)."""


class ApiHub:
    """Answers ``GET /api/typ01/url/<endpoint>?...`` like KMA, from ``source``.

    ``require_key`` refuses requests without ``authKey`` (403 JSON); ``clock`` gives the
    current KST time, which decides what "yesterday" and "now" are.
    """

    def __init__(
        self,
        source: ObservationSource,
        *,
        require_key: bool,
        clock: Callable[[], datetime],
    ):
        self.source = source
        self.require_key = require_key
        self.faults = FaultQueue()
        self._clock = clock
        self._log: list[RecordedRequest] = []
        self._log_lock = threading.Lock()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def answer(self, path: str, query: str) -> Answer:
        """What the emulator sends for ``GET path?query`` (also usable without HTTP)."""
        params = {name: values[-1] for name, values in parse_qs(query, True).items()}
        has_key = bool(params.pop("authKey", ""))
        endpoint = path[len(API_PREFIX) + 1 :] if path.startswith(API_PREFIX + "/") else path
        fault = self.faults.take(endpoint) if endpoint in ENDPOINTS else None
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

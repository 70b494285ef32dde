"""Fetch observations from KMA API Hub (or anything speaking its format, like the emulator).

A span of days is asked for one calendar month at a time, one request per month and endpoint:
small enough for any period limit KMA may have, and a failed month is retried on its own.
Transient failures (timeouts, broken connections, HTTP 5xx, bodies cut before ``#7777END``) are
retried with exponential backoff; KMA's refusals (403 "활용신청", quota, 404) are not, since
repeating them only spends quota.

The API key is the caller's (the app reads ``KMA_API_KEY``). It is sent as ``authKey`` and
nowhere else: no log line, exception message or chain, ``repr`` or stored reply contains it.
``requests`` exceptions quote the full URL, so they are never chained or quoted unredacted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from urllib.parse import quote_plus

import requests

from seoulcast_assets.config import KMA_API_HUB_URL
from seoulcast_assets.kma.endpoints import (
    ASOS_DAILY,
    PM10,
    SEOUL,
    asos_daily_params,
    pm10_params,
)
from seoulcast_assets.kma.errors import (
    KmaConnectionFailed,
    KmaError,
    KmaTimeout,
    KmaTransientError,
    KmaUnavailable,
    shorten,
)
from seoulcast_assets.kma.framing import check_reply
from seoulcast_assets.kma.reply import OBSERVATION_SOURCES, SOURCE_HEADER, KmaReply
from seoulcast_assets.secrets import REDACTED, redact, register_secret

__all__ = ["KmaClient", "KmaReply", "month_chunks"]

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300.0
_PARAMS = {ASOS_DAILY: asos_daily_params, PM10: pm10_params}


def month_chunks(start: date, end: date) -> list[tuple[date, date]]:
    """``start``..``end`` cut at month boundaries.

    ``2024-01-15..2024-03-10`` gives ``(01-15, 01-31), (02-01, 02-29), (03-01, 03-10)``.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    chunks = []
    first = start
    while first <= end:
        next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(end, next_month - timedelta(days=1))
        chunks.append((first, last))
        first = next_month
    return chunks


class KmaClient:
    """Client for ``kma_sfcdd3.php`` (daily ASOS) and ``kma_pm10.php`` (5-minute PM10).

    ``base_url`` is the ``typ01`` folder, e.g. ``https://apihub.kma.go.kr/api/typ01/url`` or an
    emulator's ``base_url``. ``timeout`` (seconds) bounds connecting and each wait for data;
    a request is tried at most ``max_attempts`` times, waiting ``backoff_seconds`` × 1, 2, 4 …
    in between (through ``sleep``, replaceable in tests).
    """

    def __init__(
        self,
        base_url: str = KMA_API_HUB_URL,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        max_attempts: int = 4,
        backoff_seconds: float = 2.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.requests_sent = 0
        self._api_key = api_key or None
        self._secret_forms: tuple[bytes, ...] = ()
        if self._api_key:
            register_secret(self._api_key)
            register_secret(quote_plus(self._api_key))
            forms = {self._api_key, quote_plus(self._api_key)}
            self._secret_forms = tuple(form.encode() for form in forms)
        self._owns_session = session is None
        self._session = session or requests.Session()
        self._sleep = sleep

    def __repr__(self) -> str:
        key = "set" if self._api_key else "none"
        return f"KmaClient({self.base_url!r}, api_key=<{key}>, timeout={self.timeout})"

    def __enter__(self) -> KmaClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def asos_daily(self, start: date, end: date, station: int = SEOUL) -> list[KmaReply]:
        """Daily ASOS replies covering ``start``..``end``, one per calendar month."""
        return list(self.iter_asos_daily(start, end, station))

    def pm10(self, start: date, end: date, station: int = SEOUL) -> list[KmaReply]:
        """5-minute PM10 replies covering ``start``..``end``, one per calendar month."""
        return list(self.iter_pm10(start, end, station))

    def iter_asos_daily(self, start: date, end: date, station: int = SEOUL) -> Iterator[KmaReply]:
        """Like :meth:`asos_daily`, fetching each month only when the previous one is consumed."""
        for first, last in month_chunks(start, end):
            yield self.fetch(ASOS_DAILY, first, last, station)

    def iter_pm10(self, start: date, end: date, station: int = SEOUL) -> Iterator[KmaReply]:
        for first, last in month_chunks(start, end):
            yield self.fetch(PM10, first, last, station)

    def fetch(self, endpoint: str, start: date, end: date, station: int = SEOUL) -> KmaReply:
        """One request for ``start``..``end`` (any length), retried while failures are transient."""
        params = _PARAMS[endpoint](start, end, station)
        what = f"{endpoint} {start}..{end} station {station}"
        last_error: KmaTransientError | None = None
        for attempt in range(1, self.max_attempts + 1):
            if last_error is not None:
                delay = min(self.backoff_seconds * 2 ** (attempt - 2), MAX_BACKOFF_SECONDS)
                logger.warning(
                    "%s: %s; retrying in %.1f s (attempt %d of %d)",
                    what,
                    last_error,
                    delay,
                    attempt,
                    self.max_attempts,
                )
                self._sleep(delay)
            try:
                body, text, source = self._get(endpoint, params, what)
                return KmaReply(endpoint, station, start, end, body, text, source)
            except KmaTransientError as error:
                last_error = error
        assert last_error is not None
        raise KmaUnavailable(what, self.max_attempts, last_error) from last_error

    def _get(self, endpoint: str, params: dict[str, str], what: str) -> tuple[bytes, str, str]:
        """Body, text and observation source of one good reply; raises a :class:`KmaError`,
        never a requests error."""
        if self._api_key:
            params = {**params, "authKey": self._api_key}
        logger.debug("GET %s %s", endpoint, {k: v for k, v in params.items() if k != "authKey"})
        self.requests_sent += 1
        failure: KmaError | None = None
        try:
            response = self._session.get(
                f"{self.base_url}/{endpoint}", params=params, timeout=self.timeout
            )
            status, body = response.status_code, response.content
            source = _observation_source(response.headers.get(SOURCE_HEADER))
        # Build our own errors and raise them after the except block, so that neither
        # __cause__ nor __context__ links to the requests exception (its text holds the URL).
        except requests.Timeout as error:
            failure = KmaTimeout(f"{what}: no reply within {self.timeout} s ({_describe(error)})")
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            failure = KmaConnectionFailed(f"{what}: connection failed ({_describe(error)})")
        except requests.RequestException as error:
            failure = KmaError(f"{what}: request could not be sent ({_describe(error)})")
        if failure is not None:
            raise failure
        body = self._without_key(body, what)
        text = check_reply(status, body)
        logger.debug("%s: HTTP %d, %d bytes", what, status, len(body))
        return body, text, source

    def _without_key(self, body: bytes, what: str) -> bytes:
        """The body with any echo of the API key blanked out, since replies get stored."""
        for form in self._secret_forms:
            if form in body:
                logger.warning("%s: the reply contained the API key; it was blanked out", what)
                body = body.replace(form, REDACTED.encode())
        return body


def _observation_source(header: str | None) -> str:
    """``kma`` unless the server names one of the known sources."""
    return header if header in OBSERVATION_SOURCES else "kma"


def _describe(error: requests.RequestException) -> str:
    return shorten(f"{type(error).__name__}: {redact(str(error))}", 300)

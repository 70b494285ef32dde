"""What can go wrong when asking KMA for observations, as exception types.

Every message is built here from values that hold no secret: never from a ``requests``
exception (its text holds the full URL, API key included), and no exception is chained to one.
"""

from __future__ import annotations

MAX_QUOTED_LINE = 120


def shorten(text: str, limit: int = MAX_QUOTED_LINE) -> str:
    """``text`` cut to ``limit`` characters, so one bad line cannot flood a log."""
    text = text.replace("\r", "")
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


class KmaError(Exception):
    """Base class: KMA did not deliver a usable reply."""


class KmaApiError(KmaError):
    """KMA answered with an error (HTTP status other than 200, or a JSON ``result`` body)."""

    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message
        super().__init__(f"KMA API error {status}: {message}")


class KmaNotActivated(KmaApiError):
    """The key is valid but this API was not applied for (활용신청) on API Hub."""


class KmaQuotaExceeded(KmaApiError):
    """The daily call or volume quota (호출/용량) of the key is used up."""


class KmaInvalidApi(KmaApiError):
    """No such API (404, 유효하지 않은 API): a wrong base URL or endpoint name."""


class KmaTransientError(KmaError):
    """A failure that may go away when the request is repeated."""


class KmaServerError(KmaTransientError):
    """KMA answered with an HTTP 5xx status."""

    def __init__(self, status: int):
        self.status = status
        super().__init__(f"KMA server error: HTTP {status}")


class KmaTimeout(KmaTransientError):
    """No reply within the client's timeout."""


class KmaConnectionFailed(KmaTransientError):
    """The connection to KMA could not be made or broke off."""


class KmaTruncatedReply(KmaTransientError):
    """The reply ends before ``#7777END``: KMA cut the body short (seen with HTTP 200)."""


class KmaMalformedReply(KmaError):
    """The reply is not in KMA's format; names the (1-based) line and quotes it shortened."""

    def __init__(self, reason: str, line_number: int | None = None, line: str | None = None):
        self.reason = reason
        self.line_number = line_number
        self.line = line
        where = f" at line {line_number}" if line_number is not None else ""
        quoted = f": {shorten(line)!r}" if line is not None else ""
        super().__init__(f"malformed KMA reply{where}: {reason}{quoted}")


class KmaUnavailable(KmaError):
    """Every attempt failed with a transient error; ``last_error`` is the final one."""

    def __init__(self, what: str, attempts: int, last_error: KmaError):
        self.attempts = attempts
        self.last_error = last_error
        super().__init__(f"{what}: no usable reply after {attempts} attempts; last: {last_error}")

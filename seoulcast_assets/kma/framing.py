"""Recognise a KMA ``typ01`` text reply, or the error KMA sent instead (reference §0, §1.6).

A good reply is EUC-KR text whose data sits between a ``#START7777`` line and a ``#7777END``
line. Anything else is an error: an HTTP status other than 200, a JSON body with
``result.status`` (UTF-8, e.g. 403 "활용신청이 필요한 API 입니다."), a body without
``#START7777``, or one that stops before ``#7777END`` (KMA has been seen cutting large bodies
short while still answering 200).
"""

from __future__ import annotations

import json
import re

from seoulcast_assets.kma.errors import (
    KmaApiError,
    KmaInvalidApi,
    KmaMalformedReply,
    KmaNotActivated,
    KmaQuotaExceeded,
    KmaServerError,
    KmaTruncatedReply,
    shorten,
)

START_MARKER = "#START7777"
END_MARKER = "#7777END"
ENCODING = "cp949"  # EUC-KR as KMA sends it; cp949 is the superset Windows and KMA both use

INVALID_API_TEXT = "유효하지 않은 API"
NOT_ACTIVATED_TEXT = "활용신청"
QUOTA_TEXTS = ("용량", "호출")


def reply_lines(text: str) -> list[str]:
    """The lines of a reply, numbered from 1 by their list index + 1."""
    return text.replace("\r\n", "\n").split("\n")


def is_data_line(line: str) -> bool:
    """Data lines are the lines that are neither blank nor start with ``#``."""
    return bool(line) and line[0] != "#" and not line.isspace()


def reply_text(reply: str | bytes) -> str:
    """A reply as text: bytes (as received or stored) are decoded from EUC-KR."""
    return decode_reply(reply) if isinstance(reply, bytes) else reply


def decode_reply(body: bytes) -> str:
    """Decode an EUC-KR body; a byte sequence that is not EUC-KR names its line."""
    try:
        return body.decode(ENCODING)
    except UnicodeDecodeError as error:
        line_number = body.count(b"\n", 0, error.start) + 1
        line = body.split(b"\n")[line_number - 1]
        raise KmaMalformedReply(
            "not EUC-KR text", line_number, line.decode(ENCODING, errors="replace")
        ) from None


def check_framing(text: str) -> None:
    """Raise unless ``text`` has a ``#START7777`` line before any data and a ``#7777END`` line
    after it: :class:`KmaTruncatedReply` or :class:`KmaMalformedReply`."""
    data_section(text)


def data_section(text: str) -> tuple[str, int]:
    """The part of a well-framed reply from its first data line up to ``#7777END``, and the
    1-based line number where that part starts. Comment lines after the first data line and
    blank lines are kept, so callers still skip them. Works on the text without splitting
    it into lines, which matters for a month of 5-minute readings."""
    start = _START_LINE.search(text)
    if start is None:
        if not text.strip():
            raise KmaTruncatedReply("empty reply body")
        first_data = _first_data_line(text, 1)
        raise KmaMalformedReply(f"no {START_MARKER} line", *(first_data or (1, text[:80])))
    data_before = _first_data_line(text[: start.start()], 1)
    if data_before is not None:
        raise KmaMalformedReply(f"data before {START_MARKER}", *data_before)
    end = _end_line(text, start.end())
    if end is None:
        lines = text.count("\n") + 1
        raise KmaTruncatedReply(f"reply ends before {END_MARKER} ({lines} lines received)")
    position = _after_line(text, start.end())
    line_number = text.count("\n", 0, position) + 1
    # Skip the header: comment lines and blank lines right after #START7777.
    while position < end:
        line_end = _after_line(text, position)
        line = text[position:line_end]
        if not (line.startswith("#") or line.isspace() or not line):
            break
        position = line_end
        line_number += 1
    return text[position:end], line_number


_START_LINE = re.compile(rf"^[ \t]*{START_MARKER}[ \t]*\r?$", re.MULTILINE)


def _end_line(text: str, after: int) -> int | None:
    """Where the last ``#7777END`` line after ``after`` starts, searching from the end."""
    before = len(text)
    while (found := text.rfind(END_MARKER, after, before)) != -1:
        line_start = text.rfind("\n", 0, found) + 1
        if text[line_start : _after_line(text, found)].strip() == END_MARKER:
            return line_start
        before = found
    return None


def _after_line(text: str, position: int) -> int:
    """The position just after the line containing ``position`` (after its newline)."""
    newline = text.find("\n", position)
    return len(text) if newline == -1 else newline + 1


def _first_data_line(text: str, first_number: int) -> tuple[int, str] | None:
    for number, line in enumerate(reply_lines(text), start=first_number):
        if line.strip() and not line.lstrip().startswith("#"):
            return number, line
    return None


def api_error(status: int, body: bytes) -> KmaApiError | None:
    """The error KMA reports in a JSON ``{"result": {"status", "message"}}`` body or a 404."""
    reported = _json_result(body)
    if reported is not None:
        status = reported[0] or status
        message = reported[1]
    elif status == 404:
        message = _plain_text(body) or INVALID_API_TEXT
    else:
        return None
    if INVALID_API_TEXT in message or status == 404:
        return KmaInvalidApi(status, message)
    if NOT_ACTIVATED_TEXT in message:
        return KmaNotActivated(status, message)
    if any(text in message for text in QUOTA_TEXTS):
        return KmaQuotaExceeded(status, message)
    return KmaApiError(status, message)


def check_reply(status: int, body: bytes) -> str:
    """The decoded text of a good reply; otherwise raise the matching :class:`KmaError`."""
    error = api_error(status, body)
    if error is not None:
        raise error
    if status >= 500:
        raise KmaServerError(status)
    if status != 200:
        raise KmaApiError(status, _plain_text(body) or "no message")
    text = decode_reply(body)
    check_framing(text)
    return text


def _json_result(body: bytes) -> tuple[int | None, str] | None:
    stripped = body.strip()
    if not stripped.startswith(b"{"):
        return None
    try:
        document = json.loads(stripped.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    result = document.get("result") if isinstance(document, dict) else None
    if not isinstance(result, dict) or "status" not in result:
        return None
    try:
        status = int(result["status"])
    except (TypeError, ValueError):
        status = None
    return status, shorten(str(result.get("message", "")).strip(), 300)


def _plain_text(body: bytes) -> str:
    for encoding in ("utf-8", ENCODING):
        try:
            return shorten(body.decode(encoding).strip(), 300)
        except UnicodeDecodeError:
            continue
    return shorten(body.decode("latin-1").strip(), 300)

"""Keep every configured secret out of logs and messages: one mechanism for all of them.

The secrets are whatever the environment holds under :data:`SECRET_VARIABLES` (the KMA key,
the Slack token, AWS keys, passwords of the production stack), plus values registered with
:func:`register_secret`, plus anything that looks like one wherever it appears: an ``authKey=``
query parameter (the KMA key travels in the URL, which urllib3 logs and ``requests`` quotes),
a Slack token (``xoxb-…``), a ``Bearer`` credential (Slack's error replies can echo the
``Authorization`` header).

:func:`install_log_redaction` puts :func:`redact` into Python's log-record factory, so every log
record made in the process — SeoulCast's, Dagster's run logs, urllib3's, botocore's, slack_sdk's
— carries the redacted message before any handler or the Dagster event log sees it. Text that
leaves by another way (Slack messages, error descriptions) goes through :func:`redact` itself.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from urllib.parse import quote, quote_plus

REDACTED = "***"

SECRET_VARIABLES = (
    "KMA_API_KEY",
    "SLACK_BOT_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "MLFLOW_TRACKING_PASSWORD",
    "POSTGRES_PASSWORD",
    "MINIO_ROOT_PASSWORD",
)
"""Environment variables whose values are secrets wherever they turn up."""

MIN_SECRET_LENGTH = 6
"""Shorter values are not treated as secrets (replacing "x" everywhere would garble logs)."""

_PATTERNS = (
    (re.compile(r"(authKey=)[^&\s'\"<>)]*", re.IGNORECASE), rf"\g<1>{REDACTED}"),
    (re.compile(r"\bxox[abposre]-[A-Za-z0-9-]+"), REDACTED),
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE), rf"\g<1>{REDACTED}"),
)

_registered: set[str] = set()
_lock = threading.Lock()


def register_secret(secret: str | None) -> None:
    """Also redact this exact value (and its URL-encoded forms) wherever it appears."""
    if secret and len(secret) >= MIN_SECRET_LENGTH:
        with _lock:
            _registered.update({secret, quote(secret, safe=""), quote_plus(secret)})


def configured_secrets() -> set[str]:
    """The registered secrets and the current values of :data:`SECRET_VARIABLES`."""
    found = set(_registered)
    for name in SECRET_VARIABLES:
        value = os.environ.get(name)
        if value and len(value) >= MIN_SECRET_LENGTH:
            found.update({value, quote(value, safe=""), quote_plus(value)})
    return found


def redact(text: str) -> str:
    """``text`` with every secret, and everything shaped like one, replaced by ``***``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    for secret in sorted(configured_secrets(), key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


_TRACEBACK_FORMATTER = logging.Formatter()
_installed = False


def _redacted_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string is the caller's problem, not a leak
        return record
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and not record.exc_text:
        # formatters reuse exc_text once set, so the traceback is printed redacted
        record.exc_text = redact(_TRACEBACK_FORMATTER.formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install_log_redaction() -> None:
    """Redact every log record this process makes from now on (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        make_record = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:
            return _redacted_record(make_record(*args, **kwargs))

        logging.setLogRecordFactory(factory)
        _installed = True

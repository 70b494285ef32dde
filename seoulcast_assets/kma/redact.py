"""Keep the KMA API key out of logs and messages.

The key travels in the query string (``authKey=...``), so anything that prints a request URL
would print the key: urllib3 logs every request line at DEBUG, and ``requests`` exceptions quote
the URL. :func:`install_log_redaction` puts a filter on those loggers that rewrites such records
before any handler sees them; :func:`redact` cleans text we build ourselves.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote

REDACTED = "***"

# authKey=<value> in a URL or a message, whatever the case of the parameter name.
_AUTH_KEY_PARAM = re.compile(r"(authKey=)[^&\s'\"<>)]*", re.IGNORECASE)

# Loggers that print request URLs. A filter only sees records logged to its own logger (not those
# propagated from children), so each one is listed.
URL_LOGGERS = (
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.util.retry",
    "requests",
    "seoulcast_assets.kma",
    "seoulcast_assets.kma.client",
)

_known_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(secret: str) -> None:
    """Also redact this exact value (and its URL-encoded form) wherever it appears."""
    if secret:
        with _lock:
            _known_secrets.update({secret, quote(secret, safe="")})


def redact(text: str) -> str:
    """``text`` with every ``authKey=`` value and every registered secret replaced by ``***``."""
    text = _AUTH_KEY_PARAM.sub(rf"\g<1>{REDACTED}", text)
    for secret in sorted(_known_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


class RedactSecretsFilter(logging.Filter):
    """Rewrites a log record's message with :func:`redact`; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the caller's problem, not a leak
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text once set, so the traceback is printed redacted.
            record.exc_text = redact(_TRACEBACK_FORMATTER.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_TRACEBACK_FORMATTER = logging.Formatter()
_FILTER = RedactSecretsFilter()


def install_log_redaction() -> None:
    """Attach the redacting filter to every logger that prints request URLs (idempotent)."""
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)

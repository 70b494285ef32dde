"""Choosing a Content-Encoding for a reply compressed ahead of time.

The page's scripts and styles are compressed by the build (web/assets.py): their route skips
the compression middleware and only picks the copy the client accepts. Everything else is
compressed by the middleware (app.py). The hot forecast route keeps the middleware too: reading
the request's headers in its handler would cost it Litestar's no-parameter fast path, about
three times what the middleware's check costs (measured in-process).
"""

from __future__ import annotations

from collections.abc import Mapping

# The ``opt`` key of handlers whose replies are compressed already: the compression middleware
# leaves them alone (app.py).
PRECOMPRESSED = "precompressed"

# Content-Encoding tokens, smallest result first.
PREFERRED = ("br", "gzip")


def accepted_encodings(header: str) -> set[str]:
    """The codings an ``Accept-Encoding`` header allows (q=0 excludes one)."""
    accepted = set()
    for part in header.split(","):
        coding, _, parameters = part.strip().partition(";")
        quality = parameters.strip().removeprefix("q=")
        try:
            refused = bool(parameters) and float(quality) == 0
        except ValueError:
            refused = False
        if coding and not refused:
            accepted.add(coding.strip().lower())
    return accepted


def choose_encoding(header: str, available: Mapping[str, object] | set[str]) -> str:
    """The first of PREFERRED that the client accepts and is ``available``, else identity."""
    if not header:
        return "identity"
    accepted = accepted_encodings(header)
    return next(
        (coding for coding in PREFERRED if coding in accepted and coding in available), "identity"
    )

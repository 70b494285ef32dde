"""Replies that say how fresh their data is.

A reply built from a copy the API could not confirm with the store (because the store was down)
carries ``X-SeoulCast-Stale: <when the copy was last confirmed, ISO 8601 UTC>``.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from litestar import MediaType, Response
from litestar.datastructures import ResponseHeader

from seoulcast_api.cache import Cached

STALE_HEADER = "X-SeoulCast-Stale"

STALE_HEADER_DOC = ResponseHeader(
    name=STALE_HEADER,
    description="Present only when the object store was unreachable and the reply was built "
    "from the last good cached copy; the value is when that copy was last confirmed "
    "(ISO 8601, UTC).",
    documentation_only=True,
    required=False,
)


def stale_headers(read: Cached[Any]) -> dict[str, str] | None:
    if not read.stale:
        return None
    return {STALE_HEADER: read.verified_at.astimezone(UTC).isoformat(timespec="seconds")}


def fresh_or_stale(content: Any, read: Cached[Any], status_code: int = 200) -> Response[Any]:
    """``content`` as JSON, with the stale header when ``read`` came from a stale copy."""
    return Response(
        content, status_code=status_code, media_type=MediaType.JSON, headers=stale_headers(read)
    )

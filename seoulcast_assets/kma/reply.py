"""One KMA reply as received, and its cut into single-day replies for storage.

The raw layer keeps each day's reply "as received". KMA is asked for a month at a time, so a
month's reply is cut into days: each day gets the reply's header lines, that day's data lines
byte for byte (possibly none), and ``#7777END``. Every such slice is itself a complete reply
that the parsers read back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from seoulcast_assets.kma.errors import KmaMalformedReply
from seoulcast_assets.kma.framing import END_MARKER, check_framing, decode_reply

SOURCE_HEADER = "X-SeoulCast-Source"
"""HTTP header by which a KMA-compatible server (SeoulCast's emulator) says what it serves.
KMA itself sends none, so its replies are ``kma``."""
OBSERVATION_SOURCES = ("kma", "emulator-synthetic", "emulator-observed", "portal-import")


@dataclass(frozen=True, repr=False)
class KmaReply:
    """The body KMA sent for one request (``start``..``end`` are the days asked for, KST)."""

    endpoint: str
    station: int
    start: date
    end: date
    body: bytes
    text: str = field(default=None, compare=False)  # type: ignore[assignment]
    source: str = field(default="kma", compare=False)
    """Where the observations come from: ``kma`` (KMA API Hub), or what a KMA-compatible
    server says it serves (``emulator-synthetic``, ``emulator-observed``; see
    :data:`SOURCE_HEADER`)."""

    def __post_init__(self) -> None:
        if self.text is None:  # callers that already decoded the body pass the text along
            object.__setattr__(self, "text", decode_reply(self.body))

    def __repr__(self) -> str:
        return (
            f"KmaReply(endpoint={self.endpoint!r}, station={self.station}, "
            f"start={self.start}, end={self.end}, bytes={len(self.body)})"
        )

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def split_reply_by_day(reply: KmaReply) -> dict[date, bytes]:
    """A complete single-day reply (EUC-KR bytes) for every day ``reply`` was asked for.

    Comment lines after the first data line stay with the day of the data line before them. A
    data line that does not start with a date in the requested range is malformed.
    """
    check_framing(reply.text)
    by_stamp = {f"{day:%Y%m%d}".encode(): day for day in reply.days}
    lines_of_day: dict[date, list[bytes]] = {day: [] for day in reply.days}
    header: list[bytes] = []
    trailer = END_MARKER.encode() + b"\n"
    current: list[bytes] = header
    end_marker = END_MARKER.encode()
    for number, line in enumerate(reply.body.splitlines(keepends=True), start=1):
        content = line.strip()
        if not content:
            continue
        if content == end_marker:
            trailer = line
            break
        if content.startswith(b"#"):
            current.append(line)
            continue
        day = by_stamp.get(content[:8])
        if day is None:
            reason = f"data line is not for a day in {reply.start}..{reply.end}"
            raise KmaMalformedReply(reason, number, line.decode("cp949", errors="replace"))
        current = lines_of_day[day]
        current.append(line)
    head = b"".join(header)
    return {day: head + b"".join(lines) + trailer for day, lines in lines_of_day.items()}

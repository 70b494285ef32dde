"""Where a cleaned day's observations come from: the ``source`` column of the cleaned table.

``kma`` (KMA API Hub), ``emulator-synthetic``, ``emulator-observed`` (the built-in emulator)
or ``portal-import`` (a data-portal export loaded with ``seoulcast import-portal``); empty on a
day without an ASOS row. Collections since the source was recorded, and portal imports, write
it in the raw day's ``source`` column. A raw day written before that has no such column: it is
``portal-import`` when its ``.txt`` is a data-portal export (its first line a portal header, not
KMA's ``#START7777``), else ``kma``; only those days' ``.txt`` are read.
"""

from __future__ import annotations

from seoulcast_assets.kma.portal import PORTAL_ENCODING
from seoulcast_assets.kma.portal_columns import PORTAL_COLUMNS
from seoulcast_assets.kma.reply import OBSERVATION_SOURCES

KMA, PORTAL_IMPORT = "kma", "portal-import"
# kma, emulator-synthetic, emulator-observed, portal-import
SOURCES: tuple[str, ...] = OBSERVATION_SOURCES


def is_portal_export(reply: bytes) -> bool:
    """True when a raw ``.txt`` holds data-portal lines (its first line a portal header)."""
    first = reply.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        cells = [cell.strip() for cell in first.decode(PORTAL_ENCODING).split(",")]
    except UnicodeDecodeError:
        return False
    return all(cell in PORTAL_COLUMNS for cell in cells)


def unrecorded_source(reply: bytes | None) -> str:
    """The source of a raw day written without a ``source`` column, from its ``.txt``."""
    return PORTAL_IMPORT if reply is not None and is_portal_export(reply) else KMA

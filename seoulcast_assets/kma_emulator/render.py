"""KMA's text replies, byte for byte as far as the reference knows them.

ASOS daily (``kma_sfcdd3``): ``#START7777``, with ``help=1`` the numbered field list exactly as
KMA prints it (``asos_help.txt``, copied from a real reply), otherwise only the three column
header lines; then one row per day with 56 fields, and ``#7777END``. Rows are fixed-width and
space-separated (KMA's layout when ``disp`` is not given), or comma-separated with a trailing
comma for ``disp=0``. Missing values use KMA's sentinels: -99.0 for temperature-type fields,
-9 / -9.0 / -9.00 (the field's usual decimals) elsewhere; times of day are printed unpadded.

PM10 (``kma_pm10``): rows like ``202607011800,   108,   39,000000,,=``. KMA's header lines for
this endpoint are not known; the emulator prints one line naming the columns.

Error bodies are UTF-8 JSON ``{"result":{"status":...,"message":...}}``.
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import numpy as np
import pandas as pd

from seoulcast_assets.kma.columns import ASOS_COLUMNS, ASOS_TEMPERATURE_COLUMNS
from seoulcast_assets.kma.framing import END_MARKER, START_MARKER
from seoulcast_assets.kma_emulator.sources import SLOTS_PER_DAY, Pm10Day

ENCODING = "euc_kr"
TEXT_CONTENT_TYPE = "text/plain; charset=EUC-KR"
JSON_CONTENT_TYPE = "application/json; charset=UTF-8"

NOT_ACTIVATED_MESSAGE = "활용신청이 필요한 API 입니다."
QUOTA_MESSAGE = "일일 최대 호출 용량 제한으로 사용할 수 없습니다."
INVALID_API_MESSAGE = "유효하지 않은 API 입니다."
# No verbatim KMA text is known for these two; they are the emulator's own.
MISSING_KEY_MESSAGE = "인증키(authKey)가 없거나 유효하지 않습니다."
SERVER_ERROR_BODY = "<html><body><h1>503 Service Unavailable</h1></body></html>\n"

ASOS_HELP = resources.files(__package__).joinpath("asos_help.txt").read_text("utf-8")
ASOS_HEADER = "".join(ASOS_HELP.splitlines(keepends=True)[-3:])  # names, sub-names, units
PM10_HEADER = "#  YYMMDDHHMI    STN  PM10   FLAG MQC\n"

# Per field: width in the fixed-width layout (separator included) and decimals, both read off
# KMA's sample rows (reference §1.3).
_WIDTHS = (
    8, 4, 5, 6, 4, 5, 5, 4, 5, 5, 6, 6, 5, 6, 5, 6, 6, 6, 6, 6, 5, 6, 6, 6, 6, 7, 7, 7,
    5, 7, 5, 5, 5, 5, 5, 6, 6, 5, 7, 7, 6, 7, 5, 7, 5, 7, 5, 7, 5, 7, 5, 6, 6, 6, 6, 6,
)  # fmt: skip
_DECIMALS = (
    0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 2, 1, 1, 1,
    0, 1, 0, 1, 1, 1, 1, 2, 2, 0, 1, 1, 2, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1,
)  # fmt: skip
_SENTINELS = tuple(
    f"{-99 if name in ASOS_TEMPERATURE_COLUMNS else -9:.{decimals}f}"
    for name, decimals in zip(ASOS_COLUMNS, _DECIMALS, strict=True)
)
_POSITIONS = {name: position for position, name in enumerate(ASOS_COLUMNS) if position >= 2}
_SLOT_TIMES = tuple(f"{slot // 12:02d}{slot % 12 * 5:02d}" for slot in range(SLOTS_PER_DAY))
_PM10_TAIL = ",000000,,=\n"  # FLAG all zeros, MQC empty, end of record
_PM10_VALUES = tuple(f"{value:>5}" for value in range(5000))  # formatting is the hot spot


def asos_reply(days: pd.DataFrame, station: int, *, help: bool, comma: bool) -> str:
    """A ``kma_sfcdd3`` reply for the rows of ``days`` (a source's :meth:`asos_days` table).

    Every field starts as KMA's sentinel; the fields the source knows are filled in (a NaN
    stays the sentinel). Built column by column: a decade of days is 200,000 fields.
    """
    head = ASOS_HELP if help else f"{START_MARKER}\n{ASOS_HEADER}"
    count = len(days)
    columns: list[list[str]] = [[_SENTINELS[position]] * count for position in range(56)]
    columns[0] = days["date"].dt.strftime("%Y%m%d").tolist()
    columns[1] = [str(station)] * count
    for name in days.columns:
        position = _POSITIONS.get(name)
        if position is None:
            continue
        sentinel, form = _SENTINELS[position], f"{{:.{_DECIMALS[position]}f}}".format
        values = days[name].to_numpy(dtype=np.float64, na_value=np.nan).tolist()
        columns[position] = [form(value) if value == value else sentinel for value in values]
    if comma:
        rows = [",".join(fields) + ",\n" for fields in zip(*columns, strict=True)]
    else:
        padded = [
            [field.rjust(width) if len(field) < width else f" {field}" for field in column]
            for column, width in zip(columns, _WIDTHS, strict=True)
        ]
        rows = ["".join(fields).lstrip() + "\n" for fields in zip(*padded, strict=True)]
    return head + "".join(rows) + f"{END_MARKER}\n"


def pm10_reply(days: list[tuple[date, Pm10Day]], station: int) -> str:
    """A ``kma_pm10`` reply holding the given readings (already cut to the requested times)."""
    slot_fields = [f"{hhmm},{station:>6}," for hhmm in _SLOT_TIMES]
    lines = [START_MARKER + "\n", PM10_HEADER]
    for day, readings in days:
        stamp = f"{day:%Y%m%d}"
        slots, values = readings.slots.tolist(), readings.values.tolist()
        if _all_formatted(values):
            texts = [_PM10_VALUES[value] for value in values]
        else:
            texts = [f"{value:>5}" for value in values]
        lines.extend(
            [
                stamp + slot_fields[slot] + text + _PM10_TAIL
                for slot, text in zip(slots, texts, strict=True)
            ]
        )
    lines.append(END_MARKER + "\n")
    return "".join(lines)


def _all_formatted(values: list[int]) -> bool:
    """Whether every value has a ready-made text in ``_PM10_VALUES``."""
    return not values or (min(values) >= 0 and max(values) < len(_PM10_VALUES))


def json_error(status: int, message: str) -> bytes:
    """KMA's error body: ``{"result":{"status":403,"message":"..."}}`` in UTF-8."""
    document = {"result": {"status": status, "message": message}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def slots_between(readings: Pm10Day, first_slot: int, last_slot: int) -> Pm10Day:
    """The readings of slots ``first_slot``..``last_slot`` (both included)."""
    if first_slot <= 0 and last_slot >= SLOTS_PER_DAY - 1:
        return readings
    keep = (readings.slots >= first_slot) & (readings.slots <= last_slot)
    return Pm10Day(readings.slots[keep], np.asarray(readings.values)[keep])

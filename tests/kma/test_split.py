"""A month's reply is cut into complete single-day replies, stored as received."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from seoulcast_assets.kma.errors import KmaMalformedReply, KmaTruncatedReply
from seoulcast_assets.kma.parse import parse_asos_daily, parse_pm10, split_reply_by_day
from seoulcast_assets.kma.reply import KmaReply
from tests.kma.samples import ASOS_FIXED_WIDTH_REPLY, ASOS_HELP_COMMA_REPLY, PM10_LINES

HELP_LINES = [line for line in ASOS_HELP_COMMA_REPLY.splitlines(keepends=True) if line[0] == "#"]
HELP_HEADER = "".join(HELP_LINES[:-1])  # everything but #7777END
BUSAN_ROWS = [f"{line}\n" for line in ASOS_FIXED_WIDTH_REPLY.splitlines() if line[0].isdigit()]


def asos_reply(rows: list[str], start: date, end: date) -> KmaReply:
    text = HELP_HEADER + "".join(rows) + "#7777END\n"
    return KmaReply("kma_sfcdd3.php", 159, start, end, text.encode("euc_kr"))


def test_each_day_is_a_complete_reply_with_the_original_header():
    reply = asos_reply(BUSAN_ROWS, date(2023, 5, 18), date(2023, 5, 21))
    days = split_reply_by_day(reply)

    assert list(days) == [date(2023, 5, d) for d in (18, 19, 20, 21)]
    for day, body in days.items():
        text = body.decode("euc_kr")
        assert text.startswith(HELP_HEADER)  # help block, Korean and all, byte for byte
        assert text.endswith("#7777END\n")
        table = parse_asos_daily(body)
        assert list(table["date"].dt.date) == ([day] if day.day in (19, 20) else [])
    assert days[date(2023, 5, 19)] == (HELP_HEADER + BUSAN_ROWS[0] + "#7777END\n").encode("euc_kr")


def test_data_lines_are_kept_byte_for_byte():
    rows = [row.replace("\n", "\r\n") for row in BUSAN_ROWS]
    reply = asos_reply(rows, date(2023, 5, 19), date(2023, 5, 20))
    days = split_reply_by_day(reply)
    assert rows[1].encode() in days[date(2023, 5, 20)]
    joined = b"".join(days.values())
    assert joined.count(b"\r\n") == 2


def test_the_days_put_back_together_give_the_whole_table():
    lines = [
        f"202604{day:02d}{hour:02d}{minute:02d},   108,{day + hour:5d},000000,,="
        for day in (1, 2, 3)
        for hour in (0, 12, 23)
        for minute in (0, 55)
    ]
    text = "#START7777\n# header\n" + "\n".join(lines) + "\n#7777END\n"
    reply = KmaReply("kma_pm10.php", 108, date(2026, 4, 1), date(2026, 4, 4), text.encode())
    days = split_reply_by_day(reply)

    pieces = [parse_pm10(body) for body in days.values()]
    pd.testing.assert_frame_equal(pd.concat(pieces, ignore_index=True), parse_pm10(text))
    assert [len(piece) for piece in pieces] == [6, 6, 6, 0]
    assert days[date(2026, 4, 4)] == b"#START7777\n# header\n#7777END\n"


def test_a_data_line_outside_the_requested_days_is_malformed():
    text = "#START7777\n" + PM10_LINES[1] + "\n#7777END\n"
    reply = KmaReply("kma_pm10.php", 108, date(2026, 6, 1), date(2026, 6, 30), text.encode())
    with pytest.raises(KmaMalformedReply, match="line 2: data line is not for a day in"):
        split_reply_by_day(reply)


def test_a_truncated_reply_is_not_split():
    text = "#START7777\n" + PM10_LINES[1] + "\n"
    reply = KmaReply("kma_pm10.php", 108, date(2026, 7, 1), date(2026, 7, 1), text.encode())
    with pytest.raises(KmaTruncatedReply):
        split_reply_by_day(reply)


def test_reply_repr_is_short_and_days_span_the_request():
    reply = asos_reply(BUSAN_ROWS, date(2023, 5, 19), date(2023, 5, 20))
    assert repr(reply) == (
        f"KmaReply(endpoint='kma_sfcdd3.php', station=159, start=2023-05-19, end=2023-05-20, "
        f"bytes={len(reply.body)})"
    )
    assert reply.days == [date(2023, 5, 19), date(2023, 5, 20)]
    assert reply.text == reply.body.decode("euc_kr")

"""The parsers of KMA replies, in one place for callers.

* :func:`parse_asos_daily` (:mod:`.asos`) and :func:`parse_pm10` (:mod:`.pm10`) turn a reply
  (text, or the EUC-KR bytes as stored) into a table;
* :func:`split_reply_by_day` (:mod:`.reply`) cuts a month's reply into single-day replies;
* :func:`summarize_pm10_days` (:mod:`.summary`) gives each day's unscreened PM10 figures.

Dates and times are naive KST ``datetime64[ns]`` values: ASOS ``date`` is midnight of the
observation day, PM10 ``time`` is the 5-minute slot.
"""

from seoulcast_assets.kma.asos import (
    TEMPERATURE_MISSING_AT_OR_BELOW,
    parse_asos_daily,
    split_data_fields,
)
from seoulcast_assets.kma.pm10 import parse_pm10
from seoulcast_assets.kma.reply import split_reply_by_day
from seoulcast_assets.kma.summary import summarize_pm10_days

__all__ = [
    "TEMPERATURE_MISSING_AT_OR_BELOW",
    "parse_asos_daily",
    "parse_pm10",
    "split_data_fields",
    "split_reply_by_day",
    "summarize_pm10_days",
]

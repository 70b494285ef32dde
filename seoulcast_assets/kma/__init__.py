"""KMA API Hub: requests, replies, parsing, and the data-portal CSV export.

No Dagster here: the assets wrap these functions. Each module's docstring records the reply
format it relies on and the decisions taken where KMA's documentation is silent.
"""

from seoulcast_assets.kma.client import KmaClient, month_chunks
from seoulcast_assets.kma.columns import ASOS_COLUMNS, ASOS_TEMPERATURE_COLUMNS, PM10_COLUMNS
from seoulcast_assets.kma.errors import (
    KmaApiError,
    KmaConnectionFailed,
    KmaError,
    KmaInvalidApi,
    KmaMalformedReply,
    KmaNotActivated,
    KmaQuotaExceeded,
    KmaServerError,
    KmaTimeout,
    KmaTransientError,
    KmaTruncatedReply,
    KmaUnavailable,
)
from seoulcast_assets.kma.parse import parse_asos_daily, parse_pm10
from seoulcast_assets.kma.portal import PortalFormatError, read_portal_csv
from seoulcast_assets.kma.reply import KmaReply, split_reply_by_day
from seoulcast_assets.kma.summary import summarize_pm10_days

__all__ = [
    "ASOS_COLUMNS",
    "ASOS_TEMPERATURE_COLUMNS",
    "PM10_COLUMNS",
    "KmaApiError",
    "KmaClient",
    "KmaConnectionFailed",
    "KmaError",
    "KmaInvalidApi",
    "KmaMalformedReply",
    "KmaNotActivated",
    "KmaQuotaExceeded",
    "KmaReply",
    "KmaServerError",
    "KmaTimeout",
    "KmaTransientError",
    "KmaTruncatedReply",
    "KmaUnavailable",
    "PortalFormatError",
    "month_chunks",
    "parse_asos_daily",
    "parse_pm10",
    "read_portal_csv",
    "split_reply_by_day",
    "summarize_pm10_days",
]

"""Where each kind of object lives in the store (see DESIGN.md, "Object store layout").

Daily objects sit under ``<prefix>/date=YYYY-MM/YYYY-MM-DD.<ext>`` so a month can be listed with
one request; the yearly consolidated tables let training read decades with one request per year.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

RawSource = Literal["asos", "pm10"]
CleanKind = Literal["temperature", "pm10", "weather"]

LATEST_FORECAST_KEY = "forecast/latest.json"
CHAMPION_MODEL_KEY = "model/champion.json"


def _daily(prefix: str, day: date, extension: str) -> str:
    return f"{prefix}/date={day:%Y-%m}/{day:%Y-%m-%d}.{extension}"


def raw_reply_key(source: RawSource, day: date) -> str:
    """The KMA reply for one day, as received (EUC-KR text)."""
    return _daily(f"raw/{source}", day, "txt")


def raw_parsed_key(source: RawSource, day: date) -> str:
    """The same day parsed into named columns (UTF-8 CSV); written after the reply, so a day
    is collected once this object exists."""
    return _daily(f"raw/{source}", day, "csv")


def raw_withheld_key(source: RawSource, day: date) -> str:
    """A newer reply for a collected day that would have replaced observed values with missing
    ones: kept beside the stored day for inspection, never read by the pipeline."""
    return _daily(f"raw/{source}", day, "withheld.txt")


def clean_key(kind: CleanKind, day: date) -> str:
    """A cleaned day in the original system's layout."""
    return _daily(f"result/{kind}", day, "csv")


def clean_year_key(year: int) -> str:
    """All cleaned days of one year in one table (``YEAR_COLUMNS``), for training and the API."""
    return f"result/daily/year={year:04d}.csv"


WEATHER_COLUMNS = (
    # the weather elements (docs/cleaning.md), under their KMA API Hub names; the last six are
    # the times of day (hhmi, no decimals) of the day's extremes
    "ws_avg",
    "ws_max",
    "wd_max",
    "ws_max_u",
    "ws_max_v",
    "hm_avg",
    "hm_min",
    "td_avg",
    "pv_avg",
    "pa_avg",
    "ps_avg",
    "ps_max",
    "ps_min",
    "ca_tot",
    "ss_day",
    "ss_dur",
    "si_day",
    "rn_day",
    "sd_new",
    "sd_max",
    "ts_avg",
    "tg_min",
    "te_05",
    "te_10",
    "te_15",
    "te_30",
    "te_50",
    "ta_max_tm",
    "ta_min_tm",
    "hm_min_tm",
    "ws_max_tm",
    "ps_max_tm",
    "ps_min_tm",
)
"""The weather columns of the cleaned tables, in order (``cleaning.elements`` defines each)."""

YEAR_COLUMNS = (
    "date",
    "ta_avg",
    "ta_max",
    "ta_min",
    "pm10_avg",
    "pm10_max",
    "pm10_min",
    "pm10_n_valid",
    *WEATHER_COLUMNS,
    "source",
    "flags",
)
"""The header of every yearly table (``clean_year_key``): written by the cleaning layer, read by
training and the API. Tables written before the weather columns existed lack them; readers
treat a missing column as empty cells (``cleaning.tables.read_year_tables``)."""


def forecast_key(issue_date: date) -> str:
    return _daily("forecast", issue_date, "json")

"""The columns of KMA's text replies, by position.

KMA's own header lines repeat short names (``TA`` five times), so columns are identified by
their position only. Names are the help block's names, lowercased (``TA_AVG`` -> ``ta_avg``).
"""

from __future__ import annotations

ASOS_COLUMNS: tuple[str, ...] = (
    "tm",  # 1. observation day (KST), YYYYMMDD
    "stn",
    "ws_avg",
    "wr_day",
    "wd_max",
    "ws_max",
    "ws_max_tm",
    "wd_ins",
    "ws_ins",
    "ws_ins_tm",
    "ta_avg",  # 11. daily mean temperature (C)
    "ta_max",
    "ta_max_tm",
    "ta_min",
    "ta_min_tm",
    "td_avg",
    "ts_avg",
    "tg_min",
    "hm_avg",
    "hm_min",
    "hm_min_tm",
    "pv_avg",
    "ev_s",
    "ev_l",
    "fg_dur",
    "pa_avg",
    "ps_avg",
    "ps_max",
    "ps_max_tm",
    "ps_min",
    "ps_min_tm",
    "ca_tot",
    "ss_day",
    "ss_dur",
    "ss_cmb",
    "si_day",
    "si_60m_max",
    "si_60m_max_tm",
    "rn_day",  # 39. daily precipitation (mm); -9.0 on a dry day as well as when missing
    "rn_d99",
    "rn_dur",
    "rn_60m_max",
    "rn_60m_max_tm",
    "rn_10m_max",
    "rn_10m_max_tm",
    "rn_pow_max",
    "rn_pow_max_tm",
    "sd_new",
    "sd_new_tm",
    "sd_max",
    "sd_max_tm",
    "te_05",
    "te_10",
    "te_15",
    "te_30",
    "te_50",  # 56. earth temperature at 5.0 m (C)
)

# Fields measured in degrees Celsius. A real -9.0 C is an ordinary winter reading here, so these
# use a different missing-value rule from every other field (see parse.py).
ASOS_TEMPERATURE_COLUMNS: frozenset[str] = frozenset(
    {"ta_avg", "ta_max", "ta_min", "td_avg", "ts_avg", "tg_min"}
    | {name for name in ASOS_COLUMNS if name.startswith("te_")}
)

# Times of day (KST) printed without zero padding: ``208`` is 02:08, ``-9`` means no event.
ASOS_TIME_OF_DAY_COLUMNS: tuple[str, ...] = tuple(
    name for name in ASOS_COLUMNS if name.endswith("_tm")
)

ASOS_FIELD_COUNT = len(ASOS_COLUMNS)

# kma_pm10 rows: ``TM, STN, PM10, FLAG, MQC, =`` (the ``=`` closes the record and is no value).
PM10_COLUMNS: tuple[str, ...] = ("tm", "stn", "pm10", "flag", "mqc")

"""The columns of KMA data-portal (기상자료개방포털) daily exports, by their Korean header.

The portal lets a user pick elements and renames some headers between its export versions, so
columns are found by their header text, never by position. Each header maps to a name: the API
Hub name (``kma_sfcdd3``, :data:`~seoulcast_assets.kma.columns.ASOS_COLUMNS`) where the API has
the element, otherwise a name in the same style (the names of ``seoul_asos_daily.csv``):

* ``wd_frq`` most frequent wind direction (최다풍향), ``ca_mid`` mid/low cloud (중하층운량),
  ``sd_hr3`` 3-hour new snow (3시간 신적설), ``te_005``/``te_01``/``te_02``/``te_03`` soil
  temperature at 5/10/20/30 cm: the portal has them, the API does not;
* ``stn_name`` (지점명) and ``remarks`` (기사, free text such as ``{비}{강도0}0910-1015.``).

Spellings seen in real exports: the temperature export writes ``(℃)``, the ASOS exports
``(°C)``; the newer ``SURFACE_ASOS_*`` files write ``합계 일조 시간(hr)`` and ``합계 일사(MJ/m2)``
where ``OBS_ASOS_DD_*`` write ``합계 일조시간(hr)`` and ``합계 일사량(MJ/m2)``.
"""

from __future__ import annotations

from typing import Literal

ColumnKind = Literal["station", "date", "number", "time", "text"]

STATION, DATE = "stn", "date"
TEXT_COLUMNS = ("stn_name", "remarks")
PORTAL_ONLY_ELEMENTS = ("wd_frq", "ca_mid", "sd_hr3", "te_005", "te_01", "te_02", "te_03")

PORTAL_COLUMNS: dict[str, str] = {
    "지점": STATION,
    "지점명": "stn_name",
    "일시": DATE,
    "날짜": DATE,  # the temperature export
    "평균기온(°C)": "ta_avg",
    "평균기온(℃)": "ta_avg",
    "최저기온(°C)": "ta_min",
    "최저기온(℃)": "ta_min",
    "최저기온 시각(hhmi)": "ta_min_tm",
    "최고기온(°C)": "ta_max",
    "최고기온(℃)": "ta_max",
    "최고기온 시각(hhmi)": "ta_max_tm",
    "강수 계속시간(hr)": "rn_dur",
    "10분 최다 강수량(mm)": "rn_10m_max",
    "10분 최다강수량 시각(hhmi)": "rn_10m_max_tm",
    "1시간 최다강수량(mm)": "rn_60m_max",
    "1시간 최다 강수량 시각(hhmi)": "rn_60m_max_tm",
    "일강수량(mm)": "rn_day",
    "최대 순간 풍속(m/s)": "ws_ins",
    "최대 순간 풍속 풍향(16방위)": "wd_ins",
    "최대 순간풍속 시각(hhmi)": "ws_ins_tm",
    "최대 풍속(m/s)": "ws_max",
    "최대 풍속 풍향(16방위)": "wd_max",
    "최대 풍속 시각(hhmi)": "ws_max_tm",
    "평균 풍속(m/s)": "ws_avg",
    "풍정합(100m)": "wr_day",
    "최다풍향(16방위)": "wd_frq",
    "평균 이슬점온도(°C)": "td_avg",
    "최소 상대습도(%)": "hm_min",
    "최소 상대습도 시각(hhmi)": "hm_min_tm",
    "평균 상대습도(%)": "hm_avg",
    "평균 증기압(hPa)": "pv_avg",
    "평균 현지기압(hPa)": "pa_avg",
    "최고 해면기압(hPa)": "ps_max",
    "최고 해면기압 시각(hhmi)": "ps_max_tm",
    "최저 해면기압(hPa)": "ps_min",
    "최저 해면기압 시각(hhmi)": "ps_min_tm",
    "평균 해면기압(hPa)": "ps_avg",
    "가조시간(hr)": "ss_dur",
    "합계 일조시간(hr)": "ss_day",
    "합계 일조 시간(hr)": "ss_day",
    "1시간 최다일사 시각(hhmi)": "si_60m_max_tm",
    "1시간 최다일사량(MJ/m2)": "si_60m_max",
    "합계 일사량(MJ/m2)": "si_day",
    "합계 일사(MJ/m2)": "si_day",
    "일 최심신적설(cm)": "sd_new",
    "일 최심신적설 시각(hhmi)": "sd_new_tm",
    "일 최심적설(cm)": "sd_max",
    "일 최심적설 시각(hhmi)": "sd_max_tm",
    "합계 3시간 신적설(cm)": "sd_hr3",
    "평균 전운량(1/10)": "ca_tot",
    "평균 중하층운량(1/10)": "ca_mid",
    "평균 지면온도(°C)": "ts_avg",
    "최저 초상온도(°C)": "tg_min",
    "평균 5cm 지중온도(°C)": "te_005",
    "평균 10cm 지중온도(°C)": "te_01",
    "평균 20cm 지중온도(°C)": "te_02",
    "평균 30cm 지중온도(°C)": "te_03",
    "0.5m 지중온도(°C)": "te_05",
    "1.0m 지중온도(°C)": "te_10",
    "1.5m 지중온도(°C)": "te_15",
    "3.0m 지중온도(°C)": "te_30",
    "5.0m 지중온도(°C)": "te_50",
    "합계 대형증발량(mm)": "ev_l",
    "합계 소형증발량(mm)": "ev_s",
    "9-9강수(mm)": "rn_d99",
    "기사": "remarks",
    "안개 계속시간(hr)": "fg_dur",
}


def column_kind(name: str) -> ColumnKind:
    """How a column's cells are read: station number, date, number, hhmi time, or free text."""
    if name == STATION:
        return "station"
    if name == DATE:
        return "date"
    if name in TEXT_COLUMNS:
        return "text"
    return "time" if name.endswith("_tm") else "number"

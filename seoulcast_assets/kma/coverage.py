"""Which days KMA holds for Seoul (station 108).

Temperature is observed since 1907-10-01, except during the Korean War (1950-09-01..1953-11-30,
no observations at all). The yellow-dust PM10 series starts on 2008-04-28. A day's daily
observation exists once the day is over in KST; PM10 readings appear every 5 minutes.
"""

from __future__ import annotations

from datetime import date

TEMPERATURE_START = date(1907, 10, 1)
PM10_START = date(2008, 4, 28)
KOREAN_WAR_GAP = (date(1950, 9, 1), date(1953, 11, 30))


def in_korean_war_gap(day: date) -> bool:
    return KOREAN_WAR_GAP[0] <= day <= KOREAN_WAR_GAP[1]

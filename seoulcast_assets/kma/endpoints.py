"""The two KMA API Hub endpoints SeoulCast reads, and how a request for a span of days looks.

* ``kma_sfcdd3.php``: ASOS daily observations, ``tm1``/``tm2`` as ``YYYYMMDD`` (both included).
  ``help=1`` is asked for because it is the documented sample call and puts KMA's numbered field
  list into every stored reply, so a stored day explains its own columns.
* ``kma_pm10.php``: 5-minute PM10 readings, ``tm1``/``tm2`` as ``YYYYMMDDHHMI``; a day runs
  from its 00:00 slot to its 23:55 slot.

Both take ``stn`` (108 = Seoul) and the key in ``authKey``. Times are KST.
"""

from __future__ import annotations

from datetime import date

ASOS_DAILY = "kma_sfcdd3.php"
PM10 = "kma_pm10.php"
ENDPOINTS = (ASOS_DAILY, PM10)
SEOUL = 108
FIRST_SLOT, LAST_SLOT = "0000", "2355"


def asos_daily_params(start: date, end: date, station: int = SEOUL) -> dict[str, str]:
    return {"tm1": f"{start:%Y%m%d}", "tm2": f"{end:%Y%m%d}", "stn": str(station), "help": "1"}


def pm10_params(start: date, end: date, station: int = SEOUL) -> dict[str, str]:
    return {
        "tm1": f"{start:%Y%m%d}{FIRST_SLOT}",
        "tm2": f"{end:%Y%m%d}{LAST_SLOT}",
        "stn": str(station),
    }

"""The daily ASOS weather elements the cleaned table keeps, beside temperature and PM10.

Each element keeps its ``kma_sfcdd3`` name (the name ``seoul_asos_daily.csv`` uses too), its
unit, how many decimals it is written with, the physical range a value must lie in, and the day
Seoul's record of it begins (the first day ``seoul_asos_daily.csv`` holds a value: humidity
minimum 1908, ground and earth temperatures 1916-1925, sea-level pressure 1926, dew point and
day length 1961, solar radiation 1973), and, where the record begins with scattered readings,
the day it turns daily (``daily_from``). Before that an empty value is not a missing day.

Why these and not the API's other fields (``docs/cleaning.md`` says more): they are the day's
state of the air and the ground that a forecaster or a reader can use. Six times of day join
them: when the day's maximum and minimum temperature, lowest humidity, strongest wind, highest
and lowest sea-level pressure happened (``ta_max_tm`` ... ``ps_min_tm``, KMA's ``hhmi``: 704 is
07:04). A daily mean cannot tell a front that passed in the morning from one arriving at night;
these times can (a minimum at 23:00 is cold air arriving, a pressure maximum after its minimum a
rising barometer), so the forecaster reads them. They were first left out because the record
also holds "times" such as 2454 and 1570; those are now removed by a rule of their own
(:mod:`.weather`), like any other impossible value, instead of keeping every time out.

The others stay in the raw layer only: the other times of day (of the gust, which is not kept
either, and of the rain, snow and radiation maxima, which exist only on days that have them; the
record's negative "times" such as -2335 are rain times), evaporation (a pan reading that follows
the sunshine, wind and humidity kept here), fog duration and the rain-duration and
rain-intensity maxima (written only on days with fog or rain, so an empty cell cannot tell "none"
from "not read"; ``rn_day`` carries the rain), Campbell sunshine and rain intensity (empty in
Seoul's record and absent from the portal exports), the wind run (the mean wind times a day:
``wr_day`` = ``ws_avg`` x 864) and the gusts (a second reading of the max wind, complete only
from 1959).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Kind = Literal["temperature", "amount", "time", "other"]


@dataclass(frozen=True)
class Element:
    """One weather element of the cleaned table.

    ``kind`` says how KMA marks a missing value: ``temperature`` fields print -99.0 (a value at
    or below the policy's ``temperature_sentinel_at_or_below``, since -9.0 °C is a real
    reading); ``amount`` (rain, snow) and ``other`` fields print a negative number made only of
    nines (-9, -9.0, -99.9 ...). For an ``amount`` that mark means *none* (KMA prints
    ``RN_DAY = -9.0`` on a dry day), so it becomes 0.0 on a day with observations. A ``time``
    (of day, ``hhmi``) is marked like ``other`` fields; its value must be a time of day, not
    merely lie in ``low..high`` (``1675`` is no time), and it alone does not make a day
    observed (a temperature-only source still gives the times of its maximum and minimum).
    """

    name: str
    unit: str
    low: float  # the physical range of a value (inclusive)
    high: float
    first_day: date  # first day of Seoul's record (station 108) with a value
    kind: Kind = "other"
    decimals: int = 1
    daily_from: date | None = None
    """The day from which Seoul's record holds the element on most days (every month of the
    next two years at least half observed), where that is later than ``first_day``: several
    elements begin with scattered readings (the pressure times hold a day or two a year before
    1962). A day without the element is a missing day from here on (``expected_from``)."""

    @property
    def expected_from(self) -> date:
        return self.daily_from or self.first_day


_D = date
ELEMENTS: tuple[Element, ...] = (
    # Wind: non-negative; 75 m/s is beyond any 10-minute wind ever measured.
    Element("ws_avg", "m/s", 0.0, 75.0, _D(1907, 10, 1)),
    Element("ws_max", "m/s", 0.0, 75.0, _D(1907, 10, 1)),
    Element("wd_max", "degrees", 0.0, 360.0, _D(1907, 10, 1)),
    # Humidity and moisture.
    Element("hm_avg", "%", 0.0, 100.0, _D(1907, 10, 1)),
    Element("hm_min", "%", 0.0, 100.0, _D(1908, 3, 20), daily_from=_D(1923, 1, 1)),
    Element("td_avg", "°C", -60.0, 40.0, _D(1961, 1, 1), "temperature"),
    Element("pv_avg", "hPa", 0.0, 80.0, _D(1907, 10, 1)),  # saturation at 40 °C is 74 hPa
    # Pressure: the world's records at sea level are 870 and 1084.8 hPa; the station (86 m)
    # reads about 10 hPa less.
    Element("pa_avg", "hPa", 850.0, 1085.0, _D(1926, 1, 1)),
    Element("ps_avg", "hPa", 870.0, 1085.0, _D(1926, 1, 1)),
    Element("ps_max", "hPa", 870.0, 1085.0, _D(1908, 5, 1), daily_from=_D(1937, 1, 1)),
    Element("ps_min", "hPa", 870.0, 1085.0, _D(1908, 8, 27), daily_from=_D(1937, 1, 1)),
    # Cloud, sunshine, radiation: top-of-atmosphere radiation at 37.6° N peaks at 42 MJ/m².
    Element("ca_tot", "tenths", 0.0, 10.0, _D(1907, 10, 1)),
    Element("ss_day", "hr", 0.0, 24.0, _D(1907, 10, 1)),
    Element("ss_dur", "hr", 0.0, 24.0, _D(1961, 1, 1)),
    Element("si_day", "MJ/m²", 0.0, 45.0, _D(1973, 1, 1), decimals=2, daily_from=_D(1973, 4, 16)),
    # Rain and snow (none is 0.0): the world's 24-hour rain record is 1,825 mm.
    Element("rn_day", "mm", 0.0, 2000.0, _D(1907, 10, 2), "amount"),
    Element("sd_new", "cm", 0.0, 500.0, _D(1937, 1, 9), "amount"),
    Element("sd_max", "cm", 0.0, 500.0, _D(1920, 1, 13), "amount"),
    # Ground: the surface (daily mean, Seoul's highest 40.1 °C), the grass minimum (lowest
    # -27.5 °C), and the earth from 0.5 m down, which in Seoul has not gone below -4 °C.
    Element("ts_avg", "°C", -40.0, 50.0, _D(1916, 1, 1), "temperature"),
    Element("tg_min", "°C", -45.0, 40.0, _D(1918, 4, 24), "temperature", daily_from=_D(1926, 1, 1)),
    Element("te_05", "°C", -15.0, 40.0, _D(1916, 1, 1), "temperature"),
    Element("te_10", "°C", -15.0, 40.0, _D(1916, 1, 1), "temperature"),
    Element("te_15", "°C", -15.0, 40.0, _D(1916, 1, 1), "temperature"),
    Element("te_30", "°C", -15.0, 40.0, _D(1925, 1, 1), "temperature", daily_from=_D(1932, 1, 1)),
    Element("te_50", "°C", -15.0, 40.0, _D(1925, 1, 1), "temperature", daily_from=_D(1932, 1, 1)),
    # Times of day (KST, hhmi, written without decimals): 0000..2400, KMA writing 2400 for the
    # end of the day. Seoul's record of the temperature times begins in 1940, of the humidity
    # time in 1962; the wind and pressure times hold a day or two a year before 1949 and 1962.
    Element("ta_max_tm", "hhmi", 0.0, 2400.0, _D(1940, 1, 1), "time", 0),
    Element("ta_min_tm", "hhmi", 0.0, 2400.0, _D(1940, 1, 1), "time", 0),
    Element("hm_min_tm", "hhmi", 0.0, 2400.0, _D(1962, 4, 1), "time", 0),
    Element("ws_max_tm", "hhmi", 0.0, 2400.0, _D(1908, 8, 27), "time", 0, _D(1955, 7, 1)),
    Element("ps_max_tm", "hhmi", 0.0, 2400.0, _D(1942, 9, 20), "time", 0, _D(1962, 4, 1)),
    Element("ps_min_tm", "hhmi", 0.0, 2400.0, _D(1908, 8, 27), "time", 0, _D(1962, 4, 1)),
)

ELEMENT_NAMES: tuple[str, ...] = tuple(element.name for element in ELEMENTS)
BY_NAME: dict[str, Element] = {element.name: element for element in ELEMENTS}

# The times of day, and the elements whose value says the day was observed (all but the times).
TIMES_OF_DAY: tuple[str, ...] = tuple(e.name for e in ELEMENTS if e.kind == "time")
OBSERVED_ELEMENTS: tuple[str, ...] = tuple(e.name for e in ELEMENTS if e.kind != "time")

# The max wind's components (m/s, toward where it blows), derived from ws_max and wd_max.
WIND_COMPONENTS: tuple[str, ...] = ("ws_max_u", "ws_max_v")

# The cleaned weather columns in the contract's order (docs/object-store.md): the times last.
WEATHER_COLUMNS: tuple[str, ...] = (
    "ws_avg",
    "ws_max",
    "wd_max",
    *WIND_COMPONENTS,
    *ELEMENT_NAMES[3:],
)

# How many decimals each weather column is written with.
DECIMALS: dict[str, int] = {
    **{element.name: element.decimals for element in ELEMENTS},
    **dict.fromkeys(WIND_COMPONENTS, 1),
}

# The element is 0.0 on a day with observations and none of it (no rain, no snow).
NONE_IS_ZERO: tuple[str, ...] = tuple(e.name for e in ELEMENTS if e.kind == "amount")

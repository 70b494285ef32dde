"""Cleaned observation days (the ``result/daily/year=YYYY.csv`` rows of the contract)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from seoulcast_api.forecasts.schemas import Units


class ObservedDay(msgspec.Struct, frozen=True):
    """One cleaned day; a value is null when it was missing and could not be filled."""

    date: date
    ta_avg: Annotated[float | None, msgspec.Meta(description="Daily mean temperature, °C.")]
    ta_max: Annotated[float | None, msgspec.Meta(description="Daily maximum temperature, °C.")]
    ta_min: Annotated[float | None, msgspec.Meta(description="Daily minimum temperature, °C.")]
    pm10_avg: Annotated[
        float | None,
        msgspec.Meta(description="Daily mean of the screened 5-minute PM10 readings, µg/m³."),
    ]
    pm10_max: Annotated[
        float | None, msgspec.Meta(description="Highest screened 5-minute PM10 reading, µg/m³.")
    ]
    pm10_min: Annotated[
        float | None, msgspec.Meta(description="Lowest screened 5-minute PM10 reading, µg/m³.")
    ]
    pm10_n_valid: Annotated[
        int | None, msgspec.Meta(description="5-minute readings kept after screening (≤ 288).")
    ]
    flags: Annotated[
        list[str], msgspec.Meta(description="Cleaning flags such as ta_max:interpolated.")
    ]


class ObservationRange(msgspec.Struct, frozen=True):
    """The cleaned days from ``start`` through ``end``; days not cleaned yet are absent."""

    start: date
    end: date
    units: Units
    days: list[ObservedDay]

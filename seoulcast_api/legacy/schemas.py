"""The original ``/result`` shape, with the date it never had."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec


class TemperaturePrediction(msgspec.Struct, frozen=True):
    """p50 forecasts of the day's mean, maximum and minimum temperature, °C."""

    TA_AVG: Annotated[float, msgspec.Meta(description="p50 of the daily mean temperature, °C.")]
    TA_MAX: Annotated[float, msgspec.Meta(description="p50 of the daily maximum, °C.")]
    TA_MIN: Annotated[float, msgspec.Meta(description="p50 of the daily minimum, °C.")]


class PmPrediction(msgspec.Struct, frozen=True):
    """PM10 of the day, µg/m³, from the forecast of the **daily mean**.

    PM10_AVG is the p50 of the daily mean; PM10_MIN and PM10_MAX are its p10 and p90, the ends of
    the 80% prediction interval. They are not the day's lowest and highest 5-minute readings
    that the original system reported: those are not forecast.
    """

    PM10_MIN: Annotated[
        float, msgspec.Meta(description="p10 of the daily-mean PM10 forecast, µg/m³.")
    ]
    PM10_MAX: Annotated[
        float, msgspec.Meta(description="p90 of the daily-mean PM10 forecast, µg/m³.")
    ]
    PM10_AVG: Annotated[
        float, msgspec.Meta(description="p50 of the daily-mean PM10 forecast, µg/m³.")
    ]


class LegacyResult(msgspec.Struct, frozen=True):
    """The first day of the latest forecast (its issue date, normally lead 1)."""

    date: Annotated[date, msgspec.Meta(description="The forecast day (KST).")]
    temperature_prediction: TemperaturePrediction
    pm_prediction: PmPrediction

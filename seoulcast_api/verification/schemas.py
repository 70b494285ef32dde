"""The verification report: each recent day's forecasts beside its observation."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from seoulcast_api.forecasts.schemas import Pm10Grade, Quantiles, Units

Target = Literal["ta_avg", "ta_max", "ta_min", "pm10_avg"]


class ObservedValues(msgspec.Struct, frozen=True):
    """What was observed on the day, for the forecast targets (null when missing)."""

    ta_avg: Annotated[float | None, msgspec.Meta(description="Daily mean temperature, °C.")]
    ta_max: Annotated[float | None, msgspec.Meta(description="Daily maximum temperature, °C.")]
    ta_min: Annotated[float | None, msgspec.Meta(description="Daily minimum temperature, °C.")]
    pm10_avg: Annotated[float | None, msgspec.Meta(description="Daily mean PM10, µg/m³.")]


class PastForecast(msgspec.Struct, frozen=True):
    """What one earlier forecast run said about the day."""

    issue_date: date
    lead_days: Annotated[int, msgspec.Meta(ge=1, description="Days ahead it was made (1–7).")]
    ta_avg: Annotated[Quantiles, msgspec.Meta(description="Daily mean temperature, °C.")]
    ta_max: Annotated[Quantiles, msgspec.Meta(description="Daily maximum temperature, °C.")]
    ta_min: Annotated[Quantiles, msgspec.Meta(description="Daily minimum temperature, °C.")]
    pm10_avg: Annotated[Quantiles, msgspec.Meta(description="Daily mean PM10, µg/m³.")]
    pm10_grade: Pm10Grade


class VerifiedDay(msgspec.Struct, frozen=True):
    date: date
    observed: ObservedValues | None
    forecasts: Annotated[
        list[PastForecast],
        msgspec.Meta(description="Every stored forecast covering the day, shortest lead first."),
    ]


class TargetScore(msgspec.Struct, frozen=True):
    """Error of the p50 forecasts at one lead over the days that have both sides."""

    target: Target
    lead_days: Annotated[int, msgspec.Meta(ge=1, description="Days ahead (1–7).")]
    n: Annotated[int, msgspec.Meta(description="Days with both a forecast and an observation.")]
    mae: Annotated[
        float | None,
        msgspec.Meta(
            description="Mean absolute error of p50 in the target's unit (°C, or µg/m³ for "
            "pm10_avg), 3 decimals; null if n is 0."
        ),
    ]
    coverage80: Annotated[
        float | None,
        msgspec.Meta(
            description="Share of observations inside p10..p90 (0–1, 3 decimals); null if n is 0."
        ),
    ]


class VerificationReport(msgspec.Struct, frozen=True):
    """The last ``days`` days up to ``end`` (the newest observed day), oldest first."""

    start: date
    end: date
    units: Units
    days: list[VerifiedDay]
    scores: Annotated[
        list[TargetScore],
        msgspec.Meta(description="MAE and 80% coverage per target and lead over the window."),
    ]

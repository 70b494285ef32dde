"""The forecast document (``schema_version`` 1) of docs/object-store.md, as typed structs.

These structs both validate what the pipeline wrote and describe the API's responses, so the
OpenAPI schema, and the TypeScript types generated from it, follow the contract.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

SCHEMA_VERSION = 1

Pm10Grade = Annotated[
    Literal["good", "moderate", "bad", "very_bad"],
    msgspec.Meta(
        description="Korean Ministry of Environment PM10 grade of a daily mean (µg/m³): "
        "good 좋음 ≤ 30, moderate 보통 31–80, bad 나쁨 81–150, very_bad 매우나쁨 ≥ 151."
    ),
]


class Quantiles(msgspec.Struct, frozen=True):
    """Forecast quantiles; p10..p90 is the 80% prediction interval."""

    p10: float
    p50: float
    p90: float


class GradeProbabilities(msgspec.Struct, frozen=True):
    """Probability of each PM10 grade for the day; they sum to 1."""

    good: float
    moderate: float
    bad: float
    very_bad: float


class ForecastDay(msgspec.Struct, frozen=True):
    date: date
    lead_days: Annotated[int, msgspec.Meta(ge=1, description="Days after inputs.last_date (1..7).")]
    ta_avg: Annotated[Quantiles, msgspec.Meta(description="Daily mean temperature, °C.")]
    ta_max: Annotated[Quantiles, msgspec.Meta(description="Daily maximum temperature, °C.")]
    ta_min: Annotated[Quantiles, msgspec.Meta(description="Daily minimum temperature, °C.")]
    pm10_avg: Annotated[Quantiles, msgspec.Meta(description="Daily mean PM10, µg/m³.")]
    pm10_grade: Pm10Grade
    pm10_grade_probabilities: GradeProbabilities


class ModelRef(msgspec.Struct, frozen=True):
    """The registered model version that made the forecast."""

    name: str
    version: str
    alias: str
    run_id: str


class ForecastInputs(msgspec.Struct, frozen=True):
    first_date: date
    last_date: Annotated[date, msgspec.Meta(description="The newest observed day used.")]
    missing_days: list[date]


class Units(msgspec.Struct, frozen=True):
    temperature: str
    pm10: str


class ForecastDocument(msgspec.Struct, frozen=True):
    """One forecast run: seven days from ``issue_date``, with the model and inputs behind it."""

    schema_version: int
    issue_date: date
    issued_at: datetime
    model: ModelRef
    inputs: ForecastInputs
    degraded: Annotated[bool, msgspec.Meta(description="Made despite missing recent input days.")]
    warnings: list[str]
    units: Units
    days: Annotated[
        list[ForecastDay],
        msgspec.Meta(min_length=1, description="Seven days from issue_date, lead_days ascending."),
    ]

    def day(self, wanted: date) -> ForecastDay | None:
        """The entry forecasting ``wanted``, if this run covers it."""
        return next((day for day in self.days if day.date == wanted), None)

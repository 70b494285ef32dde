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


ObservationsSource = Annotated[
    Literal["kma", "emulator-synthetic", "emulator-observed", "portal-import"],
    msgspec.Meta(
        description="Where the observations came from: kma (KMA API Hub), emulator-synthetic "
        "(the built-in KMA emulator's synthetic weather: demo data, not Seoul's), "
        "emulator-observed (recorded KMA observations replayed by the emulator), portal-import "
        "(a data-portal export loaded with `seoulcast import-portal`)."
    ),
]


class Quantiles(msgspec.Struct, frozen=True):
    """Forecast quantiles of one quantity, in its unit: °C for the temperatures (ta_avg,
    ta_max, ta_min), µg/m³ for PM10 (pm10_avg). p10..p90 is the 80% prediction interval."""

    p10: Annotated[float, msgspec.Meta(description="10th percentile: 1 day in 10 below it.")]
    p50: Annotated[float, msgspec.Meta(description="Median: the forecast value.")]
    p90: Annotated[float, msgspec.Meta(description="90th percentile: 1 day in 10 above it.")]


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


class ForecastInputs(msgspec.Struct, frozen=True, omit_defaults=True):
    first_date: Annotated[date, msgspec.Meta(description="The oldest observed day used.")]
    last_date: Annotated[date, msgspec.Meta(description="The newest observed day used.")]
    missing_days: Annotated[
        list[date], msgspec.Meta(description="Recent days missing from the inputs.")
    ]
    source: Annotated[
        ObservationsSource | None,
        msgspec.Meta(description="Where the observations came from; absent: not recorded."),
    ] = None


class Units(msgspec.Struct, frozen=True):
    """The units of the numbers in a reply."""

    temperature: Annotated[str, msgspec.Meta(description="Unit of every temperature (ta_*): °C.")]
    pm10: Annotated[str, msgspec.Meta(description="Unit of every PM10 value (pm10_*): µg/m³.")]


UNITS = Units(temperature="°C", pm10="µg/m³")


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

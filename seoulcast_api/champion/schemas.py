"""The champion's model card: as stored (``model/champion.json``) and as the API serves it.

The stored card keeps the pipeline's column names (``horizon``, as in ``seoulcast backtest``'s
metrics.csv); the reply says ``lead_days`` like every other reply, rounds the metrics and names
their units.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from seoulcast_api.forecasts.schemas import ObservationsSource, Units
from seoulcast_api.verification.schemas import Target

ModelName = Annotated[
    str,
    msgspec.Meta(
        description="The served model, named by its family (lstm, gru, lightgbm, linear_tuned; "
        "the card's family), or a baseline: persistence, climatology, linear (lagged "
        "temperature and PM10 anomalies), linear_all (lagged anomalies of every weather "
        "element)."
    ),
]


class StoredBacktestRow(msgspec.Struct, frozen=True):
    model: str
    target: Target
    horizon: int
    mae: float
    rmse: float
    coverage80: float | None
    grade_accuracy: float | None
    n: int


class StoredModelCard(msgspec.Struct, frozen=True):
    name: str
    version: str
    run_id: str
    promoted_at: datetime
    trained_through: date
    backtest: list[StoredBacktestRow]
    observations_source: ObservationsSource | None = None
    family: str | None = None
    config: str | None = None


class BacktestRow(msgspec.Struct, frozen=True):
    """Walk-forward backtest error of one model on one target at one lead.

    Errors are in the target's unit: °C for ta_avg, ta_max and ta_min, µg/m³ for pm10_avg.
    """

    model: ModelName
    target: Target
    lead_days: Annotated[int, msgspec.Meta(ge=1, le=7, description="Days ahead (1–7).")]
    mae: Annotated[
        float, msgspec.Meta(description="Mean absolute error of p50 (°C or µg/m³), 3 decimals.")
    ]
    rmse: Annotated[
        float, msgspec.Meta(description="Root mean squared error (°C or µg/m³), 3 decimals.")
    ]
    coverage80: Annotated[
        float | None,
        msgspec.Meta(
            description="Share of days inside the 80% interval (0–1, 3 decimals); null for "
            "models without intervals."
        ),
    ]
    grade_accuracy: Annotated[
        float | None,
        msgspec.Meta(description="Share of days with the PM10 grade right (0–1); pm10_avg only."),
    ]
    n: Annotated[int, msgspec.Meta(description="Days scored.")]


class ModelCard(msgspec.Struct, frozen=True):
    """The registered model version serving forecasts, and its held-out accuracy."""

    name: str
    version: str
    run_id: str
    promoted_at: datetime
    trained_through: Annotated[date, msgspec.Meta(description="The last day it was trained on.")]
    observations_source: Annotated[
        ObservationsSource | None,
        msgspec.Meta(description="Where its training observations came from; null: not recorded."),
    ]
    family: Annotated[
        str | None,
        msgspec.Meta(
            description="The served model's family (lstm, gru, lightgbm, linear), the one the "
            "model sweep measured best; null: not recorded (an LSTM before the sweep)."
        ),
    ]
    config: Annotated[
        str | None, msgspec.Meta(description="Its configuration, e.g. lstm(hidden_size=64, …).")
    ]
    units: Units
    backtest: list[BacktestRow]

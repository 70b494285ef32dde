"""The model card (``model/champion.json``) of docs/object-store.md."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from seoulcast_api.verification.schemas import Target


class BacktestRow(msgspec.Struct, frozen=True):
    """Walk-forward backtest error of one model on one target at one horizon."""

    model: Annotated[
        str,
        msgspec.Meta(
            description="lstm (the served model) or a baseline: persistence, climatology, linear."
        ),
    ]
    target: Target
    horizon: Annotated[int, msgspec.Meta(description="Lead in days (1–7).")]
    mae: float
    rmse: float
    coverage80: Annotated[
        float | None, msgspec.Meta(description="Share inside the 80% interval; models with one.")
    ]
    grade_accuracy: Annotated[
        float | None, msgspec.Meta(description="PM10 grade hit rate; pm10_avg only.")
    ]
    n: int


class ModelCard(msgspec.Struct, frozen=True):
    name: str
    version: str
    run_id: str
    promoted_at: datetime
    trained_through: date
    backtest: list[BacktestRow]

"""Held-out evaluation for promotion: the candidate and every baseline on the same recent window.

:func:`evaluate_holdout` trains the forecaster and the baselines on the data before the holdout
(nothing inside it), forecasts every day of the holdout from the day before, and scores them
together; :func:`score_forecaster` scores an already trained model (e.g. the current champion)
on the same days, so :func:`~seoulcast_assets.ml.tracking.registry.decide_promotion` compares
like with like.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from seoulcast_assets.ml.evaluation.backtest import (
    ModelFactory,
    forecast_days,
    walk_forward_backtest,
    with_actuals,
)
from seoulcast_assets.ml.evaluation.metrics import metrics_table
from seoulcast_assets.ml.families.baselines import BASELINES
from seoulcast_assets.ml.families.catalog import ModelSpec
from seoulcast_assets.ml.families.interface import ForecastModel
from seoulcast_assets.ml.families.recurrent.forecaster import ForecasterConfig
from seoulcast_assets.ml.inputs.history import validate_history


@dataclass(frozen=True)
class HoldoutEvaluation:
    holdout_start: pd.Timestamp
    holdout_end: pd.Timestamp
    metrics: pd.DataFrame
    """``model, target, horizon, mae, rmse, coverage80, grade_accuracy, n`` for every model."""
    predictions: pd.DataFrame
    forecaster: ForecastModel
    """The candidate as trained on the data before the holdout."""
    candidate: str = "lstm"
    """The candidate's rows in ``metrics`` (``ModelSpec.table_name``: its family)."""


def evaluate_holdout(
    history: pd.DataFrame,
    holdout_start,
    holdout_end,
    candidate: ModelSpec | ForecasterConfig | None = None,
    baselines: Mapping[str, ModelFactory] = BASELINES,
    callbacks: Sequence = (),
) -> HoldoutEvaluation:
    """Train on days before ``holdout_start``; score on ``holdout_start .. holdout_end``.

    ``candidate``: the model to evaluate (a spec of any family; a ``ForecasterConfig`` is the
    recurrent forecaster with it; None its defaults). ``callbacks`` go to a network's trainer."""
    spec = as_spec(candidate)
    holdout_start, holdout_end = pd.Timestamp(holdout_start), pd.Timestamp(holdout_end)
    trained: dict[str, ForecastModel] = {}

    def keep(name, model, refit_date) -> None:
        trained[name] = model

    name = spec.table_name
    models = {name: lambda: with_callbacks(spec.build(), callbacks), **baselines}
    result = walk_forward_backtest(
        history,
        holdout_start - pd.Timedelta(days=1),
        holdout_end,
        models,
        refit="never",
        on_fit=keep,
    )
    return HoldoutEvaluation(
        holdout_start, holdout_end, result.metrics, result.predictions, trained[name], name
    )


def as_spec(candidate: ModelSpec | ForecasterConfig | None) -> ModelSpec:
    if isinstance(candidate, ModelSpec):
        return candidate
    config = candidate or ForecasterConfig()
    return ModelSpec(config.cell, config.to_dict())


def with_callbacks(model: ForecastModel, callbacks: Sequence) -> ForecastModel:
    """A network family's model with Lightning callbacks (others train without)."""
    if callbacks and hasattr(model, "with_callbacks"):
        return model.with_callbacks(callbacks)
    return model


def score_forecaster(
    model: ForecastModel, history: pd.DataFrame, holdout_start, holdout_end, name: str = "champion"
) -> pd.DataFrame:
    """Metrics of a trained model's forecasts of ``holdout_start .. holdout_end``."""
    history = validate_history(history)
    origins = forecast_days(holdout_start, holdout_end)
    predictions = model.predict_many(history, origins).assign(model=name)
    predictions = predictions[predictions["date"] >= pd.Timestamp(holdout_start)]
    return metrics_table(with_actuals(history, predictions, holdout_end))

"""Walk-forward backtest: expanding training window, refit on a fixed cadence, score by date.

For a test period ``train_end+1 .. test_end``, every day ``o`` from ``train_end`` to
``test_end-1`` is a last observed day: the forecast issued the next morning covers ``o+1 .. o+7``
(horizon ``h`` is ``o+h``), and only targets inside the test period are scored. Day ``o`` is
forecast by the models refit at the latest refit date ``r <= o``; refit dates are ``train_end``,
``train_end + 1 cadence``, … and each refit sees only rows up to ``r`` (an expanding window).
Every model, network and baselines alike, forecasts exactly the same days, so their scores are
comparable row for row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from seoulcast_assets.ml.evaluation.metrics import metrics_table
from seoulcast_assets.ml.families.interface import ForecastModel
from seoulcast_assets.ml.inputs.history import validate_history

REFIT_CADENCES: dict[str, pd.DateOffset | None] = {
    "yearly": pd.DateOffset(years=1),
    "quarterly": pd.DateOffset(months=3),
    "monthly": pd.DateOffset(months=1),
    "never": None,
}

ModelFactory = Callable[[], ForecastModel]
FitHook = Callable[[str, ForecastModel, pd.Timestamp], None]


@dataclass(frozen=True)
class BacktestResult:
    predictions: pd.DataFrame
    """Forecast frame of every model with ``model`` and ``actual`` columns."""
    metrics: pd.DataFrame
    """``model, target, horizon, mae, rmse, coverage80, grade_accuracy, n``."""
    refit_dates: tuple[pd.Timestamp, ...]


def refit_dates(train_end, test_end, cadence: str = "yearly") -> list[pd.Timestamp]:
    """``train_end`` and every later refit date before ``test_end``."""
    if cadence not in REFIT_CADENCES:
        raise ValueError(f"unknown refit cadence {cadence!r}; use one of {list(REFIT_CADENCES)}")
    train_end, test_end = pd.Timestamp(train_end), pd.Timestamp(test_end)
    if test_end <= train_end:
        raise ValueError("the test period must end after the training period")
    step = REFIT_CADENCES[cadence]
    dates = [train_end]
    while step is not None and (nxt := train_end + step * len(dates)) < test_end:
        dates.append(nxt)
    return dates


def walk_forward_folds(
    history: pd.DataFrame,
    train_end,
    test_end,
    models: Mapping[str, ModelFactory],
    refit: str = "yearly",
    on_fit: FitHook | None = None,
) -> Iterator[tuple[pd.Timestamp, pd.DataFrame]]:
    """The backtest one refit at a time: yields ``(refit_date, predictions)`` for each refit
    date, the predictions (with ``model`` and ``actual``) of the days it forecasts, scored over
    the whole test period. A sweep reads the score so far after each fold (and prunes)."""
    history = validate_history(history)
    train_end, test_end = pd.Timestamp(train_end), pd.Timestamp(test_end)
    refits = refit_dates(train_end, test_end, refit)
    segment_ends = [*refits[1:], test_end]
    for refit_date, segment_end in zip(refits, segment_ends, strict=True):
        origins = pd.date_range(refit_date, segment_end - pd.Timedelta(days=1), freq="D")
        parts = []
        for name, factory in models.items():
            model = factory().fit(history, train_end=refit_date)
            if on_fit is not None:
                on_fit(name, model, refit_date)
            frame = model.predict_many(history, origins)
            parts.append(frame.assign(model=name))
        yield refit_date, with_actuals(history, pd.concat(parts, ignore_index=True), test_end)


def walk_forward_backtest(
    history: pd.DataFrame,
    train_end,
    test_end,
    models: Mapping[str, ModelFactory],
    refit: str = "yearly",
    on_fit: FitHook | None = None,
) -> BacktestResult:
    """Fit each model at every refit date and forecast every day of the test period.

    ``models`` maps a model name to a factory of an unfitted :class:`ForecastModel`.
    ``on_fit(name, model, refit_date)`` is called after each fit (progress, logging).
    """
    folds = list(walk_forward_folds(history, train_end, test_end, models, refit, on_fit))
    predictions = pd.concat([frame for _, frame in folds], ignore_index=True)
    return BacktestResult(
        predictions=predictions,
        metrics=metrics_table(predictions),
        refit_dates=tuple(refit_date for refit_date, _ in folds),
    )


def forecast_days(first_target_day, last_target_day) -> pd.DatetimeIndex:
    """The last observed days whose forecasts reach into ``first .. last`` target days."""
    return pd.date_range(
        pd.Timestamp(first_target_day) - pd.Timedelta(days=1),
        pd.Timestamp(last_target_day) - pd.Timedelta(days=1),
        freq="D",
    )


def with_actuals(history: pd.DataFrame, predictions: pd.DataFrame, last_target_day) -> pd.DataFrame:
    """Keep forecasts of days up to ``last_target_day`` and join the observed values."""
    predictions = predictions[predictions["date"] <= pd.Timestamp(last_target_day)]
    predictions = predictions.reset_index(drop=True)
    stacked = history.stack(future_stack=True)
    keys = pd.MultiIndex.from_arrays([predictions["date"], predictions["target"]])
    predictions["actual"] = stacked.reindex(keys).to_numpy()
    return predictions

"""A configuration scored by the walk-forward backtest of ``seoulcast backtest``, fold by fold.

The score of a model is its MAE relative to persistence on the same forecasts, averaged over
the four targets and seven horizons (``mean_mae_ratio``, lower is better; what the MLflow
backtest tables log under the same name). It is unit-free, so °C and µg/m³ count alike, and
it is computed on the folds scored so far, so a study can prune a configuration after its
first refit year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from seoulcast_assets.ml.evaluation.backtest import walk_forward_folds
from seoulcast_assets.ml.evaluation.metrics import metrics_table
from seoulcast_assets.ml.families.catalog import ModelSpec
from seoulcast_assets.ml.families.interface import ForecastModel

REFERENCE = "persistence"
"""The model every score is relative to."""


@dataclass(frozen=True)
class BacktestWindow:
    """Train through ``train_end``, forecast ``train_end+1 .. test_end``, refit ``refit``.

    The default is the inner years: trained through 2010, scored on 2011–2012, never the
    final test years 2013–2018."""

    train_end: str = "2010-12-31"
    test_end: str = "2012-12-31"
    refit: str = "yearly"

    def label(self) -> str:
        start = (pd.Timestamp(self.train_end) + pd.Timedelta(days=1)).date()
        return f"trained through {self.train_end}, scored {start}..{self.test_end} ({self.refit})"


def mean_mae_ratio(predictions: pd.DataFrame, reference: pd.DataFrame) -> float:
    """The model's MAE over the reference's, per target and horizon, averaged over the cells,
    on the forecasts both made (matched by last observed day, target and horizon)."""
    keys = ["last_observed", "target", "horizon"]
    joined = predictions.merge(reference[[*keys, "p50"]], on=keys, suffixes=("", "_reference"))
    joined = joined[joined["actual"].notna() & joined["p50"].notna()]
    joined = joined[joined["p50_reference"].notna()]
    if joined.empty:
        return float("nan")
    joined = joined.assign(
        error=(joined["p50"] - joined["actual"]).abs(),
        reference_error=(joined["p50_reference"] - joined["actual"]).abs(),
    )
    cells = joined.groupby(["target", "horizon"])[["error", "reference_error"]].mean()
    return float((cells["error"] / cells["reference_error"]).mean())


def score_folds(
    history: pd.DataFrame,
    name: str,
    build: Callable[[], ForecastModel],
    window: BacktestWindow,
    reference: pd.DataFrame,
) -> Iterator[tuple[pd.Timestamp, float, pd.DataFrame]]:
    """After each refit: ``(refit_date, score so far, predictions so far)``."""
    scored = []
    for refit_date, predictions in walk_forward_folds(
        history, window.train_end, window.test_end, {name: build}, window.refit
    ):
        scored.append(predictions)
        so_far = pd.concat(scored, ignore_index=True)
        yield refit_date, mean_mae_ratio(so_far, reference), so_far


def reference_predictions(
    history: pd.DataFrame, window: BacktestWindow, models: dict[str, Callable[[], ForecastModel]]
) -> pd.DataFrame:
    """The backtest predictions of the reference models (persistence among them), all folds."""
    return pd.concat(
        [p for _, p in walk_forward_folds(history, window.train_end, window.test_end, models,
                                          window.refit)],
        ignore_index=True,
    )  # fmt: skip


def summary_metrics(predictions: pd.DataFrame) -> dict[str, float]:
    """Stable MLflow metric names of a scored configuration: ``mae/<target>/d<h>``,
    ``coverage80/<target>/d<h>``, ``mean_mae/<target>`` and ``coverage80/mean``."""
    table = metrics_table(predictions)
    out = {}
    for row in table.itertuples(index=False):
        out[f"mae/{row.target}/d{row.horizon}"] = float(row.mae)
        if pd.notna(row.coverage80):
            out[f"coverage80/{row.target}/d{row.horizon}"] = float(row.coverage80)
        if pd.notna(row.grade_accuracy):
            out[f"grade_accuracy/{row.target}/d{row.horizon}"] = float(row.grade_accuracy)
    for target, rows in table.groupby("target"):
        out[f"mean_mae/{target}"] = float(rows["mae"].mean())
    out["coverage80/mean"] = float(np.nanmean(table["coverage80"].to_numpy(dtype=float)))
    return out


def spec_builder(spec: ModelSpec) -> Callable[[], ForecastModel]:
    return spec.build

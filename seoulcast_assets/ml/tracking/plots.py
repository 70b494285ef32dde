"""Forecast-vs-actual figures for MLflow and reports (matplotlib, no display needed)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from seoulcast_assets.ml.inputs.variables import TARGETS  # noqa: E402

UNITS = {"ta_avg": "°C", "ta_max": "°C", "ta_min": "°C", "pm10_avg": "µg/m³"}


def forecast_vs_actual_figure(predictions: pd.DataFrame, model: str = "lstm", horizon: int = 1):
    """One panel per target: actuals, the p50 forecast and its 80% band at one horizon."""
    rows = predictions
    if "model" in rows.columns:
        rows = rows[rows["model"] == model]
    rows = rows[rows["horizon"] == horizon]
    figure, axes = plt.subplots(len(TARGETS), 1, figsize=(11, 2.6 * len(TARGETS)), sharex=True)
    for axis, target in zip(axes, TARGETS, strict=True):
        part = rows[rows["target"] == target].sort_values("date")
        axis.fill_between(part["date"], part["p10"], part["p90"], alpha=0.25, label="p10–p90")
        axis.plot(part["date"], part["p50"], linewidth=0.9, label=f"{model} p50")
        if "actual" in part.columns:
            axis.plot(part["date"], part["actual"], "k.", markersize=2, label="actual")
        axis.set_ylabel(f"{target} ({UNITS[target]})")
    axes[0].legend(loc="upper right", fontsize=8, ncols=3)
    axes[0].set_title(f"{model}: forecast vs actual, D+{horizon}")
    figure.tight_layout()
    return figure

"""Forecast scores in observation units, and the Korean PM10 grades.

PM10 grades (Ministry of Environment, daily mean µg/m³) are defined on integers: 좋음 0–30,
보통 31–80, 나쁨 81–150, 매우나쁨 ≥ 151. Daily means carry decimals, so SeoulCast uses the
upper bounds *inclusively* and everything above a bound belongs to the next grade:

========== ======== ===============================
grade      Korean   daily mean x (µg/m³)
========== ======== ===============================
good       좋음     x ≤ 30
moderate   보통     30 < x ≤ 80
bad        나쁨     80 < x ≤ 150
very_bad   매우나쁨 x > 150
========== ======== ===============================

so 30.0 is good, 30.4 and 31 are moderate, 80 moderate, 80.1 bad, 150 bad, 150.1 very bad.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from seoulcast_assets.ml.inputs.variables import PM10_TARGET, TARGETS

GRADES: tuple[str, ...] = ("good", "moderate", "bad", "very_bad")
GRADE_UPPER_BOUNDS: tuple[float, ...] = (30.0, 80.0, 150.0)
"""Inclusive upper bound of each grade but the last (µg/m³)."""

METRICS_COLUMNS: tuple[str, ...] = (
    "model",
    "target",
    "horizon",
    "mae",
    "rmse",
    "coverage80",
    "grade_accuracy",
    "n",
)
MODEL_ORDER: tuple[str, ...] = (
    *("lstm", "gru", "lightgbm", "linear_tuned"),  # the served model, named by its family
    *("persistence", "climatology", "linear", "linear_all"),
)


def grade_index(values) -> np.ndarray:
    """0 (good) .. 3 (very_bad) for each PM10 value; -1 where the value is missing."""
    values = np.asarray(values, dtype=float)
    index = np.searchsorted(np.asarray(GRADE_UPPER_BOUNDS), values, side="left")
    return np.where(np.isfinite(values), index, -1)


def pm10_grade(values) -> np.ndarray:
    """Grade names (``"good"`` …) for each value; ``None`` where the value is missing."""
    index = grade_index(values)
    names = np.array([*GRADES, None], dtype=object)
    return names[np.where(index < 0, len(GRADES), index)]


def grade_probabilities(levels: Sequence[float], values) -> np.ndarray:
    """Probabilities of the four grades implied by forecast quantiles; each row sums to 1.

    ``values`` is ``(..., len(levels))`` in µg/m³ (e.g. the p10/p50/p90 columns). The forecast
    distribution is taken to be piecewise Gaussian in ``log1p`` space: between two quantiles the
    normal score ``Φ⁻¹(F)`` is interpolated linearly, and beyond the outermost quantiles the
    outer segments are extended, which gives Gaussian tails with the spread the outer quantiles
    imply. The CDF therefore passes exactly through every given quantile and is continuous and
    increasing.
    """
    levels = np.asarray(levels, dtype=float)
    if levels.ndim != 1 or len(levels) < 2 or np.any(np.diff(levels) <= 0):
        raise ValueError("need at least two increasing quantile levels")
    values = np.asarray(values, dtype=float)
    if values.shape[-1] != len(levels):
        raise ValueError("the last axis of `values` must match the quantile levels")
    u = np.sort(np.log1p(np.clip(values, 0.0, None)), axis=-1)
    for k in range(1, len(levels)):  # ties (a collapsed interval) become a very steep CDF
        u[..., k] = np.maximum(u[..., k], u[..., k - 1] + 1e-9)
    z = ndtri(levels)
    cdf = [_piecewise_gaussian_cdf(u, z, np.log1p(bound)) for bound in GRADE_UPPER_BOUNDS]
    edges = np.stack([np.zeros_like(cdf[0]), *cdf, np.ones_like(cdf[0])], axis=-1)
    probabilities = np.diff(edges, axis=-1)
    missing = ~np.all(np.isfinite(values), axis=-1)
    probabilities[missing] = np.nan
    return probabilities


def _piecewise_gaussian_cdf(u: np.ndarray, z: np.ndarray, point: float) -> np.ndarray:
    segment = np.clip((u <= point).sum(axis=-1) - 1, 0, len(z) - 2)
    lo = np.take_along_axis(u, segment[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(u, segment[..., None] + 1, axis=-1)[..., 0]
    score = z[segment] + (point - lo) * (z[segment + 1] - z[segment]) / (hi - lo)
    return ndtr(score)


def mae(actual, predicted) -> float:
    return float(np.mean(np.abs(np.asarray(actual, float) - np.asarray(predicted, float))))


def rmse(actual, predicted) -> float:
    return float(np.sqrt(np.mean((np.asarray(actual, float) - np.asarray(predicted, float)) ** 2)))


def interval_coverage(actual, lower, upper) -> float:
    """Share of actuals inside ``[lower, upper]`` (bounds included)."""
    actual = np.asarray(actual, float)
    return float(
        np.mean((actual >= np.asarray(lower, float)) & (actual <= np.asarray(upper, float)))
    )


def grade_accuracy(actual, predicted) -> float:
    """Share of days whose forecast grade equals the observed grade."""
    return float(np.mean(grade_index(actual) == grade_index(predicted)))


def metrics_table(scored: pd.DataFrame) -> pd.DataFrame:
    """Per model, target and horizon scores of forecasts joined with their actuals.

    ``scored`` has columns ``model, target, horizon, actual, p50`` and, for models with
    intervals, ``p10, p90``. Rows without an actual are not scored. ``coverage80`` is empty for a
    model without intervals and ``grade_accuracy`` is empty for temperature.
    """
    scored = scored[np.isfinite(scored["actual"].to_numpy(dtype=float))]
    rows = []
    for (model, target, horizon), group in scored.groupby(["model", "target", "horizon"]):
        has_interval = {"p10", "p90"} <= set(group.columns) and group[
            ["p10", "p90"]
        ].notna().all().all()
        rows.append(
            {
                "model": model,
                "target": target,
                "horizon": int(horizon),
                "mae": mae(group["actual"], group["p50"]),
                "rmse": rmse(group["actual"], group["p50"]),
                "coverage80": (
                    interval_coverage(group["actual"], group["p10"], group["p90"])
                    if has_interval
                    else np.nan
                ),
                "grade_accuracy": (
                    grade_accuracy(group["actual"], group["p50"])
                    if target == PM10_TARGET
                    else np.nan
                ),
                "n": len(group),
            }
        )
    table = pd.DataFrame(rows, columns=list(METRICS_COLUMNS))
    return sort_metrics(table)


def sort_metrics(table: pd.DataFrame) -> pd.DataFrame:
    """Models in the order lstm, persistence, climatology, linear; then target, horizon."""
    model_rank = {m: i for i, m in enumerate(MODEL_ORDER)}
    target_rank = {t: i for i, t in enumerate(TARGETS)}
    order = table.assign(
        _m=table["model"].map(lambda m: model_rank.get(m, len(model_rank))),
        _t=table["target"].map(lambda t: target_rank.get(t, len(target_rank))),
    ).sort_values(["_m", "model", "_t", "horizon"], kind="stable")
    return order.drop(columns=["_m", "_t"]).reset_index(drop=True)


def mean_mae_by_target(table: pd.DataFrame, model: str) -> pd.Series:
    """Mean over horizons of a model's MAE, per target."""
    rows = table[table["model"] == model]
    return rows.groupby("target")["mae"].mean().reindex(list(TARGETS))

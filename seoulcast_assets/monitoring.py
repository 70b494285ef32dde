"""Is the champion still good? Score past forecasts against what happened; watch the inputs.

Two signals, both measured against what is normal for this model and this climate, so that an
ordinary week does not look like trouble (the original system's trigger fired every time):

* **Forecast error.** Every stored forecast is scored against the observation once it arrives:
  MAE per target and lead over a trailing window, compared with the champion's own backtest MAE.
  A ratio near 1 is normal; the retrain sensor acts on a configurable factor above it.

* **Input drift.** Weather persists: a warm month is not drift, yet it shifts a naive
  histogram comparison far beyond any fixed PSI threshold (on Seoul's record a 0.25 threshold on
  30-day windows fires on most weeks). So each variable is first turned into seasonal
  anomalies standardised on a reference period (the last ``reference_years`` before the model's
  training cut), the population stability index (PSI) of the recent window is computed on
  ``bins`` quantile bins of the reference, and it is divided by the ``null_quantile`` of the PSIs
  of every same-length window *inside* the reference: the drift ratio. A ratio above 1 means the
  recent inputs differ from the training inputs more than natural variability did in 99% of
  windows; sensor faults (a stuck value, a gain change) give ratios well above that.

Nothing here knows Dagster or MLflow: the monitoring asset and the retrain sensor use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from seoulcast_assets.ml.variables import HORIZONS, PM10_TARGET, TARGETS


@dataclass(frozen=True)
class DriftSettings:
    window_days: int = 60
    reference_years: float = 3.0
    bins: int = 5
    null_quantile: float = 0.99
    min_days: int = 45
    """Fewer observed days than this in the recent window: no drift measure for the variable."""


# -- forecast error --------------------------------------------------------------------------


def score_forecasts(
    documents: Iterable[Mapping], observations: pd.DataFrame, first_day: date, last_day: date
) -> pd.DataFrame:
    """Absolute errors of every stored forecast for a day in ``first_day..last_day``.

    ``documents`` are forecast documents (docs/object-store.md); ``observations`` is indexed by
    date with the target columns. Returns one row per (issue date, target, horizon) that has an
    observation: ``issue_date, date, target, horizon, forecast, observed, error``.
    """
    rows = []
    for document in documents:
        for day in document["days"]:
            when = date.fromisoformat(day["date"])
            if not first_day <= when <= last_day:
                continue
            for target in TARGETS:
                forecast = day[target]["p50"]
                observed = _observed(observations, when, target)
                if observed is None or forecast is None:
                    continue
                rows.append(
                    {
                        "issue_date": date.fromisoformat(document["issue_date"]),
                        "date": when,
                        "target": target,
                        "horizon": int(day["lead_days"]),
                        "forecast": float(forecast),
                        "observed": observed,
                        "error": abs(float(forecast) - observed),
                    }
                )
    columns = ["issue_date", "date", "target", "horizon", "forecast", "observed", "error"]
    return pd.DataFrame(rows, columns=columns)


def _observed(observations: pd.DataFrame, when: date, target: str) -> float | None:
    try:
        value = observations.at[pd.Timestamp(when), target]
    except KeyError:
        return None
    return None if pd.isna(value) else float(value)


def rolling_mae(errors: pd.DataFrame) -> pd.DataFrame:
    """MAE and count per target and horizon of :func:`score_forecasts` rows."""
    if errors.empty:
        return pd.DataFrame(columns=["target", "horizon", "mae", "n"])
    grouped = errors.groupby(["target", "horizon"])["error"]
    return grouped.agg(mae="mean", n="size").reset_index()


def error_ratios(recent: pd.DataFrame, backtest: pd.DataFrame) -> pd.DataFrame:
    """Per target: recent MAE over the backtest MAE of the same horizons (n-weighted).

    ``backtest`` has the metrics table's columns (``target, horizon, mae``) for one model.
    """
    merged = recent.merge(
        backtest[["target", "horizon", "mae"]], on=["target", "horizon"], suffixes=("", "_backtest")
    )
    rows = []
    for target, group in merged.groupby("target"):
        weights = group["n"].to_numpy(dtype=float)
        recent_mae = float(np.average(group["mae"], weights=weights))
        backtest_mae = float(np.average(group["mae_backtest"], weights=weights))
        rows.append(
            {
                "target": target,
                "recent_mae": recent_mae,
                "backtest_mae": backtest_mae,
                "ratio": recent_mae / backtest_mae if backtest_mae > 0 else float("inf"),
                "n": int(weights.sum()),
                "days": int(group["n"].max()),
            }
        )
    return pd.DataFrame(
        rows, columns=["target", "recent_mae", "backtest_mae", "ratio", "n", "days"]
    )


# -- input drift -----------------------------------------------------------------------------


def _harmonics(day_of_year: np.ndarray) -> np.ndarray:
    angle = 2 * np.pi * day_of_year / 365.25
    return np.column_stack(
        [np.ones(len(angle)), np.sin(angle), np.cos(angle), np.sin(2 * angle), np.cos(2 * angle)]
    )


def seasonal_standardizer(reference: pd.Series) -> Callable[[pd.Series], np.ndarray]:
    """Fit a smooth seasonal mean and spread on ``reference``; return value -> z-anomaly."""
    reference = reference.dropna()
    design = _harmonics(reference.index.dayofyear.to_numpy())
    mean_coef, *_ = np.linalg.lstsq(design, reference.to_numpy(), rcond=None)
    spread = np.abs(reference.to_numpy() - design @ mean_coef)
    spread_coef, *_ = np.linalg.lstsq(design, spread, rcond=None)

    def standardize(series: pd.Series) -> np.ndarray:
        series = series.dropna()
        x = _harmonics(series.index.dayofyear.to_numpy())
        return (series.to_numpy() - x @ mean_coef) / np.maximum(x @ spread_coef, 1e-6)

    return standardize


def population_stability_index(reference: np.ndarray, current: np.ndarray, bins: int = 5) -> float:
    """PSI of ``current`` against ``reference`` on the reference's quantile bins."""
    edges = np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1])
    expected = np.bincount(np.searchsorted(edges, reference), minlength=bins) / len(reference)
    actual = np.bincount(np.searchsorted(edges, current), minlength=bins)
    return float(_psi(expected, actual[None, :] / len(current))[0])


def _psi(expected: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """PSI of each row of ``actual`` (bin shares) against ``expected``."""
    expected, actual = np.clip(expected, 1e-4, None), np.clip(actual, 1e-4, None)
    return np.sum((actual - expected) * np.log(actual / expected), axis=-1)


def _window_psis(
    bin_of_day: np.ndarray, expected: np.ndarray, window: int, min_days: int
) -> np.ndarray:
    """PSI of every ``window``-day calendar window (bin index per day, -1 when missing)."""
    bins = len(expected)
    one_hot = np.zeros((len(bin_of_day) + 1, bins))
    observed = bin_of_day >= 0
    one_hot[1:][observed, bin_of_day[observed]] = 1.0
    cumulative = one_hot.cumsum(axis=0)
    counts = cumulative[window:] - cumulative[:-window]
    totals = counts.sum(axis=1)
    enough = totals >= min_days
    return _psi(expected, counts[enough] / totals[enough, None])


def input_drift(
    history: pd.DataFrame,
    reference_end: date,
    as_of: date,
    settings: DriftSettings = DriftSettings(),
) -> pd.DataFrame:
    """Drift of each target's recent window against the reference before ``reference_end``.

    Returns ``variable, psi, threshold, ratio, days`` (ratio NaN when too few recent days).
    PM10 is compared on ``log1p``, like the models see it.
    """
    reference_end = pd.Timestamp(reference_end)
    as_of = pd.Timestamp(as_of)
    reference_start = reference_end - pd.Timedelta(days=round(settings.reference_years * 365.25))
    window = settings.window_days
    rows = []
    for variable in TARGETS:
        series = history[variable].astype(float)
        if variable == PM10_TARGET:
            series = np.log1p(series.clip(lower=0))
        reference = series[(series.index > reference_start) & (series.index <= reference_end)]
        recent = series[
            (series.index > as_of - pd.Timedelta(days=window)) & (series.index <= as_of)
        ]
        reference, recent = reference.dropna(), recent.dropna()
        row = {
            "variable": variable,
            "psi": np.nan,
            "threshold": np.nan,
            "ratio": np.nan,
            "days": len(recent),
        }
        if len(recent) >= settings.min_days and len(reference) > 2 * window:
            standardize = seasonal_standardizer(reference)
            reference_z = standardize(reference)
            edges = np.quantile(reference_z, np.linspace(0, 1, settings.bins + 1)[1:-1])
            expected = np.bincount(np.searchsorted(edges, reference_z), minlength=settings.bins)
            expected = expected / len(reference_z)
            calendar = pd.Series(-1, index=pd.date_range(reference.index[0], reference_end))
            calendar[reference.index] = np.searchsorted(edges, reference_z)
            null = _window_psis(calendar.to_numpy(), expected, window, settings.min_days)
            current = np.bincount(
                np.searchsorted(edges, standardize(recent)), minlength=settings.bins
            )
            psi = float(_psi(expected, current[None, :] / len(recent))[0])
            threshold = float(np.quantile(null, settings.null_quantile))
            row.update(psi=psi, threshold=threshold, ratio=psi / threshold)
        rows.append(row)
    return pd.DataFrame(rows, columns=["variable", "psi", "threshold", "ratio", "days"])


# -- the decision ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RetrainThresholds:
    error_factor: float = 1.5
    """Retrain when a target's recent MAE exceeds this multiple of its backtest MAE."""
    drift_factor: float = 2.0
    """Retrain when a variable's drift ratio exceeds this. Checked every day of 2012-2018 with
    the model retrained a week before, 2.0 fires on 2.9% of days (1.5: 4.1%, 1.0: 10.1%), mostly
    in record heat or cold spells; a PM10 gain fault or a stuck thermometer exceeds it many times.
    """
    min_scored_days: int = 20
    """Judge forecast error only when at least this many days were scored."""


def retrain_reasons(
    ratios: Mapping[str, float],
    scored_days: int,
    drift: Mapping[str, float],
    thresholds: RetrainThresholds = RetrainThresholds(),
) -> list[str]:
    """Why the champion should be retrained now (empty: it should not)."""
    reasons = []
    if scored_days >= thresholds.min_scored_days:
        for target, ratio in sorted(ratios.items()):
            if ratio > thresholds.error_factor:
                reasons.append(
                    f"{target} error is {ratio:.2f}x its backtest MAE "
                    f"(limit {thresholds.error_factor:g}x, {scored_days} days scored)"
                )
    for variable, ratio in sorted(drift.items()):
        if ratio is not None and np.isfinite(ratio) and ratio > thresholds.drift_factor:
            reasons.append(
                f"{variable} input drift ratio {ratio:.2f} (limit {thresholds.drift_factor:g})"
            )
    return reasons


def issue_dates_to_score(as_of: date, window_days: int) -> tuple[date, date]:
    """Issue dates whose forecasts can cover ``as_of - window_days + 1 .. as_of``."""
    first_target = as_of - timedelta(days=window_days - 1)
    return first_target - timedelta(days=max(HORIZONS) - 1), as_of

"""The linear anchor: a ridge forecast the network corrects, fit in closed form.

A network trained by SGD for a few epochs on a century of temperature windows and a few years of
PM10 windows never quite reaches the least-squares solution of even a linear model, least of all
for PM10. So the forecaster first fits, per target and horizon, a ridge regression of the target
anomaly on the last week of inputs and the context (the features of ``features.py``), on the
*training* windows only, using only windows where that target was observed. Its residual
quantiles give the starting width of every quantile.

The network then starts out as exactly this anchor (its correction layer is zero at
initialisation) and training only keeps a correction that lowers the validation loss.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from seoulcast_assets.ml.inputs.features import DYNAMIC_FEATURES
from seoulcast_assets.ml.inputs.variables import PM10_TARGET, TARGETS, TEMPERATURE_TARGETS
from seoulcast_assets.ml.inputs.windows import WindowSet

ANCHOR_DAYS = 7
"""Days of inputs (the most recent) the anchor regresses on."""

RIDGE_PENALTIES: dict[str, tuple[float, ...]] = {
    **{target: (1.0, 10.0, 100.0, 1000.0, 10000.0) for target in TEMPERATURE_TARGETS},
    PM10_TARGET: (1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0),
}
"""The candidate penalties of each target's regressions. PM10's reach almost all the way to the
climatological normal (on a few thousand windows, 10,000 still leaves a quarter of the fit): a
week ahead, PM10 is barely predictable from the last week."""

ROBUST_TARGETS: tuple[str, ...] = (PM10_TARGET,)
"""Targets fit with the Huber loss instead of squares. Even in ``log1p``, PM10 has a heavy upper
tail (yellow-dust days at several times the normal) that bends a least-squares line; on the
inner years a Huber fit lowered PM10 MAE at D+1..D+4. Temperature anomalies are close to
Gaussian."""

HUBER_K = 1.345
"""Huber threshold in robust standard deviations of the residuals (the usual choice, 95%
efficiency under Gaussian errors)."""

YEAR_CROSS_VALIDATED_TARGETS: tuple[str, ...] = (PM10_TARGET,)
"""Targets whose penalty is chosen by leave-one-year-out over all their windows. PM10 has only a
few years: chosen on one of them, the penalty jumped between 1 and 10,000 from one horizon to
the next and from one yearly refit to the next. The other targets use
:func:`forward_chained_penalties`: on the inner years, leave-one-year-out over 60 years of
temperature chose less shrinkage and lost at D+1 (ta_avg 1.529 °C against 1.519)."""

FORWARD_CHAINED_YEARS = 3
"""How many of the most recent years choose a temperature penalty, each forecast by a fit on
the years before it. Chosen on the held-out year alone, temperature penalties jumped (ta_max
through 2012: 1000, 1000, 1000, 100, 10000, 100, 100 by horizon); over three years they rise
smoothly with the horizon (100 at D+1, 1000 beyond D+2 or D+3). On the inner years, 3, 5 and
10 years all lowered the MAE averaged over the 28 cells: by 0.11%, 0.05% and 0.12% in a first
version, whose fits also took the windows ending in the first week of the forecast year (with
10, one cell's coverage fell to 75.9%); this version, with 3, by 0.14%, lower in 13
temperature cells and higher in 1 (PM10 unchanged)."""


def anchor_features(dynamic: np.ndarray, context: np.ndarray) -> np.ndarray:
    """``(windows, features)``: the last ``ANCHOR_DAYS`` input days, flattened, and the context."""
    recent = dynamic[:, -ANCHOR_DAYS:, :].reshape(len(dynamic), -1)
    return np.concatenate([recent, context], axis=1)


def anchor_inputs(
    target: str, n_context: int, features: tuple[str, ...] = DYNAMIC_FEATURES
) -> np.ndarray:
    """Which anchor features each target's regression may use (``features``: the per-day
    feature names of the windows).

    Temperature, learnt from decades of windows, uses all of them. PM10 has only a few years
    of windows, so its anchor is the plain lagged-anomaly regression (the last week's anomalies
    of the four targets and of the weather elements): season and context terms fit on three or
    four years would mostly fit noise.
    """
    per_day = np.zeros(len(features), dtype=bool)
    if target == PM10_TARGET:
        per_day[[i for i, f in enumerate(features) if f.startswith("z_")]] = True
        return np.concatenate([np.tile(per_day, ANCHOR_DAYS), np.zeros(n_context, dtype=bool)])
    return np.ones(ANCHOR_DAYS * len(features) + n_context, dtype=bool)


@dataclass(frozen=True)
class LinearAnchor:
    weight: np.ndarray  # (features, horizons * targets)
    bias: np.ndarray  # (horizons * targets,)
    residual_quantiles: np.ndarray  # (horizons, targets, quantile levels)
    penalty: np.ndarray  # (horizons, targets), the ridge penalty chosen for each


def fit_linear_anchor(
    train: WindowSet,
    validation: WindowSet,
    quantiles,
    penalties: Mapping[str, Sequence[float]] = RIDGE_PENALTIES,
    min_windows: int = 50,
    features: tuple[str, ...] = DYNAMIC_FEATURES,
    searched: Sequence[int] | None = None,
) -> LinearAnchor:
    """Fit per (horizon, target) on the training windows where that target was observed.

    The penalty of each regression is the one, among its target's ``penalties``, whose median
    forecast has the lowest MAE out of sample, over the windows of ``train`` and ``validation``:
    on each of the last :data:`FORWARD_CHAINED_YEARS` years forecast from the years before it,
    or for :data:`YEAR_CROSS_VALIDATED_TARGETS` on each year left out in turn. Short horizons
    want little shrinkage, long ones more (PM10's almost all, towards the climatological
    normal). Only the training windows enter the fit itself. A target with fewer than
    ``min_windows`` observed windows gets a zero forecast (the normal) and unit-normal residual
    quantiles. Only the targets at the positions ``searched`` (all when None) have their penalty
    searched; the others, whose forecasts the caller does not read, get the largest candidate.
    """
    pooled = WindowSet.concat(train, validation)
    penalty = np.column_stack([
        np.full(train.targets.shape[1], max(penalties[target]))
        if searched is not None and t not in searched
        else leave_one_year_out_penalties(pooled, t, penalties[target], min_windows, features)
        if target in YEAR_CROSS_VALIDATED_TARGETS
        else forward_chained_penalties(
            pooled, t, penalties[target], min_windows=min_windows, features=features
        )
        for t, target in enumerate(TARGETS)
    ])  # fmt: skip
    return refit_linear_anchor(train, quantiles, penalty, min_windows, features)


def refit_linear_anchor(
    windows: WindowSet,
    quantiles,
    penalty: np.ndarray,
    min_windows: int = 50,
    features: tuple[str, ...] = DYNAMIC_FEATURES,
) -> LinearAnchor:
    """Fit on ``windows`` (e.g. training and validation together) with given penalties
    (``(horizons, targets)``; NaN: no fit, the normal)."""
    from scipy.special import ndtri

    _, horizons, targets = windows.targets.shape
    if targets != len(TARGETS):
        raise ValueError("windows must hold every target")
    levels = np.asarray(quantiles, dtype=float)
    used_per_target = [
        anchor_inputs(target, windows.context.shape[1], features) for target in TARGETS
    ]
    weight = np.zeros((len(used_per_target[0]), horizons * targets))
    bias = np.zeros(horizons * targets)
    residual_quantiles = np.broadcast_to(ndtri(levels), (horizons, targets, len(levels))).copy()
    for t in range(targets):
        A, y, _ = _regression(windows, t, min_windows, features)
        for h in range(horizons):
            if y[h] is None or np.isnan(penalty[h, t]):
                continue
            beta = _fit_regression(TARGETS[t], _Design(A[h], y[h]), float(penalty[h, t]))
            weight[used_per_target[t], h * targets + t] = beta[:-1]
            bias[h * targets + t] = beta[-1]
            residual_quantiles[h, t] = np.quantile(y[h] - A[h] @ beta, levels)
    return LinearAnchor(weight, bias, residual_quantiles, np.asarray(penalty, dtype=float))


def forward_chained_penalties(
    windows: WindowSet,
    t: int,
    penalties: Sequence[float],
    years: int = FORWARD_CHAINED_YEARS,
    min_windows: int = 50,
    features: tuple[str, ...] = DYNAMIC_FEATURES,
) -> np.ndarray:
    """``(horizons,)``: for target ``t``, the penalty with the lowest MAE summed over the last
    ``years`` calendar years of the windows' origins, each forecast (as the forecaster is used)
    by a fit on the windows that end before that year begins."""
    A, y, origins = _regression(windows, t, min_windows, features)
    horizon_days = windows.targets.shape[1]
    chosen = np.full(len(y), np.nan)
    for h in range(len(y)):
        folds = [] if y[h] is None else _forward_folds(origins[h], years, horizon_days, min_windows)
        if not folds:
            chosen[h] = np.nan if y[h] is None else penalties[0]
            continue

        fits = [_Design(A[h][before], y[h][before]) for before, _ in folds]

        def forecast_error(penalty, h=h, folds=folds, fits=fits):
            error = 0.0
            for (_, year), fit in zip(folds, fits, strict=True):
                beta, shift = _fit_with_median_shift(TARGETS[t], fit, penalty)
                error += np.abs(y[h][year] - A[h][year] @ beta - shift).sum()
            return error

        chosen[h] = _with_lowest_error(penalties, forecast_error)
    return chosen


def _forward_folds(origins: pd.DatetimeIndex, years: int, horizon_days: int, min_windows: int):
    """For each of the last ``years`` calendar years of ``origins``: the windows that end before
    it begins (enough of them to fit) and the windows of that year, as two boolean masks."""
    folds = []
    for year in np.unique(origins.year)[-years:]:
        year_start = pd.Timestamp(year=year, month=1, day=1)
        before = np.asarray(origins + pd.Timedelta(days=horizon_days) < year_start)
        if before.sum() >= min_windows:
            folds.append((before, np.asarray(origins.year == year)))
    return folds


def leave_one_year_out_penalties(
    windows: WindowSet,
    t: int,
    penalties: Sequence[float],
    min_windows: int = 50,
    features: tuple[str, ...] = DYNAMIC_FEATURES,
) -> np.ndarray:
    """``(horizons,)``: for target ``t``, the penalty with the lowest MAE summed over the calendar
    years of the windows' origins, each predicted by a fit on the other years."""
    A, y, origins = _regression(windows, t, min_windows, features)
    chosen = np.full(len(y), np.nan)
    for h in range(len(y)):
        years = None if y[h] is None else np.asarray(origins[h].year)
        folds = [] if years is None else [years == year for year in np.unique(years)]
        if len(folds) < 2:
            chosen[h] = np.nan if y[h] is None else penalties[0]
            continue

        fits = [_Design(A[h][~out], y[h][~out]) for out in folds]

        def cross_validation_error(penalty, h=h, folds=folds, fits=fits):
            error = 0.0
            for out, fit in zip(folds, fits, strict=True):
                beta, shift = _fit_with_median_shift(TARGETS[t], fit, penalty)
                error += np.abs(y[h][out] - A[h][out] @ beta - shift).sum()
            return error

        chosen[h] = _with_lowest_error(penalties, cross_validation_error)
    return chosen


def _with_lowest_error(penalties: Sequence[float], error_of) -> float:
    return penalties[int(np.argmin([error_of(penalty) for penalty in penalties]))]


def _regression(windows: WindowSet, t: int, min_windows: int, features: tuple[str, ...]):
    """Per horizon, for target ``t``: the design (the target's inputs and the intercept), the
    anomalies and the origins (a ``DatetimeIndex``) of the windows where the target was observed
    (three lists; ``None`` at a horizon with fewer than ``min_windows``)."""
    X = _with_intercept(anchor_features(windows.dynamic, windows.context))
    used = np.append(anchor_inputs(TARGETS[t], windows.context.shape[1], features), True)
    all_origins = pd.DatetimeIndex(windows.origins)
    A, y, origins = [], [], []
    for h in range(windows.targets.shape[1]):
        observed = windows.mask[:, h, t] > 0
        enough = observed.sum() >= min_windows
        A.append(X[observed][:, used] if enough else None)
        y.append(windows.targets[observed, h, t].astype(np.float64) if enough else None)
        origins.append(all_origins[observed] if enough else None)
    return A, y, origins


class _Design:
    """A regression's design ``A`` and anomalies ``y`` with their normal equations
    (``A'A``, ``A'y``) computed once, so that every candidate penalty and every Huber
    reweighting of the same rows reuses them instead of multiplying ``A`` out again."""

    def __init__(self, A: np.ndarray, y: np.ndarray):
        self.A, self.y = A, y
        self.gram = A.T @ A
        self.moment = A.T @ y


def _fit_with_median_shift(target: str, design: _Design, penalty: float):
    """Coefficients and the median residual (added to forecast the median)."""
    beta = _fit_regression(target, design, penalty)
    return beta, np.median(design.y - design.A @ beta)


def _fit_regression(target: str, design: _Design, penalty: float) -> np.ndarray:
    if target in ROBUST_TARGETS:
        return _huber_fit(design, penalty)
    return _solve_ridge(design.gram, design.moment, penalty)


def _with_intercept(features: np.ndarray) -> np.ndarray:
    features = features.astype(np.float64)
    return np.column_stack([features, np.ones(len(features))])


def _solve_ridge(gram: np.ndarray, moment: np.ndarray, penalty: float) -> np.ndarray:
    """The ridge solution from the normal equations, the last column (the intercept) not
    shrunk."""
    shrink = penalty * np.eye(len(gram))
    shrink[-1, -1] = 0.0
    return np.linalg.solve(gram + shrink, moment)


def huber_ridge(
    A: np.ndarray, y: np.ndarray, penalty: float, iterations: int = 50, tol: float = 1e-8
) -> np.ndarray:
    """Ridge with the Huber loss instead of squares, by iteratively reweighted least squares.

    Residuals further than ``HUBER_K`` robust standard deviations (1.4826 × the median absolute
    deviation) from their median count linearly, so a few extreme days cannot pull the fit.
    """
    return _huber_fit(_Design(A, y), penalty, iterations, tol)


def _huber_fit(
    design: _Design, penalty: float, iterations: int = 50, tol: float = 1e-8
) -> np.ndarray:
    """:func:`huber_ridge` on a design whose normal equations are already computed. Only the
    rows weighted below 1 change them, so each reweighting subtracts those rows' share (a fifth
    of the rows or so) instead of multiplying the whole design out again."""
    A, y = design.A, design.y
    beta = _solve_ridge(design.gram, design.moment, penalty)
    for _ in range(iterations):
        residual = y - A @ beta
        distance = np.abs(residual - np.median(residual))
        scale = 1.4826 * np.median(distance)
        if scale <= 0:
            break
        weights = np.minimum(1.0, HUBER_K * scale / np.maximum(distance, 1e-12))
        down = weights < 1.0
        lost, A_down = 1.0 - weights[down], A[down]
        updated = _solve_ridge(
            design.gram - (A_down * lost[:, None]).T @ A_down,
            design.moment - A_down.T @ (lost * y[down]),
            penalty,
        )
        converged = np.max(np.abs(updated - beta)) < tol
        beta = updated
        if converged:
            break
    return beta

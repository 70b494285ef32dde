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

from dataclasses import dataclass

import numpy as np

from seoulcast_assets.ml.features import DYNAMIC_FEATURES
from seoulcast_assets.ml.variables import PM10_TARGET, TARGETS
from seoulcast_assets.ml.windows import WindowSet

ANCHOR_DAYS = 7
"""Days of inputs (the most recent) the anchor regresses on."""


def anchor_features(dynamic: np.ndarray, context: np.ndarray) -> np.ndarray:
    """``(windows, features)``: the last ``ANCHOR_DAYS`` input days, flattened, and the context."""
    recent = dynamic[:, -ANCHOR_DAYS:, :].reshape(len(dynamic), -1)
    return np.concatenate([recent, context], axis=1)


def anchor_inputs(target: str, n_context: int) -> np.ndarray:
    """Which anchor features each target's regression may use.

    Temperature, learnt from decades of windows, uses all of them. PM10 has only a few years
    of windows, so its anchor is the plain lagged-anomaly regression (the last week's four
    anomalies): season and context terms fit on three or four years would mostly fit noise.
    """
    per_day = np.zeros(len(DYNAMIC_FEATURES), dtype=bool)
    if target == PM10_TARGET:
        per_day[[DYNAMIC_FEATURES.index(f"z_{t}") for t in TARGETS]] = True
        return np.concatenate([np.tile(per_day, ANCHOR_DAYS), np.zeros(n_context, dtype=bool)])
    return np.ones(ANCHOR_DAYS * len(DYNAMIC_FEATURES) + n_context, dtype=bool)


RIDGE_PENALTIES: tuple[float, ...] = (1.0, 10.0, 100.0, 1000.0, 10000.0)


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
    penalties=RIDGE_PENALTIES,
    min_windows: int = 50,
) -> LinearAnchor:
    """Ridge fit per (horizon, target) on the training windows where that target was observed.

    The penalty of each regression is the one, among ``penalties``, whose median forecast has
    the lowest MAE on the validation windows: short PM10 horizons want little shrinkage, long
    ones almost all of it (towards the climatological normal). Only the training windows enter
    the fit itself. A target with fewer than ``min_windows`` observed windows gets a zero
    forecast (the normal) and unit-normal residual quantiles.
    """
    X_val = _with_intercept(anchor_features(validation.dynamic, validation.context))

    def choose(t, h, used, fits):
        held = validation.mask[:, h, t] > 0
        if held.sum() < min_windows:
            return fits[0]
        actual = validation.targets[held, h, t]
        return min(
            fits,
            key=lambda fit: np.mean(np.abs(actual - X_val[held][:, used] @ fit[1] - fit[2])),
        )

    return _fit(train, quantiles, lambda t, h: penalties, choose, min_windows)


def refit_linear_anchor(
    windows: WindowSet, quantiles, penalty: np.ndarray, min_windows: int = 50
) -> LinearAnchor:
    """Fit again on ``windows`` (e.g. training and validation together) with given penalties."""
    return _fit(
        windows,
        quantiles,
        lambda t, h: [] if np.isnan(penalty[h, t]) else [float(penalty[h, t])],
        lambda t, h, used, fits: fits[0],
        min_windows,
    )


def _fit(windows: WindowSet, quantiles, penalties_for, choose, min_windows) -> LinearAnchor:
    from scipy.special import ndtri

    _, horizons, targets = windows.targets.shape
    if targets != len(TARGETS):
        raise ValueError("windows must hold every target")
    levels = np.asarray(quantiles, dtype=float)
    X = _with_intercept(anchor_features(windows.dynamic, windows.context))
    weight = np.zeros((X.shape[1] - 1, horizons * targets))
    bias = np.zeros(horizons * targets)
    residual_quantiles = np.broadcast_to(ndtri(levels), (horizons, targets, len(levels))).copy()
    chosen = np.full((horizons, targets), np.nan)
    for t, target in enumerate(TARGETS):
        used = np.append(anchor_inputs(target, windows.context.shape[1]), True)
        for h in range(horizons):
            observed = windows.mask[:, h, t] > 0
            candidates = penalties_for(t, h)
            if observed.sum() < min_windows or not candidates:
                continue
            A = X[observed][:, used]
            y = windows.targets[observed, h, t].astype(np.float64)
            fits = []
            for penalty in candidates:
                beta = _ridge(A, y, penalty)
                fits.append((penalty, beta, np.median(y - A @ beta)))
            penalty, beta, _ = choose(t, h, used, fits)
            weight[used[:-1], h * targets + t] = beta[:-1]
            bias[h * targets + t] = beta[-1]
            residual_quantiles[h, t] = np.quantile(y - A @ beta, levels)
            chosen[h, t] = penalty
    return LinearAnchor(weight, bias, residual_quantiles, chosen)


def _with_intercept(features: np.ndarray) -> np.ndarray:
    features = features.astype(np.float64)
    return np.column_stack([features, np.ones(len(features))])


def _ridge(A: np.ndarray, y: np.ndarray, penalty: float) -> np.ndarray:
    """Ridge solution with the last column (the intercept) not shrunk."""
    shrink = penalty * np.eye(A.shape[1])
    shrink[-1, -1] = 0.0
    return np.linalg.solve(A.T @ A + shrink, A.T @ y)

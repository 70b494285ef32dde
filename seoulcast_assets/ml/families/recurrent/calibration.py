"""Interval calibration on a held-out slice of the training period.

A quantile network trained to convergence on overlapping windows tends to give intervals that are
too narrow (or, after early stopping, too wide). For each target and horizon we find one factor
``s`` that stretches every quantile about the median, ``q' = p50 + s·(q - p50)``, so that
``[p10', p90']`` holds 80% of the validation actuals. ``s`` is the split-conformal quantile of the
per-window score "smallest ``s`` that covers this actual", so on exchangeable data the coverage
is at least 80% (and close to it). Stretching about the median keeps the quantiles ordered and
the median (hence MAE) unchanged.
"""

from __future__ import annotations

import numpy as np

MIN_SCALE, MAX_SCALE = 0.25, 4.0


def interval_scale_factors(
    quantiles: np.ndarray,
    actual: np.ndarray,
    mask: np.ndarray,
    lower_index: int,
    median_index: int,
    upper_index: int,
    coverage: float = 0.8,
) -> np.ndarray:
    """One factor per (horizon, target).

    ``quantiles`` is ``(windows, horizons, targets, levels)``; ``actual`` and ``mask`` are
    ``(windows, horizons, targets)``.
    """
    median = quantiles[..., median_index]
    below = np.maximum(median - quantiles[..., lower_index], 1e-9)
    above = np.maximum(quantiles[..., upper_index] - median, 1e-9)
    needed = np.where(actual < median, (median - actual) / below, (actual - median) / above)
    _, horizons, targets = actual.shape
    scales = np.ones((horizons, targets))
    for h in range(horizons):
        for t in range(targets):
            scores = needed[:, h, t][mask[:, h, t] > 0]
            if len(scores) < 20:
                continue  # too few held-out windows to calibrate; keep the network's intervals
            level = min(1.0, np.ceil((len(scores) + 1) * coverage) / len(scores))
            scales[h, t] = np.quantile(scores, level, method="higher")
    return np.clip(scales, MIN_SCALE, MAX_SCALE)


def apply_interval_scale(
    quantiles: np.ndarray, scales: np.ndarray, median_index: int
) -> np.ndarray:
    """Stretch ``(..., horizons, targets, levels)`` quantiles about their median."""
    median = quantiles[..., median_index : median_index + 1]
    return median + scales[..., None] * (quantiles - median)

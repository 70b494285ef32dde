"""How sure a backtest's MAE comparison is: paired moving-block bootstrap of MAE differences.

Two models forecast the same days in a backtest, so their errors are paired. The difference of
their MAEs is the mean, over the scored days, of ``|error_a| - |error_b|``. Those daily
differences are autocorrelated (weather regimes last days to weeks), so the bootstrap resamples
whole blocks of consecutive days (circularly, so every day is equally likely to be drawn)
instead of single days, which would make the interval too narrow.

An interval that contains 0 means the backtest cannot tell the two models apart on MAE.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

BLOCK_DAYS = 30
DRAWS = 2000
LEVEL = 0.90


def block_bootstrap_means(
    values, block: int = BLOCK_DAYS, draws: int = DRAWS, seed: int = 0
) -> np.ndarray:
    """``draws`` means of ``values`` (in time order), each over a circular moving-block
    resample of the same length."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n == 0:
        raise ValueError("no values to resample")
    if block < 1:
        raise ValueError(f"block must be at least 1 day, got {block}")
    block = min(block, n)
    blocks = -(-n // block)
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, n, size=(draws, blocks))
    index = (starts[:, :, None] + np.arange(block)).reshape(draws, blocks * block)[:, :n] % n
    return values[index].mean(axis=1)


def mean_interval(
    values, level: float = LEVEL, block: int = BLOCK_DAYS, draws: int = DRAWS, seed: int = 0
) -> tuple[float, float, float]:
    """The mean of daily ``values`` (in time order; missing days dropped) and its bootstrap
    interval at ``level``: a model's MAE from its absolute errors, a grade accuracy from
    0/1 hits, a difference of MAEs from paired differences."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    means = block_bootstrap_means(values, block, draws, seed)
    tail = (1 - level) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(values.mean()), float(low), float(high)


def mae_difference_interval(
    actual,
    forecast_a,
    forecast_b,
    level: float = LEVEL,
    block: int = BLOCK_DAYS,
    draws: int = DRAWS,
    seed: int = 0,
) -> tuple[float, float, float]:
    """``MAE(a) - MAE(b)`` and its bootstrap interval at ``level`` (days in time order; days
    missing either forecast or the actual are dropped)."""
    actual, a, b = (np.asarray(x, dtype=float) for x in (actual, forecast_a, forecast_b))
    paired = np.isfinite(actual) & np.isfinite(a) & np.isfinite(b)
    differences = np.abs(a - actual)[paired] - np.abs(b - actual)[paired]
    return mean_interval(differences, level, block, draws, seed)


def gaps_to_best_baseline(
    predictions: pd.DataFrame,
    model: str,
    baselines: Sequence[str],
    level: float = LEVEL,
    block: int = BLOCK_DAYS,
    draws: int = DRAWS,
) -> pd.DataFrame:
    """Per target and horizon, ``model``'s MAE minus that of the best baseline in the cell,
    with its bootstrap interval.

    ``predictions`` is a backtest's forecast frame (``model, target, horizon, date, actual,
    p50``). Columns: ``target, horizon, baseline, gap, low, high`` (negative = ``model`` is
    better) and ``verdict``: ``better`` or ``worse`` when the interval excludes 0, else
    ``tie``.
    """
    wide = predictions.pivot_table(
        index=["target", "horizon", "date"], columns="model", values="p50", dropna=False
    )
    actual = predictions.groupby(["target", "horizon", "date"])["actual"].first()
    wide = wide.join(actual).sort_index()
    rows = []
    for (target, horizon), cell in wide.groupby(level=["target", "horizon"], sort=True):
        cell = cell[cell["actual"].notna()]
        baseline_mae = {
            name: float(np.nanmean(np.abs(cell[name] - cell["actual"]))) for name in baselines
        }
        best = min(baseline_mae, key=baseline_mae.get)
        gap, low, high = mae_difference_interval(
            cell["actual"], cell[model], cell[best], level, block, draws,
            seed=len(rows),
        )  # fmt: skip
        verdict = "better" if high < 0 else "worse" if low > 0 else "tie"
        rows.append(
            {"target": target, "horizon": int(horizon), "baseline": best, "gap": gap,
             "low": low, "high": high, "verdict": verdict}
        )  # fmt: skip
    return pd.DataFrame(rows)

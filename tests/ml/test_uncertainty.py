import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.evaluation.uncertainty import (
    block_bootstrap_means,
    gaps_to_best_baseline,
    mae_difference_interval,
    mean_interval,
)


def ar1(n: int, phi: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=n)
    out = np.empty(n)
    out[0] = noise[0]
    for i in range(1, n):
        out[i] = phi * out[i - 1] + noise[i]
    return out


def test_resampled_means_centre_on_the_sample_mean():
    values = ar1(2000, 0.5, seed=1) + 3.0
    means = block_bootstrap_means(values, block=30, draws=4000)
    assert means.mean() == pytest.approx(values.mean(), abs=0.02)


def test_blocks_widen_the_interval_of_autocorrelated_days():
    values = ar1(2000, 0.9, seed=2)
    single_days = block_bootstrap_means(values, block=1).std()
    monthly_blocks = block_bootstrap_means(values, block=30).std()
    # The mean of an AR(1) with phi 0.9 varies about sqrt((1+phi)/(1-phi)) ≈ 4.4 times more
    # than that of independent days; resampling single days misses that.
    assert monthly_blocks > 3 * single_days


def test_mean_interval_skips_missing_days_and_holds_the_mean():
    hits = np.r_[np.ones(750), np.zeros(250), np.full(10, np.nan)]
    mean, low, high = mean_interval(hits, block=1)
    assert mean == 0.75
    # Binomial standard error sqrt(0.75 * 0.25 / 1000) = 0.0137; 90 % is about ±1.645 of it.
    assert low == pytest.approx(0.75 - 0.0225, abs=0.004)
    assert high == pytest.approx(0.75 + 0.0225, abs=0.004)


def test_a_clearly_better_model_gets_an_interval_below_zero():
    rng = np.random.default_rng(3)
    actual = rng.normal(size=1000) * 10
    good = actual + rng.normal(size=1000)
    bad = actual + rng.normal(size=1000) * 3
    gap, low, high = mae_difference_interval(actual, good, bad)
    assert low <= gap <= high < 0
    assert gap == pytest.approx(np.mean(np.abs(good - actual)) - np.mean(np.abs(bad - actual)))


def test_the_same_forecast_ties_exactly_and_missing_days_are_dropped():
    actual = np.array([1.0, 2.0, np.nan, 4.0, 5.0])
    forecast = np.array([1.5, np.nan, 3.0, 3.0, 6.0])
    assert mae_difference_interval(actual, forecast, forecast) == (0.0, 0.0, 0.0)


def test_no_paired_day_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        mae_difference_interval([np.nan], [1.0], [1.0])


def test_gap_is_taken_to_the_best_baseline_of_each_cell():
    rng = np.random.default_rng(4)
    dates = pd.date_range("2013-01-01", periods=600)
    actual = rng.normal(size=600) * 5
    errors = rng.normal(size=600)
    forecasts = {
        "lstm": actual + errors,
        "same_errors_reversed": actual + errors[::-1],  # the same MAE, other days
        "far": actual + errors * 4,
    }
    frames = [
        pd.DataFrame(
            {
                "model": model,
                "target": "ta_avg",
                "horizon": 1,
                "date": dates,
                "actual": actual,
                "p50": p50,
            }
        )  # fmt: skip
        for model, p50 in forecasts.items()
    ]
    predictions = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=0)
    gaps = gaps_to_best_baseline(predictions, "lstm", ["far", "same_errors_reversed"])
    row = gaps.iloc[0]
    assert (row.target, row.horizon, row.baseline) == ("ta_avg", 1, "same_errors_reversed")
    assert row.gap == pytest.approx(0.0, abs=1e-12)
    assert row.low < 0 < row.high
    assert row.verdict == "tie"
    assert gaps_to_best_baseline(predictions, "far", ["lstm"]).verdict.tolist() == ["worse"]
    assert gaps_to_best_baseline(predictions, "lstm", ["far"]).verdict.tolist() == ["better"]

import numpy as np
import pandas as pd

from seoulcast_assets.ml.families.recurrent.anchor import (
    ANCHOR_DAYS,
    RIDGE_PENALTIES,
    anchor_inputs,
    fit_linear_anchor,
    forward_chained_penalties,
    leave_one_year_out_penalties,
    refit_linear_anchor,
)
from seoulcast_assets.ml.inputs.features import CONTEXT_FEATURES, DYNAMIC_FEATURES
from seoulcast_assets.ml.inputs.variables import PM10_TARGET, QUANTILES, TARGETS
from seoulcast_assets.ml.inputs.windows import WindowSet

HORIZON, LOOKBACK = 7, 14
PM10 = TARGETS.index(PM10_TARGET)
LAST_PM10 = (LOOKBACK - 1, DYNAMIC_FEATURES.index(f"z_{PM10_TARGET}"))
"""Where yesterday's PM10 anomaly sits in a window's dynamic inputs."""


def synthetic_windows(targets_of, start="2008-01-01", days=4 * 365, seed=0) -> WindowSet:
    """Windows with standard-normal inputs and targets ``targets_of(last_pm10, rng)``."""
    rng = np.random.default_rng(seed)
    dynamic = rng.normal(size=(days, LOOKBACK, len(DYNAMIC_FEATURES))).astype(np.float32)
    targets = targets_of(dynamic[:, LAST_PM10[0], LAST_PM10[1]].astype(np.float64), rng)
    return WindowSet(
        origins=pd.date_range(start, periods=days),
        dynamic=dynamic,
        context=np.zeros((days, len(CONTEXT_FEATURES)), dtype=np.float32),
        targets=targets.astype(np.float32),
        mask=np.ones_like(targets, dtype=np.float32),
    )


def weight_of_last_pm10(anchor, h: int, t: int) -> float:
    row = (ANCHOR_DAYS - 1) * len(DYNAMIC_FEATURES) + DYNAMIC_FEATURES.index(f"z_{PM10_TARGET}")
    return float(anchor.weight[row, h * len(TARGETS) + t])


def test_the_pm10_regression_is_not_bent_by_a_few_extreme_days():
    """The same data for every target: 0.8 × yesterday's PM10 anomaly, plus 3% of dust days
    far above it on already-dirty days. The least-squares (temperature) fit follows the dust
    days; PM10's Huber fit keeps the slope of the other 97%."""

    def targets_of(last_pm10, rng):
        y = 0.8 * last_pm10 + rng.normal(scale=0.3, size=len(last_pm10))
        dusty = (last_pm10 > 1.0) & (rng.random(len(last_pm10)) < 0.2)
        y[dusty] += 6.0
        return np.repeat(y[:, None, None], HORIZON * len(TARGETS), axis=2).reshape(
            len(y), HORIZON, len(TARGETS)
        )

    windows = synthetic_windows(targets_of)
    anchor = refit_linear_anchor(windows, QUANTILES, np.ones((HORIZON, len(TARGETS))))
    assert abs(weight_of_last_pm10(anchor, 0, PM10) - 0.8) < 0.05
    assert weight_of_last_pm10(anchor, 0, TARGETS.index("ta_avg")) > 0.95


def test_pm10_penalty_is_chosen_over_every_year_small_where_there_is_signal():
    """D+1 follows yesterday's PM10; D+7 is noise. Left out year by year, the fit of D+1 wants
    no shrinkage and the fit of D+7 all of it (the normal)."""

    def targets_of(last_pm10, rng):
        y = rng.normal(size=(len(last_pm10), HORIZON, len(TARGETS)))
        y[:, 0, PM10] += 1.5 * last_pm10
        return y

    windows = synthetic_windows(targets_of)
    candidates = RIDGE_PENALTIES[PM10_TARGET]
    penalty = leave_one_year_out_penalties(windows, PM10, candidates)
    assert penalty[0] <= 10.0
    assert penalty[-1] == max(candidates)


def test_temperature_penalty_is_chosen_on_recent_years_forecast_from_the_years_before():
    """D+1 follows an input; the other horizons are noise. Each of the last three years is
    forecast by a fit on the years before it: D+1 wants little shrinkage, and noise the most.
    A fit that saw the year it forecasts would fit the noise and choose the least."""
    TA_AVG = TARGETS.index("ta_avg")

    def targets_of(last_pm10, rng):
        y = rng.normal(size=(len(last_pm10), HORIZON, len(TARGETS)))
        y[:, 0, TA_AVG] += 1.5 * last_pm10
        return y

    windows = synthetic_windows(targets_of, days=6 * 365)
    candidates = RIDGE_PENALTIES["ta_avg"]
    penalty = forward_chained_penalties(windows, TA_AVG, candidates, years=3)
    assert penalty[0] <= 100.0
    assert (penalty[1:] == max(candidates)).all()


def tomorrow_pm10_from_today_split() -> tuple[WindowSet, WindowSet]:
    """Training windows 2008–2010 and validation windows 2011 where D+1 PM10 is noise plus the
    last input day's PM10 anomaly (every other target pure noise)."""

    def targets_of(last_pm10, rng):
        y = rng.normal(size=(len(last_pm10), HORIZON, len(TARGETS)))
        y[:, 0, PM10] += last_pm10
        return y

    windows = synthetic_windows(targets_of)
    train = windows.select(np.asarray(windows.origins < "2011-01-01"))
    validation = windows.select(np.asarray(windows.origins >= "2011-01-01"))
    return train, validation


def test_fit_uses_only_the_training_windows_and_only_the_pm10_lags_for_pm10():
    train, validation = tomorrow_pm10_from_today_split()
    anchor = fit_linear_anchor(train, validation, QUANTILES)
    # the validation windows choose the penalties; the weights come from the training windows
    np.testing.assert_array_equal(
        anchor.weight, refit_linear_anchor(train, QUANTILES, anchor.penalty).weight
    )
    pooled = refit_linear_anchor(WindowSet.concat(train, validation), QUANTILES, anchor.penalty)
    assert not np.array_equal(anchor.weight, pooled.weight)
    unused = ~anchor_inputs(PM10_TARGET, len(CONTEXT_FEATURES))
    assert not anchor.weight[unused][:, PM10 :: len(TARGETS)].any()


def test_only_the_searched_targets_have_their_penalty_chosen():
    train, validation = tomorrow_pm10_from_today_split()
    every = fit_linear_anchor(train, validation, QUANTILES)
    pm10_only = fit_linear_anchor(train, validation, QUANTILES, searched=[PM10])
    np.testing.assert_array_equal(pm10_only.penalty[:, PM10], every.penalty[:, PM10])
    others = [t for t in range(len(TARGETS)) if t != PM10]
    assert (pm10_only.penalty[:, others] == max(RIDGE_PENALTIES[TARGETS[0]])).all()
    columns = np.arange(HORIZON)[:, None] * len(TARGETS) + PM10  # PM10's weights, every horizon
    np.testing.assert_array_equal(pm10_only.weight[:, columns], every.weight[:, columns])

"""How far D+1 PM10 grade accuracy could go with more inputs than the forecaster has.

    python bench/pm10_headroom.py            # inner (through 2010, scored 2011–2012) and main
                                             # (through 2012, scored 2013–2018) periods

The grade target (>= 75 % at D+1) was missed by every model. This script asks whether that is
the model or the inputs: a Huber regression of tomorrow's PM10 anomaly on the last week's
anomalies (what the forecaster's PM10 anchor reads), then with inputs the forecaster does not
have: tomorrow's day of the week, the daily PM10 maximum and minimum of the tidy CSV, and the
temperature range and day-to-day change. One fit on the training period, no refits; grades from
the median with the official cut points, and with the best cut points chosen in hindsight on
the scored days themselves (an upper bound, not a result).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from seoulcast_assets.ml.evaluation.metrics import grade_index
from seoulcast_assets.ml.families.recurrent.anchor import huber_ridge
from seoulcast_assets.ml.inputs.features import AnomalyEncoder
from seoulcast_assets.ml.inputs.history import load_history, on_calendar
from seoulcast_assets.ml.inputs.variables import PM10_TARGET, TARGETS

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PERIODS = {"inner": ("2010-12-31", "2012-12-31"), "main": ("2012-12-31", "2018-12-31")}
LAGS = 7
PENALTY = 10.0


def inputs(calendar: pd.DataFrame, z: pd.DataFrame, extra: bool) -> pd.DataFrame:
    """Row ``o``: what is known at the end of day ``o`` to forecast day ``o+1``."""
    columns = {f"{t}_lag{k}": z[t].shift(k) for t in TARGETS for k in range(LAGS)}
    if extra:
        tidy = pd.read_csv(DATA / "seoul_pm10_daily.csv", parse_dates=["date"], index_col="date")
        tidy = tidy.reindex(calendar.index)
        tomorrow = (calendar.index + pd.Timedelta(days=1)).dayofweek
        columns.update({f"weekday{d}": pd.Series(tomorrow == d, calendar.index) for d in range(6)})
        columns["log_max_over_mean"] = np.log1p(tidy.pm10_max) - np.log1p(tidy.pm10_avg)
        columns["log_mean_over_min"] = np.log1p(tidy.pm10_avg) - np.log1p(tidy.pm10_min)
        columns["temperature_range"] = calendar.ta_max - calendar.ta_min
        columns["temperature_change"] = calendar.ta_avg.diff()
    return pd.DataFrame(columns).astype(float)


def best_hindsight_accuracy(actual: np.ndarray, forecast: np.ndarray) -> float:
    best = 0.0
    for good_moderate in np.arange(15.0, 50.0, 1.0):
        for moderate_bad in np.arange(55.0, 110.0, 1.0):
            grade = np.searchsorted([good_moderate, moderate_bad, 150.0], forecast, side="left")
            best = max(best, float(np.mean(grade == actual)))
    return best


def evaluate(history: pd.DataFrame, train_end: str, test_end: str, extra: bool) -> dict:
    calendar = on_calendar(history)
    encoder = AnomalyEncoder.fit(history.loc[:train_end], LAGS)
    z = encoder.standardize(calendar)
    X = inputs(calendar, z, extra)
    y = z[PM10_TARGET].shift(-1)
    usable = X.notna().all(axis=1) & y.notna()
    target_day = calendar.index + pd.Timedelta(days=1)
    train = usable & (target_day <= pd.Timestamp(train_end))
    test = usable & (calendar.index >= train_end) & (target_day <= pd.Timestamp(test_end))
    mean, scale = X[train].mean(), X[train].std().replace(0.0, 1.0)

    def design(rows):
        return np.column_stack([((X[rows] - mean) / scale).to_numpy(), np.ones(rows.sum())])

    A = design(train)
    beta = huber_ridge(A, y[train].to_numpy(), PENALTY)
    shift = np.median(y[train].to_numpy() - A @ beta)
    days = target_day[np.asarray(test)]
    forecast = encoder.to_observation(PM10_TARGET, days, design(test) @ beta + shift)
    actual = history[PM10_TARGET].reindex(days).to_numpy()
    actual_grade = grade_index(actual)
    return {
        "mae": float(np.mean(np.abs(forecast - actual))),
        "grade_accuracy": float(np.mean(grade_index(forecast) == actual_grade)),
        "best_cut_points": best_hindsight_accuracy(actual_grade, forecast),
        "days": int(test.sum()),
    }


def main() -> int:
    history = load_history(DATA / "seoul_temp_daily.csv", DATA / "seoul_pm10_daily.csv")
    rows = []
    for period, (train_end, test_end) in PERIODS.items():
        for extra in (False, True):
            result = evaluate(history, train_end, test_end, extra)
            rows.append({"period": period, "inputs": "+extra" if extra else "lags", **result})
    print(pd.DataFrame(rows).round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

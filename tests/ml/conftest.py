from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.families.recurrent.forecaster import ForecasterConfig, train_forecaster
from seoulcast_assets.ml.inputs.history import load_history

TINY = ForecasterConfig(
    lookback=14,
    hidden_size=16,
    max_epochs=3,
    patience=2,
    batch_size=256,
    training_years=8,
    validation_days=365,
    learning_rate=3e-3,
    boosting_rounds=30,
)
"""A network (and boosters) small enough to train on a slice of the real data in seconds."""


@pytest.fixture(scope="session")
def history(shared_data) -> pd.DataFrame:
    """The real Seoul record 1907–2018 (temperature and every weather element) and 2008–2018
    (PM10)."""
    return load_history(
        shared_data / "seoul_temp_daily.csv",
        shared_data / "seoul_pm10_daily.csv",
        shared_data / "seoul_asos_daily.csv",
    )


@pytest.fixture(scope="session")
def recent_history(history) -> pd.DataFrame:
    return history.loc["2000-01-01":"2013-12-31"]


@pytest.fixture(scope="session")
def tiny_forecaster(recent_history):
    """A tiny forecaster trained through 2012-12-31 (shared: training is the slow part)."""
    return train_forecaster(recent_history, TINY, train_end="2012-12-31")


def synthetic_history(start="2000-01-01", end="2012-12-31", seed=0) -> pd.DataFrame:
    """Seasonal temperatures with AR(1) weather and log-normal PM10, for fast unit tests."""
    dates = pd.date_range(start, end, freq="D", name="date")
    rng = np.random.default_rng(seed)
    angle = 2 * np.pi * dates.dayofyear.to_numpy() / 365.25
    weather = np.zeros(len(dates))
    for i in range(1, len(dates)):
        weather[i] = 0.7 * weather[i - 1] + rng.normal(0, 2.0)
    ta_avg = 12.5 - 14.0 * np.cos(angle) + weather
    pm10 = np.exp(3.7 + 0.3 * np.cos(angle) + 0.1 * weather / 2 + rng.normal(0, 0.4, len(dates)))
    return pd.DataFrame(
        {"ta_avg": ta_avg, "ta_max": ta_avg + 5.0, "ta_min": ta_avg - 4.0, "pm10_avg": pm10},
        index=dates,
    )

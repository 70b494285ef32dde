import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.inputs.climatology import SeasonalClimatology, years_since_epoch


def test_recovers_a_seasonal_cycle_with_trend_and_a_seasonal_spread():
    dates = pd.date_range("1990-01-01", "2009-12-31")
    t = years_since_epoch(dates)
    angle = 2 * np.pi * t
    spread = 3.0 + 1.5 * np.cos(angle)  # winters vary more than summers
    rng = np.random.default_rng(1)
    values = 12.0 + 0.05 * t - 14.0 * np.cos(angle) + 2.0 * np.sin(2 * angle)
    values = values + spread * rng.standard_normal(len(dates))
    climatology = SeasonalClimatology.fit(dates, values)
    future = pd.date_range("2010-01-01", "2010-12-31")
    tf = years_since_epoch(future)
    expected = 12.0 + 0.05 * tf - 14.0 * np.cos(2 * np.pi * tf) + 2.0 * np.sin(4 * np.pi * tf)
    assert np.abs(climatology.mean(future) - expected).max() < 0.35
    winter, summer = climatology.spread(["2010-01-01"])[0], climatology.spread(["2010-07-01"])[0]
    assert winter == pytest.approx(4.5, rel=0.1) and summer == pytest.approx(1.5, rel=0.15)


def test_ignores_missing_values_and_round_trips_through_a_dict():
    dates = pd.date_range("2000-01-01", "2003-12-31")
    values = np.sin(2 * np.pi * years_since_epoch(dates)) * 10
    values[::7] = np.nan
    climatology = SeasonalClimatology.fit(dates, values)
    again = SeasonalClimatology.from_dict(climatology.to_dict())
    np.testing.assert_array_equal(again.mean(dates), climatology.mean(dates))
    np.testing.assert_array_equal(again.spread(dates), climatology.spread(dates))
    assert climatology.fit_end == "2003-12-31"

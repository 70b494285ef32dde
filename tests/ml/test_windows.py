import numpy as np
import pandas as pd

from seoulcast_assets.ml.inputs.features import AnomalyEncoder
from seoulcast_assets.ml.inputs.history import on_calendar
from seoulcast_assets.ml.inputs.variables import PM10_TARGET, TARGETS
from seoulcast_assets.ml.inputs.windows import build_windows, training_origins

from .conftest import synthetic_history

LOOKBACK, HORIZON = 14, 7


def _windows(history, **kwargs):
    encoder = AnomalyEncoder.fit(history, LOOKBACK, climatology_years=None)
    encoded = encoder.encode(on_calendar(history))
    positions = training_origins(encoded, LOOKBACK, HORIZON, **kwargs)
    return encoded, positions, build_windows(encoded, positions, LOOKBACK, HORIZON)


def _span_days(origin):
    return pd.date_range(
        origin - pd.Timedelta(days=LOOKBACK - 1), origin + pd.Timedelta(days=HORIZON)
    )


def test_windows_never_touch_the_war_gap_or_a_missing_temperature(history):
    part = history.loc["1945-01-01":"1960-12-31"].copy()
    part.loc["1957-03-10", "ta_max"] = np.nan  # one missing value, not a missing day
    _, _, windows = _windows(part)
    gap = pd.date_range("1950-09-01", "1953-11-30")
    bad_days = gap.union(pd.DatetimeIndex(["1957-03-10"]))
    for origin in windows.origins:
        assert not _span_days(origin).isin(bad_days).any(), origin
    # every complete stretch is used: the windows right before and after the gap exist
    assert pd.Timestamp("1950-08-24") in windows.origins  # targets end on 1950-08-31
    assert pd.Timestamp("1950-08-25") not in windows.origins
    assert pd.Timestamp("1953-12-14") in windows.origins  # inputs start on 1953-12-01
    assert pd.Timestamp("1953-12-13") not in windows.origins


def test_absent_days_are_gaps_too():
    history = synthetic_history("2010-01-01", "2011-12-31")
    history = history.drop(pd.date_range("2011-03-01", "2011-03-03"))
    _, _, windows = _windows(history)
    for origin in windows.origins:
        assert not _span_days(origin).isin(pd.date_range("2011-03-01", "2011-03-03")).any()
    days = len(pd.date_range("2010-01-01", "2011-12-31"))
    without_gap = days - (LOOKBACK - 1) - HORIZON
    touching_gap = 3 + (LOOKBACK - 1) + HORIZON  # origins whose 21-day span meets the 3 days
    assert len(windows) == without_gap - touching_gap


def test_missing_pm10_is_masked_not_dropped():
    history = synthetic_history("2010-01-01", "2011-12-31")
    history.loc["2011-06-10", PM10_TARGET] = np.nan
    encoded, _, windows = _windows(history)
    p = TARGETS.index(PM10_TARGET)
    origin = pd.Timestamp("2011-06-08")  # targets 06-09 .. 06-15, the 2nd one is missing
    i = windows.origins.get_loc(origin)
    assert windows.mask[i, :, p].tolist() == [1, 0, 1, 1, 1, 1, 1]
    assert windows.targets[i, 1, p] == 0.0
    assert windows.mask[i, :, :p].all()  # temperature targets are all observed
    # as an input the missing day reads "not observed" with a neutral anomaly
    observed = list(encoded.dates).index(pd.Timestamp("2011-06-10"))
    assert encoded.dynamic[observed, 4] == 0.0 and encoded.dynamic[observed, p] == 0.0


def test_targets_stop_at_the_training_end():
    history = synthetic_history("2010-01-01", "2011-12-31")
    _, _, windows = _windows(history, last_target=pd.Timestamp("2011-06-30"))
    assert windows.origins.max() == pd.Timestamp("2011-06-30") - pd.Timedelta(days=HORIZON)

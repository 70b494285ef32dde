"""Nothing after the training cut C may influence a model fit with that cut, and nothing after a
forecast's last observed day may influence that forecast."""

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.families.baselines import (
    AllElementsLinear,
    ClimatologyWithTrend,
    LaggedAnomalyLinear,
    Persistence,
)
from seoulcast_assets.ml.families.recurrent.forecaster import Forecaster
from seoulcast_assets.ml.inputs.features import AnomalyEncoder
from seoulcast_assets.ml.inputs.history import on_calendar

from .conftest import TINY

CUT = pd.Timestamp("2011-06-30")
ORIGINS = pd.date_range(CUT - pd.Timedelta(days=20), CUT)  # issue dates up to C+1


def poisoned_after(history: pd.DataFrame, day) -> pd.DataFrame:
    """Every value after ``day`` replaced by absurd numbers, plus a few extra future days."""
    poisoned = history.copy()
    after = poisoned.index > pd.Timestamp(day)
    poisoned.loc[after] = 9999.0
    extra = pd.date_range(poisoned.index.max() + pd.Timedelta(days=1), periods=30, name="date")
    return pd.concat([poisoned, pd.DataFrame(-9999.0, index=extra, columns=poisoned.columns)])


@pytest.fixture(scope="module")
def histories(recent_history):
    clean = recent_history.loc["2002-01-01":"2013-12-31"]
    return clean, poisoned_after(clean, CUT)


def test_climatologies_and_anomalies_see_nothing_after_the_cut(histories):
    clean, poisoned = histories
    inputs = ("hm_avg", "ps_avg", "rn_day", "ta_min_tm")
    a = AnomalyEncoder.fit(clean.loc[:CUT], 14, inputs=inputs)
    b = AnomalyEncoder.fit(poisoned.loc[:CUT], 14, inputs=inputs)
    assert a.inputs == inputs and a.to_dict() == b.to_dict()
    encoded_a = a.encode(on_calendar(clean, end=CUT))
    encoded_b = a.encode(on_calendar(poisoned, end=CUT))
    np.testing.assert_array_equal(encoded_a.dynamic, encoded_b.dynamic)
    np.testing.assert_array_equal(encoded_a.context, encoded_b.context)


@pytest.mark.parametrize(
    "model_class", [Persistence, ClimatologyWithTrend, LaggedAnomalyLinear, AllElementsLinear]
)
def test_baselines_fit_with_a_cut_ignore_later_rows(histories, model_class):
    clean, poisoned = histories
    a = model_class().fit(clean, train_end=CUT).predict_many(clean, ORIGINS)
    b = model_class().fit(poisoned, train_end=CUT).predict_many(poisoned, ORIGINS)
    pd.testing.assert_frame_equal(a, b)


def test_forecaster_fit_with_a_cut_ignores_later_rows(histories):
    """Scalers, climatology, windows, anchor, early stopping and calibration all stop at C.

    The two fits also show that training is deterministic: same rows and config, same model.
    """
    clean, poisoned = histories
    config = TINY.replace(calibrate=True)  # the optional interval rescaling must not leak either
    a = Forecaster(config).fit(clean, train_end=CUT)
    b = Forecaster(config).fit(poisoned, train_end=CUT)
    assert a.encoder.to_dict() == b.encoder.to_dict()
    assert not np.allclose(a.interval_scales, 1.0)  # the rescaling ran
    np.testing.assert_array_equal(a.interval_scales, b.interval_scales)
    assert a.report.members == b.report.members
    pd.testing.assert_frame_equal(a.predict_many(clean, ORIGINS), b.predict_many(poisoned, ORIGINS))


def test_a_forecast_reads_nothing_after_its_last_observed_day(tiny_forecaster, recent_history):
    day = pd.Timestamp("2013-05-15")
    later_poisoned = poisoned_after(recent_history, day)
    linear_all = AllElementsLinear().fit(recent_history, "2012-12-31")
    for model in (tiny_forecaster, linear_all):
        pd.testing.assert_frame_equal(
            model.predict(recent_history, day), model.predict(later_poisoned, day)
        )

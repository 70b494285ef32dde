import pandas as pd
import pytest

from seoulcast_assets.ml.evaluation.backtest import refit_dates, walk_forward_backtest
from seoulcast_assets.ml.evaluation.metrics import METRICS_COLUMNS
from seoulcast_assets.ml.families.baselines import BASELINES, Persistence


def test_yearly_refit_dates():
    dates = refit_dates("2012-12-31", "2018-12-31", "yearly")
    assert [d.date().isoformat() for d in dates] == [
        "2012-12-31",
        "2013-12-31",
        "2014-12-31",
        "2015-12-31",
        "2016-12-31",
        "2017-12-31",
    ]
    assert refit_dates("2012-12-31", "2018-12-31", "never") == [pd.Timestamp("2012-12-31")]
    with pytest.raises(ValueError):
        refit_dates("2012-12-31", "2012-12-31")


class SpyPersistence(Persistence):
    """Records the last row each fit saw and which model forecast which day."""

    fits: list = []

    def _fit(self, history, train_end):
        self.seen_until = history.index.max()
        SpyPersistence.fits.append((train_end, self.seen_until))
        super()._fit(history, train_end)

    def _predict(self, calendar, origins):
        assert (origins >= self.seen_until).all()  # never forecasts from before its training end
        return super()._predict(calendar, origins)


def test_walk_forward_refits_and_scores_every_test_day(recent_history):
    SpyPersistence.fits = []
    result = walk_forward_backtest(
        recent_history,
        "2011-12-31",
        "2013-06-30",
        {"persistence": SpyPersistence},
        refit="quarterly",
    )
    assert [f[0].date().isoformat() for f in SpyPersistence.fits] == [
        "2011-12-31",
        "2012-03-31",
        "2012-06-30",
        "2012-09-30",
        "2012-12-31",
        "2013-03-31",
    ]
    assert all(seen <= end for end, seen in SpyPersistence.fits)
    predictions = result.predictions
    assert predictions["date"].min() == pd.Timestamp("2012-01-01")
    assert predictions["date"].max() == pd.Timestamp("2013-06-30")
    for horizon, rows in predictions[predictions.target == "ta_avg"].groupby("horizon"):
        # every test day is forecast once at each horizon (those within reach of the period)
        expected = pd.date_range(
            pd.Timestamp("2011-12-31") + pd.Timedelta(days=horizon), "2013-06-30"
        )
        assert pd.DatetimeIndex(rows["date"]).sort_values().equals(expected)
    ta_h1 = result.metrics.query("target == 'ta_avg' and horizon == 1").iloc[0]
    assert ta_h1.n == len(pd.date_range("2012-01-01", "2013-06-30"))


def test_baselines_backtest_table(recent_history):
    result = walk_forward_backtest(recent_history, "2012-06-30", "2012-12-31", BASELINES)
    table = result.metrics
    assert tuple(table.columns) == METRICS_COLUMNS
    assert len(table) == 4 * 4 * 7
    assert list(table.model.unique()) == ["persistence", "climatology", "linear", "linear_all"]
    assert table.loc[table.target == "pm10_avg", "grade_accuracy"].notna().all()
    assert table.loc[table.target != "pm10_avg", "grade_accuracy"].isna().all()
    assert table["coverage80"].between(0.5, 1.0).all()

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from seoulcast_assets.ml.evaluation.metrics import (
    METRICS_COLUMNS,
    grade_accuracy,
    grade_index,
    grade_probabilities,
    interval_coverage,
    mae,
    metrics_table,
    pm10_grade,
    rmse,
)


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (0.0, "good"),
        (30.0, "good"),
        (30.1, "moderate"),
        (31.0, "moderate"),
        (80.0, "moderate"),
        (80.4, "bad"),
        (81.0, "bad"),
        (150.0, "bad"),
        (150.2, "very_bad"),
        (151.0, "very_bad"),
        (3856.0, "very_bad"),
    ],
)
def test_grade_boundaries(value, grade):
    assert pm10_grade([value])[0] == grade


def test_missing_values_have_no_grade():
    assert pm10_grade([np.nan])[0] is None
    assert grade_index([np.nan])[0] == -1


def test_grade_accuracy_counts_matching_grades():
    actual = [30, 31, 80, 81, 150, 151]
    predicted = [29, 80, 81, 150, 151, 500]
    # matches: 30/29 good, 31/80 moderate, 81/150 bad, 151/500 very bad; 80/81 and 150/151 differ
    assert grade_accuracy(actual, predicted) == pytest.approx(4 / 6)


def test_error_metrics_on_hand_made_arrays():
    actual = np.array([1.0, 2.0, 3.0, 4.0])
    predicted = np.array([2.0, 2.0, 1.0, 4.0])
    assert mae(actual, predicted) == pytest.approx(0.75)
    assert rmse(actual, predicted) == pytest.approx(np.sqrt(5 / 4))
    assert interval_coverage(actual, actual - 1, [2.0, 2.0, 2.9, 4.0]) == pytest.approx(0.75)


def test_grade_probabilities_sum_to_one_and_follow_the_median():
    levels = [0.1, 0.5, 0.9]
    values = np.array([[10, 20, 28], [20, 45, 70], [60, 100, 140], [150, 250, 400], [25, 25, 25]])
    probabilities = grade_probabilities(levels, values)
    assert probabilities.shape == (5, 4)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert (probabilities >= 0).all()
    assert list(probabilities[:4].argmax(axis=1)) == [0, 1, 2, 3]
    assert probabilities[4, 0] == pytest.approx(1.0, abs=1e-3)  # a point forecast: certain grade


def test_grade_probabilities_reproduce_a_lognormal_forecast():
    mu, sigma = np.log1p(50.0), 0.5
    levels = np.array([0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95])
    values = np.expm1(mu + sigma * norm.ppf(levels))
    probabilities = grade_probabilities(levels, values[None, :])[0]
    cdf = norm.cdf((np.log1p([30.0, 80.0, 150.0]) - mu) / sigma)
    expected = np.diff([0.0, *cdf, 1.0])
    np.testing.assert_allclose(probabilities, expected, atol=1e-5)


def test_grade_probabilities_match_the_quantiles_at_the_boundaries():
    probabilities = grade_probabilities([0.1, 0.5, 0.9], np.array([[20.0, 30.0, 80.0]]))[0]
    assert probabilities[0] == pytest.approx(0.5)  # P(x <= 30) is the p50 level
    assert probabilities[0] + probabilities[1] == pytest.approx(0.9)  # P(x <= 80) is p90's


def test_metrics_table_has_the_contract_columns_and_empties():
    scored = pd.DataFrame(
        {
            "model": ["lstm"] * 4 + ["persistence"] * 2,
            "target": ["ta_avg", "ta_avg", "pm10_avg", "pm10_avg", "ta_avg", "ta_avg"],
            "horizon": [1] * 6,
            "actual": [1.0, 2.0, 25.0, np.nan, 1.0, 2.0],
            "p10": [0.0, 0.0, 10.0, 10.0, np.nan, np.nan],
            "p50": [1.5, 2.5, 35.0, 40.0, 2.0, 2.0],
            "p90": [3.0, 3.0, 50.0, 50.0, np.nan, np.nan],
        }
    )
    table = metrics_table(scored)
    assert tuple(table.columns) == METRICS_COLUMNS
    lstm_t = table[(table.model == "lstm") & (table.target == "ta_avg")].iloc[0]
    assert lstm_t.mae == pytest.approx(0.5) and lstm_t.coverage80 == 1.0
    assert np.isnan(lstm_t.grade_accuracy) and lstm_t.n == 2
    pm10 = table[(table.model == "lstm") & (table.target == "pm10_avg")].iloc[0]
    assert pm10.n == 1 and pm10.grade_accuracy == 0.0  # 25 is good, 35 moderate
    persistence = table[table.model == "persistence"].iloc[0]
    assert np.isnan(persistence.coverage80)
    assert list(table.model.unique()) == ["lstm", "persistence"]

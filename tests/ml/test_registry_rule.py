"""The promotion rule on hand-made metrics tables (no server needed)."""

import itertools

import pandas as pd
import pytest

from seoulcast_assets.ml.inputs.variables import HORIZONS, TARGETS
from seoulcast_assets.ml.tracking.registry import PromotionRule, evaluate_promotion

BASE_MAE = {"ta_avg": 2.0, "ta_max": 2.5, "ta_min": 2.0, "pm10_avg": 15.0}


def table(model, factor=1.0, per_target=None, coverage=0.8, n=100):
    per_target = per_target or {}
    rows = [
        {"model": model, "target": t, "horizon": h, "n": n, "coverage80": coverage,
         "mae": BASE_MAE[t] * factor * per_target.get(t, 1.0), "rmse": 0.0,
         "grade_accuracy": None}
        for t, h in itertools.product(TARGETS, HORIZONS)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def holdout(candidate):
    baselines = [table("persistence", 1.3), table("climatology", 1.2), table("linear", 1.05)]
    return pd.concat([candidate, *baselines])


def test_a_better_candidate_is_promoted():
    promoted, reasons, comparisons, coverage = evaluate_promotion(holdout(table("lstm", 1.0)))
    assert promoted and "beats" in reasons[0]
    assert [c.reference for c in comparisons] == ["persistence", "climatology", "linear"]
    assert coverage == pytest.approx(0.8)


def test_one_much_worse_target_blocks_promotion():
    candidate = table("lstm", 0.9, per_target={"pm10_avg": 1.2})  # 1.08 vs linear's 1.05
    promoted, reasons, *_ = evaluate_promotion(holdout(candidate))
    assert not promoted
    assert any("pm10_avg MAE is 2.9% worse than linear" in r for r in reasons)


def test_the_champion_must_be_beaten_too():
    champion = table("champion", 0.95)
    promoted, reasons, *_ = evaluate_promotion(holdout(table("lstm", 1.0)), champion)
    assert not promoted
    assert any("vs champion is 1.053" in r for r in reasons)


def test_overconfident_intervals_block_promotion():
    promoted, reasons, *_ = evaluate_promotion(holdout(table("lstm", 0.9, coverage=0.6)))
    assert not promoted and "coverage" in reasons[0]


def test_scores_from_different_windows_are_not_compared():
    champion = table("champion", 0.5, n=50)
    promoted, reasons, *_ = evaluate_promotion(holdout(table("lstm", 1.0)), champion)
    assert not promoted and any("different windows" in r for r in reasons)


def test_a_margin_can_be_required():
    rule = PromotionRule(min_improvement=0.1)
    promoted, reasons, *_ = evaluate_promotion(holdout(table("lstm", 1.0)), rule=rule)
    assert not promoted and "needs < 0.900" in reasons[0]


def test_the_first_champion_may_tie_the_linear_baseline_within_tolerance():
    candidate = table("lstm", 1.06)  # 1% worse than linear, far better than the naive ones
    promoted, reasons, *_ = evaluate_promotion(holdout(candidate))
    assert promoted
    assert reasons[0].startswith("first champion: beats persistence, climatology; ties linear")


def test_the_first_champion_must_still_beat_the_naive_baselines():
    baselines = [table("persistence", 1.3), table("climatology", 1.0), table("linear", 1.0)]
    promoted, reasons, *_ = evaluate_promotion(pd.concat([table("lstm", 1.005), *baselines]))
    assert not promoted
    assert any("vs climatology" in r for r in reasons)


def test_with_a_champion_a_tie_with_a_baseline_is_not_enough():
    champion = table("champion", 1.2)
    promoted, reasons, *_ = evaluate_promotion(holdout(table("lstm", 1.06)), champion)
    assert not promoted
    assert any("vs linear is 1.010" in r for r in reasons)

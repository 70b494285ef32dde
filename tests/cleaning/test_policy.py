"""The cleaning policy: defaults, validation, dict round trip, and the Tukey fences."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from seoulcast_assets.cleaning import (
    DEFAULT_POLICY,
    CleaningPolicy,
    PolicyError,
    recompute_fences,
    tukey_upper_fence,
)


def test_the_default_fences_are_the_original_systems():
    assert (DEFAULT_POLICY.pm10_avg_fence, DEFAULT_POLICY.pm10_max_fence) == (90.8, 160.5)


def test_a_policy_survives_a_round_trip_through_a_dict():
    policy = CleaningPolicy(longest_interpolated_gap_days=2, pm10_spike_ratio=4.0)
    assert CleaningPolicy.from_dict(policy.to_dict()) == policy
    assert CleaningPolicy.from_dict({}) == DEFAULT_POLICY
    assert CleaningPolicy.from_dict({"pm10_stuck_readings": "36"}).pm10_stuck_readings == 36


def test_unknown_keys_and_impossible_values_are_refused():
    with pytest.raises(PolicyError, match="unknown cleaning policy keys: longest_gap"):
        CleaningPolicy.from_dict({"longest_gap": 3})
    with pytest.raises(PolicyError, match="ta_plausible_min < ta_plausible_max"):
        CleaningPolicy(ta_plausible_min=10, ta_plausible_max=5)
    with pytest.raises(PolicyError, match="within -50.0..50.0"):
        CleaningPolicy(ta_plausible_max=60)
    with pytest.raises(PolicyError, match="multiple of 5"):
        CleaningPolicy(pm10_spike_window_minutes=7)
    with pytest.raises(PolicyError, match="pm10_min_valid_readings"):
        CleaningPolicy(pm10_min_valid_readings=300)


def test_tukey_fence_is_q3_plus_one_and_a_half_iqr():
    # Quartiles at positions 1 and 3 of five values: Q1 = 25.3, Q3 = 51.5, as in the
    # original 2008-2025 table -> 51.5 + 1.5 * 26.2 = 90.8.
    assert tukey_upper_fence(pd.Series([10.0, 25.3, 40.0, 51.5, 629.4])) == 90.8
    # Q1 = 53, Q3 = 96 -> 96 + 1.5 * 43 = 160.5; missing values do not count.
    assert tukey_upper_fence(pd.Series([20, 53, None, 70, 96, 1359])) == 160.5
    with pytest.raises(ValueError, match="no values"):
        tukey_upper_fence(pd.Series([None, None], dtype=float))


def test_recompute_fences_from_a_daily_table_feeds_a_new_policy():
    table = pd.DataFrame(
        {"pm10_avg": [10.0, 25.3, 40.0, 51.5, 300.0], "pm10_max": [20.0, 53, 70, 96, 900]}
    )
    fences = recompute_fences(table)
    assert fences == {"pm10_avg": 90.8, "pm10_max": 160.5}
    policy = DEFAULT_POLICY.with_fences({"pm10_avg": 80.0, "pm10_max": 150.0})
    assert (policy.pm10_avg_fence, policy.pm10_max_fence) == (80.0, 150.0)
    assert dataclasses.replace(policy, pm10_avg_fence=90.8, pm10_max_fence=160.5) == DEFAULT_POLICY


def test_recompute_fences_on_the_real_pm10_table(shared_data):
    table = pd.read_csv(shared_data / "seoul_pm10_daily.csv")
    fences = recompute_fences(table)
    above = {column: float((table[column] > fence).mean()) for column, fence in fences.items()}
    print(
        f"\nTukey fences of seoul_pm10_daily.csv (2008-2018, unscreened): {fences}; "
        f"share of days above: {above}"
    )
    # Tukey fences of a skewed daily series leave a few percent of days above them.
    for share in above.values():
        assert 0.01 < share < 0.10
    # Recomputed on the same kind of table, the fences land near the original constants.
    assert abs(fences["pm10_avg"] - 90.8) < 5 and abs(fences["pm10_max"] - 160.5) < 10

"""Cross-row checks on the reports of small cleaning runs."""

from __future__ import annotations

from datetime import date

from seoulcast_assets.cleaning import clean_days
from seoulcast_assets.cleaning.checks import (
    CheckThresholds,
    flag_rates_outcome,
    missing_days_outcome,
    year_tables_outcome,
)
from seoulcast_assets.layout import clean_year_key
from tests.cleaning.conftest import days, smooth_day, store_raw_days


def january(store, pm10_days: int = 31) -> None:
    store_raw_days(
        store,
        {day: (0.0, 4.0, -4.0) for day in days("2023-12-29", 37)},
        {day: smooth_day(40.0, seed=day.day) for day in days("2024-01-01", pm10_days)},
    )


def test_complete_days_pass(memory_store):
    january(memory_store)
    report = clean_days(memory_store, date(2024, 1, 1), date(2024, 1, 31))
    outcome = missing_days_outcome(report)
    assert outcome.passed and outcome.metadata["missing_pm10_days"] == 0
    assert year_tables_outcome(memory_store, report).passed
    assert flag_rates_outcome(report).passed


def test_a_few_missing_days_warn_and_many_fail_naming_days_and_reasons(memory_store):
    january(memory_store, pm10_days=28)  # 29th-31st not collected
    report = clean_days(memory_store, date(2024, 1, 1), date(2024, 1, 31))
    outcome = missing_days_outcome(report)
    assert not outcome.passed and outcome.severity == "WARN"
    assert "3 of 31 days without pm10: 2024-01-29 (pm10:not_collected)" in outcome.description
    assert "no_unexplained_missing_days" in outcome.description

    strict = CheckThresholds(max_missing_days=2, max_missing_share=0.05)
    failed = missing_days_outcome(report, strict)
    assert not failed.passed and failed.severity == "ERROR"
    assert "2024-01-31 (pm10:not_collected)" in failed.description


def test_the_war_gap_is_not_a_missing_day(memory_store):
    store_raw_days(memory_store, {day: (20.0, 25.0, 15.0) for day in days("1950-08-25", 7)})
    report = clean_days(memory_store, date(1950, 8, 28), date(1950, 9, 10))
    assert len(report.war_gap_days) == 10
    assert missing_days_outcome(report).passed


def test_flag_rates_warn_when_a_rule_fires_too_often(memory_store):
    noisy = {}
    for day in days("2024-01-01", 31):
        values = smooth_day(40.0, seed=day.day)
        values[50] = 1500
        noisy[day] = values
    store_raw_days(memory_store, {day: (0.0, 4.0, -4.0) for day in days("2023-12-29", 37)}, noisy)
    report = clean_days(memory_store, date(2024, 1, 1), date(2024, 1, 31))
    outcome = flag_rates_outcome(report)
    assert not outcome.passed and outcome.severity == "WARN"
    assert outcome.description.startswith("flag_rates: pm10:spike_removed on 100.0% of days")
    assert "e.g. 2024-01-01" in outcome.description
    short = clean_days(memory_store, date(2024, 1, 1), date(2024, 1, 5))
    assert flag_rates_outcome(short).passed  # too few days to judge a rate


def test_a_year_table_that_lost_days_fails(memory_store):
    january(memory_store)
    report = clean_days(memory_store, date(2024, 1, 1), date(2024, 1, 31))
    key = clean_year_key(2024)
    lines = memory_store.objects[key].decode().splitlines(keepends=True)
    memory_store.objects[key] = "".join(lines[:10] + lines[12:]).encode()  # a lost update
    outcome = year_tables_outcome(memory_store, report)
    assert not outcome.passed and outcome.severity == "ERROR"
    assert "result/daily/year=2024.csv lacks 2 days of the run: 2024-01-10, 2024-01-11" in (
        outcome.description
    )
    memory_store.objects[key] = "".join(lines + lines[5:6]).encode()
    assert "2024-01-05 appears twice" in year_tables_outcome(memory_store, report).description


def test_flag_rates_count_interpolated_temperature_days(memory_store):
    temperature = {day: (0.0, 4.0, -4.0) for day in days("2023-12-29", 37)}
    for day in days("2024-01-01", 31)[::3]:  # every third day lacks its mean: 11 of 31 filled
        temperature[day] = (float("nan"), 4.0, -4.0)
    store_raw_days(memory_store, temperature)
    report = clean_days(memory_store, date(2024, 1, 1), date(2024, 1, 31))
    outcome = flag_rates_outcome(report)
    assert outcome.metadata["ta:interpolated share"] == round(11 / 31, 4)
    assert not outcome.passed
    assert outcome.description.startswith("flag_rates: ta:interpolated on 35.5% of days, above 2%")

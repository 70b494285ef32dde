"""clean_daily materialized in process: real observations through the emulator, real storage."""

from __future__ import annotations

from collections import Counter

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.cleaning import DEFAULT_POLICY, CleaningPolicy
from seoulcast_assets.cleaning.elements import DECIMALS, ELEMENT_NAMES, NONE_IS_ZERO
from seoulcast_assets.cleaning.flags import PM10_COLUMNS, TEMPERATURE_COLUMNS, split_flags
from seoulcast_assets.cleaning.tables import read_year_tables
from seoulcast_assets.cleaning.weather_checks import ELEMENT_CHECKS
from seoulcast_assets.defs.cleaning.assets import clean_daily
from seoulcast_assets.defs.cleaning.config import CleaningPolicyConfig
from seoulcast_assets.defs.cleaning.jobs import clean_observations
from seoulcast_assets.defs.ingestion.assets import raw_asos, raw_pm10
from seoulcast_assets.defs.partitions import temperature_days
from seoulcast_assets.defs.resources import KmaResource, ObjectStoreResource
from seoulcast_assets.kma_emulator import KmaEmulator, ObservedWeather
from tests.defs.conftest import range_tags


@pytest.fixture(scope="module")
def observed(shared_data):
    """The emulator serving Seoul's real daily observations, every element, and PM10 (as
    5-minute readings)."""
    source = ObservedWeather.from_files(
        asos_csv=shared_data / "seoul_asos_daily.csv",
        pm10_csv=shared_data / "seoul_pm10_daily.csv",
    )
    with KmaEmulator(source).running() as emulator:
        yield emulator


@pytest.fixture
def observed_kma(observed) -> KmaResource:
    return KmaResource(base_url=observed.base_url, max_attempts=2, timeout_seconds=30)


def collect(kma, store, first: str, last: str) -> None:
    """raw_asos for first-3 .. last+3 (what interpolation may read) and raw_pm10 for the range."""
    margin = pd.Timedelta(days=DEFAULT_POLICY.longest_interpolated_gap_days)
    wide = (
        (pd.Timestamp(first) - margin).date().isoformat(),
        (pd.Timestamp(last) + margin).date().isoformat(),
    )
    for asset, (start, end) in ((raw_asos, wide), (raw_pm10, (max(first, "2008-04-28"), last))):
        if start <= end:
            result = dg.materialize(
                [asset], resources={"kma": kma, "store": store}, tags=range_tags(start, end)
            )
            assert result.success


def clean(store, first: str, last: str, **kwargs):
    return dg.materialize(
        [clean_daily], resources={"store": store}, tags=range_tags(first, last), **kwargs
    )


def checks_of(result) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def explains(flags: list[str], column: str) -> list[str]:
    """The flags of a day that say why ``column`` differs from KMA's value (fences never do)."""
    if column in TEMPERATURE_COLUMNS:
        day_prefix = "ta:"
    elif column in PM10_COLUMNS:
        day_prefix = "pm10:"
    else:
        day_prefix = "weather:"
    return [
        flag
        for flag in flags
        if flag.startswith((f"{column}:", day_prefix))
        and "fence" not in flag
        and not flag.endswith(":missing")  # the removal's own flag says why
    ]


def tidy_days(shared_data) -> pd.DataFrame:
    """seoul_asos_daily.csv and seoul_pm10_daily.csv by day; a blank rain or snow cell of an
    observed day is none (as the README says), from the element's first day."""
    asos = pd.read_csv(shared_data / "seoul_asos_daily.csv", parse_dates=["date"])
    for column in NONE_IS_ZERO:
        asos[column] = asos[column].fillna(0.0)  # every day 2008-2018 has observations
    columns = ["date", *TEMPERATURE_COLUMNS, *ELEMENT_NAMES]
    pm10 = pd.read_csv(shared_data / "seoul_pm10_daily.csv", parse_dates=["date"])
    return asos[columns].merge(pm10, on="date", how="outer")


def compare_with_tidy(table: pd.DataFrame, shared_data) -> Counter:
    """Every cleaned value equals the tidy files' (rounded as written) or carries a flag saying
    why; returns how many days each explaining flag changed."""
    merged = table.merge(tidy_days(shared_data), on="date", how="left", suffixes=("", "_tidy"))
    changed: Counter = Counter()
    for row in merged.itertuples(index=False):
        flags = split_flags(row.flags)
        day_changes = set()
        for column in (*TEMPERATURE_COLUMNS, *PM10_COLUMNS, *ELEMENT_NAMES):
            ours, theirs = getattr(row, column), getattr(row, f"{column}_tidy")
            theirs = round(theirs, DECIMALS.get(column, 1)) if theirs == theirs else theirs
            same = ours == theirs or (np.isnan(ours) and np.isnan(theirs))
            if not same:
                why = explains(flags, column)
                assert why, f"{row.date:%Y-%m-%d} {column}: {ours} vs tidy {theirs}, flags {flags}"
                day_changes.update(why)
        changed.update(day_changes)
    return changed


@pytest.mark.parametrize(
    ("store_fixture", "first", "last"),
    [
        ("local_store_resource", "2017-01-01", "2017-12-31"),
        ("s3_store_resource", "2017-12-08", "2017-12-20"),
    ],
)
def test_a_range_run_gives_the_tidy_values_except_where_a_flag_says_why(
    request, store_fixture, first, last, observed_kma, shared_data
):
    store = request.getfixturevalue(store_fixture)
    collect(observed_kma, store, first, last)
    result = clean(store, first, last)
    assert result.success
    events = result.get_asset_materialization_events()
    days = pd.date_range(first, last)
    assert sorted(e.partition for e in events) == [f"{d:%Y-%m-%d}" for d in days]

    objects = store.open()
    years = objects.list_keys("result/daily/")
    table = read_year_tables(objects.get(key) for key in years)
    assert list(table["date"]) == list(days)  # one row per cleaned day, in order
    assert (
        len(objects.list_keys("result/temperature/"))
        == len(objects.list_keys("result/pm10/"))
        == len(days)
    )

    changed = compare_with_tidy(table, shared_data)
    print(f"\n{first}..{last}: days changed from the tidy files, by flag: {dict(changed)}")
    by_day = table.set_index("date")
    assert "pm10:stuck_removed" in by_day.at[pd.Timestamp("2017-12-16"), "flags"]
    assert by_day.loc["2017-12-12":"2017-12-15", "flags"].eq("pm10:no_observation").all()
    assert changed["pm10:zero_removed"] > 0
    if first == "2017-01-01":
        assert by_day.at[pd.Timestamp("2017-10-12"), "flags"] == (
            "ta_max:interpolated;hm_min:missing;ps_min:missing;ss_day:missing;"
            "ta_max_tm:missing;hm_min_tm:missing;ps_min_tm:missing"  # the times of those three
        )
        assert by_day.at[pd.Timestamp("2017-10-13"), "ta_max_tm"] == 1420  # 14:20, as hhmi
        assert changed["ta_max:interpolated"] == 1 and changed["pm10:spike_removed"] > 0
        assert (by_day["source"] == "emulator-observed").all()
        assert by_day.at[pd.Timestamp("2017-07-10"), "rn_day"] == 144.5  # observed rain
        assert by_day.at[pd.Timestamp("2017-06-01"), "rn_day"] == 0.0  # a dry day's -9.0

    checks = checks_of(result)
    assert checks["year_tables_cover_run"].passed
    missing = checks["no_unexplained_missing_days"]
    assert not missing.passed and missing.severity == dg.AssetCheckSeverity.WARN  # a few, warns
    assert "2017-12-16 (pm10:stuck_removed, pm10:low_coverage)" in missing.description
    wind = checks["weather_ws_avg"]
    if first == "2017-01-01":
        assert not wind.passed and wind.severity == dg.AssetCheckSeverity.WARN
        assert wind.description == (
            "weather_ws_avg: 3 of 365 days without ws_avg: 2017-10-14 (ws_avg:missing), "
            "2017-12-05 (ws_avg:missing), 2017-12-06 (ws_avg:missing)"
        )
        assert wind.metadata["missing_days"].value == 3
    assert checks["weather_hm_avg"].passed
    metadata = events[0].materialization.metadata
    assert metadata["days"].value == len(days)
    assert metadata["policy"].value == DEFAULT_POLICY.to_dict()


def test_a_range_run_and_day_by_day_runs_write_identical_objects(observed_kma, tmp_path):
    whole = ObjectStoreResource(url=(tmp_path / "whole").as_uri())
    by_day = ObjectStoreResource(url=(tmp_path / "by_day").as_uri())
    for store in (whole, by_day):
        collect(observed_kma, store, "2017-10-08", "2017-10-16")
    assert clean(whole, "2017-10-08", "2017-10-16").success
    instance = dg.DagsterInstance.ephemeral()
    for day in pd.date_range("2017-10-08", "2017-10-16"):
        result = dg.materialize(
            [clean_daily],
            resources={"store": by_day},
            partition_key=f"{day:%Y-%m-%d}",
            instance=instance,
        )
        assert result.success

    def cleaned(store):
        objects = store.open()
        return {key: objects.get(key) for key in objects.list_keys("result/")}

    assert cleaned(whole) == cleaned(by_day)
    assert len(cleaned(whole)) == 3 * 9 + 1  # temperature, PM10, weather; the year table
    day = cleaned(whole)["result/temperature/date=2017-10/2017-10-12.csv"].decode()
    assert day.splitlines()[1].endswith("ta_max:interpolated")


def test_a_failing_check_blocks_downstream_and_names_the_days_and_the_rule(
    shared_data, local_store_resource
):
    # KMA serves temperature but no PM10 at all: every PM10 day of the run is missing.
    source = ObservedWeather.from_files(temperature_csv=shared_data / "seoul_temp_daily.csv")
    with KmaEmulator(source).running() as emulator:
        kma = KmaResource(base_url=emulator.base_url, max_attempts=2)
        collect(kma, local_store_resource, "2018-03-01", "2018-03-20")

    ran = []

    @dg.asset(
        partitions_def=temperature_days,
        deps=[clean_daily],
        backfill_policy=dg.BackfillPolicy.single_run(),
    )
    def forecast_input(context) -> None:
        ran.append(context.partition_key_range)

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [clean_daily, forecast_input],
        resources={"store": local_store_resource},
        tags=range_tags("2018-03-01", "2018-03-20"),
        raise_on_error=False,
        instance=instance,
    )
    assert not result.success and ran == []
    assert result.get_asset_materialization_events() == []
    assert local_store_resource.open().list_keys("result/") == []  # nothing was published
    [logged] = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    failed = logged.dagster_event.event_specific_data  # what the UI shows on the check
    assert not failed.passed and failed.severity == dg.AssetCheckSeverity.ERROR
    assert failed.description.startswith(
        "no_unexplained_missing_days (fails above 7 days and 5% of the run)"
    )
    assert "20 of 20 days without pm10: 2018-03-01 (pm10:no_observation)" in failed.description
    assert failed.metadata["missing_pm10_days"].value == 20
    step_failure = result.get_step_failure_events()[0].step_failure_data.error
    assert "nothing was written: no_unexplained_missing_days" in step_failure.message
    assert "2018-03-01 (pm10:no_observation)" in step_failure.message


def test_the_war_gap_is_left_missing_and_is_not_a_missing_day(observed_kma, local_store_resource):
    collect(observed_kma, local_store_resource, "1950-08-29", "1950-09-03")
    result = clean(local_store_resource, "1950-08-29", "1950-09-03")
    assert result.success and checks_of(result)["no_unexplained_missing_days"].passed
    table = read_year_tables([local_store_resource.open().get("result/daily/year=1950.csv")])
    # Seoul's record of the wind and pressure times is sparse before 1954 and 1962: none here.
    sparse = ("ws_max_tm", "ps_max_tm", "ps_min_tm")
    before = ";".join(f"{name}:missing" for name in sparse)
    assert table["flags"].tolist() == 3 * [before] + 3 * ["ta:war_gap;weather:war_gap"]
    checks = checks_of(result)
    assert all(checks[name].passed for name in ELEMENT_CHECKS)
    for name in sparse:  # expected only from the day the record turns daily: not missing here
        metadata = checks[f"weather_{name}"].metadata
        assert (metadata["expected_days"].value, metadata["missing_days"].value) == (0, 0)
    wind = checks["weather_ws_max"].metadata  # read daily: the war gap's days are not expected
    assert (wind["expected_days"].value, wind["missing_days"].value) == (3, 0)
    assert table.loc[3:, ["ta_avg", "ta_max", "ta_min"]].isna().all().all()
    assert table[["pm10_avg", "pm10_n_valid"]].isna().all().all()


def test_the_policy_is_run_configuration(observed_kma, local_store_resource):
    assert set(CleaningPolicyConfig.model_fields) == set(DEFAULT_POLICY.to_dict())
    assert CleaningPolicyConfig().policy() == DEFAULT_POLICY
    collect(observed_kma, local_store_resource, "2015-02-20", "2015-02-24")
    config = {
        "ops": {"clean_daily": {"config": {"pm10_avg_fence": 300.0, "pm10_max_fence": 1000.0}}}
    }
    result = clean(local_store_resource, "2015-02-20", "2015-02-24", run_config=config)
    policy = result.get_asset_materialization_events()[0].materialization.metadata["policy"].value
    assert CleaningPolicy.from_dict(policy).pm10_avg_fence == 300.0
    table = read_year_tables([local_store_resource.open().get("result/daily/year=2015.csv")])
    fenced = table.loc[table["flags"].str.contains("pm10_avg:above_fence"), "date"]
    assert [f"{d:%m-%d}" for d in fenced] == ["02-23"]  # 629 µg/m³; at 90.8 all five days are


def test_the_asset_is_wired_for_automation_and_backfills():
    assert clean_daily.partitions_def == temperature_days
    assert clean_daily.backfill_policy == dg.BackfillPolicy.single_run()
    condition = clean_daily.automation_conditions_by_key[clean_daily.key]
    assert condition == dg.AutomationCondition.eager()
    deps = clean_daily.get_partition_mapping(raw_asos.key)
    assert (deps.start_offset, deps.end_offset) == (-3, 3)
    assert {spec.name: spec.blocking for spec in clean_daily.check_specs} == {
        "no_unexplained_missing_days": True,
        "flag_rates": False,
        "year_tables_cover_run": True,
        **dict.fromkeys((f"weather_{element}" for element in ELEMENT_NAMES), False),
    }
    assert clean_observations.name == "clean_observations"

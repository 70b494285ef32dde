"""KMA answering a month with nothing but missing-value codes, through a corrupting proxy.

Over a month the store already holds, the good raw days are kept (the storm is set aside
beside them) and the run warns naming the days; over a new month, the raw days are stored as
received but clean_daily publishes nothing from them.
"""

from __future__ import annotations

from datetime import date

import dagster as dg
import pandas as pd
import pytest

from seoulcast_assets.cleaning.tables import read_year_tables
from seoulcast_assets.defs.cleaning.assets import clean_daily
from seoulcast_assets.defs.ingestion.assets import raw_asos, raw_pm10
from seoulcast_assets.defs.resources import KmaResource, ObjectStoreResource
from seoulcast_assets.kma import parse_asos_daily
from seoulcast_assets.kst import date_range
from seoulcast_assets.layout import clean_key, clean_year_key, raw_parsed_key, raw_withheld_key
from tests.faults.kma_proxy import CorruptingProxy
from tests.support.kma_emulator import emulator_at_now, warmed_up_weather

pytestmark = pytest.mark.slow

MARCH = ("2024-03-01", "2024-03-31")
APRIL = ("2024-04-01", "2024-04-30")


def _range(first: str, last: str) -> dict[str, str]:
    return {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}


@pytest.fixture
def proxied(tmp_path):
    with emulator_at_now(warmed_up_weather(seed=11)) as emulator:
        with CorruptingProxy(emulator.base_url).running() as proxy:
            resources = {
                "kma": KmaResource(base_url=proxy.base_url, max_attempts=2, timeout_seconds=30),
                "store": ObjectStoreResource(url=(tmp_path / "store").as_uri()),
            }
            yield proxy, resources


def _run(assets, resources, days, raise_on_error=True):
    return dg.materialize(
        assets, resources=resources, tags=_range(*days), raise_on_error=raise_on_error
    )


def _checks(result) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def test_a_storm_over_stored_days_keeps_them_and_names_the_days(proxied):
    proxy, resources = proxied
    store = resources["store"].open()
    _run([raw_asos], resources, MARCH)
    _run([raw_pm10], resources, MARCH)
    _run([clean_daily], resources, MARCH)
    march = date_range(date(2024, 3, 1), date(2024, 3, 31))
    good_raw = {day: store.get(raw_parsed_key("asos", day)) for day in march}
    good_year = store.get(clean_year_key(2024))

    proxy.sentinel_storm = True
    stormed = _run([raw_asos], resources, MARCH)
    withheld = _checks(stormed)["no_observations_withheld"]
    assert not withheld.passed and withheld.severity == dg.AssetCheckSeverity.WARN
    assert "on 31 days" in withheld.description and "2024-03-01, 2024-03-02" in withheld.description
    assert {day: store.get(raw_parsed_key("asos", day)) for day in march} == good_raw
    set_aside = parse_asos_daily(store.get(raw_withheld_key("asos", date(2024, 3, 5))))
    assert set_aside["ta_avg"].isna().all()  # the storm itself, kept for inspection

    assert _run([clean_daily], resources, MARCH).success
    assert store.get(clean_year_key(2024)) == good_year  # nothing of the storm reached it


def test_a_storm_over_a_new_month_publishes_no_cleaned_rows(proxied):
    proxy, resources = proxied
    store = resources["store"].open()
    _run([raw_asos], resources, MARCH)
    _run([raw_pm10], resources, MARCH)
    _run([clean_daily], resources, MARCH)
    good_year = store.get(clean_year_key(2024))

    proxy.sentinel_storm = True
    stormed = _run([raw_asos], resources, APRIL)
    empty = _checks(stormed)["days_with_observations"]
    assert not empty.passed and "no observation for 30 of 30 days" in empty.description
    assert (
        stormed.get_asset_materialization_events()[0]
        .materialization.metadata["days_with_data"]
        .value
        == 0
    )
    proxy.sentinel_storm = False
    _run([raw_pm10], resources, APRIL)

    cleaned = _run([clean_daily], resources, APRIL, raise_on_error=False)
    assert not cleaned.success
    assert not store.exists(clean_key("temperature", date(2024, 4, 1)))
    assert store.get(clean_year_key(2024)) == good_year
    assert read_year_tables([good_year])["date"].max() == pd.Timestamp("2024-03-31")

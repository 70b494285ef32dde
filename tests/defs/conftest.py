from __future__ import annotations

import warnings

import dagster as dg
import pytest

from seoulcast_assets.defs.resources import KmaResource, ObjectStoreResource
from seoulcast_assets.kma_emulator import KmaEmulator, SyntheticWeather

warnings.filterwarnings("ignore", category=dg.BetaWarning)
warnings.filterwarnings("ignore", category=dg.PreviewWarning)


def range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags that make a run cover a partition range, as a single-run backfill does."""
    return {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}


@pytest.fixture(scope="session")
def kma_emulator():
    with KmaEmulator(SyntheticWeather(seed=7)).running() as emulator:
        yield emulator


@pytest.fixture
def emulator(kma_emulator):
    kma_emulator.clear_faults()
    kma_emulator.clear_requests()
    return kma_emulator


@pytest.fixture
def kma(emulator) -> KmaResource:
    return KmaResource(
        base_url=emulator.base_url, max_attempts=3, backoff_seconds=0.01, timeout_seconds=5
    )


@pytest.fixture
def local_store_resource(tmp_path) -> ObjectStoreResource:
    return ObjectStoreResource(url=(tmp_path / "store").as_uri())


@pytest.fixture
def s3_store_resource(s3_server, s3_bucket, monkeypatch) -> ObjectStoreResource:
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    return ObjectStoreResource(
        url=f"s3://{s3_bucket}/seoulcast", s3_endpoint_url=s3_server.endpoint_url
    )

"""The served API revalidates cheaply: counted S3 requests behind real HTTP requests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from seoulcast_api.app import create_app
from seoulcast_assets.storage import S3ObjectStore
from tests.api.apps import api_settings
from tests.api.contract_objects import forecast_document, write_forecast
from tests.api.http_server import serve
from tests.api.s3_counting import S3RequestCounter
from tests.api.waiting import eventually

pytestmark = pytest.mark.slow

REVALIDATE_SECONDS = 1.0


@pytest.fixture
def counted(s3_store: S3ObjectStore, latest_document: dict) -> S3RequestCounter:
    return S3RequestCounter(s3_store.client)


@pytest.fixture
def http(
    s3_store: S3ObjectStore, counted: S3RequestCounter, tmp_path: Path
) -> Iterator[httpx.Client]:
    settings = api_settings(s3_store.url, tmp_path, revalidate_seconds=REVALIDATE_SECONDS)
    with serve(create_app(settings, store=s3_store)) as url, httpx.Client(base_url=url) as client:
        yield client


def test_many_requests_cost_one_download(http: httpx.Client, counted: S3RequestCounter):
    counted.reset()
    replies = [http.get("/api/v1/forecasts/latest") for _ in range(50)]
    assert {reply.status_code for reply in replies} == {200}
    assert (counted["HeadObject"], counted["GetObject"]) == (1, 1)


def test_unchanged_forecast_is_not_downloaded_again(http: httpx.Client, counted: S3RequestCounter):
    http.get("/api/v1/forecasts/latest")
    counted.reset()
    time.sleep(REVALIDATE_SECONDS + 0.1)
    for _ in range(10):
        assert http.get("/api/v1/forecasts/latest").status_code == 200
    eventually(lambda: counted["HeadObject"] == 1)
    assert (counted["HeadObject"], counted["GetObject"]) == (1, 0)


def test_a_new_forecast_is_served_after_the_interval(
    http: httpx.Client, s3_store: S3ObjectStore, issue_date: date
):
    assert http.get("/result").json()["date"] == str(issue_date)
    newer = forecast_document(issue_date + timedelta(days=1))
    write_forecast(s3_store, newer)
    assert http.get("/result").json()["date"] == str(issue_date)  # within the interval
    time.sleep(REVALIDATE_SECONDS + 0.1)
    eventually(lambda: http.get("/result").json()["date"] == newer["issue_date"])
    assert http.get("/api/v1/forecasts/latest").json() == newer

"""Fixtures for the API tests: a sample store in the contract's format and a served app."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from seoulcast_api.app import create_app
from seoulcast_assets.kst import today_kst
from seoulcast_assets.storage import S3ObjectStore
from tests.api.apps import api_settings
from tests.api.contract_objects import write_sample_store
from tests.api.http_server import serve
from tests.support.seaweedfs import S3Server


@pytest.fixture(scope="session")
def api_bucket(s3_server: S3Server) -> str:
    """One bucket for all API tests: SeaweedFS gives every bucket its own volumes, and a fresh
    bucket per test runs the test server out of them after a handful of tests."""
    name = f"seoulcast-api-{uuid.uuid4().hex[:8]}"
    s3_server.create_bucket(name)
    return name


@pytest.fixture
def s3_store(s3_server: S3Server, api_bucket: str) -> S3ObjectStore:
    """An empty store on the shared S3 server, under a prefix of its own."""
    return S3ObjectStore(s3_server.client(), api_bucket, f"seoulcast-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def issue_date() -> date:
    """The latest forecast is today's, as it is after the 05:00 KST run."""
    return today_kst()


@pytest.fixture
def latest_document(s3_store: S3ObjectStore, issue_date: date) -> dict:
    return write_sample_store(s3_store, issue_date)


@pytest.fixture
def api_url(s3_store: S3ObjectStore, latest_document: dict, tmp_path: Path) -> Iterator[str]:
    """The API over real HTTP, reading the sample store from SeaweedFS."""
    app = create_app(api_settings(s3_store.url, tmp_path), store=s3_store)
    with serve(app) as url:
        yield url


@pytest.fixture
def http(api_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, timeout=10) as client:
        yield client

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from seoulcast_assets.dagster_settings import apply_range_run_settings
from seoulcast_assets.storage import LocalObjectStore, S3ObjectStore
from tests.support.mlflow_server import (
    MLflowServer,
    start_mlflow_server,
    stop_mlflow_server,
    wait_until_healthy,
)
from tests.support.seaweedfs import S3Server, seaweedfs_s3

apply_range_run_settings()  # Dagster runs in the tests as it does in production

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real Seoul observations shipped beside the project (never copied into it)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real observations not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def s3_server() -> S3Server:
    with seaweedfs_s3() as server:
        yield server


@pytest.fixture
def s3_bucket(s3_server: S3Server) -> str:
    """A fresh, empty bucket on the shared S3 server."""
    name = f"seoulcast-{uuid.uuid4().hex[:12]}"
    s3_server.create_bucket(name)
    return name


@pytest.fixture
def s3_store(s3_server: S3Server, s3_bucket: str) -> S3ObjectStore:
    return S3ObjectStore(s3_server.client(), s3_bucket, "seoulcast")


@pytest.fixture
def local_store(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "store")


def pytest_collection_finish(session):
    """Boot the MLflow server as soon as a test that needs it is collected: it takes a while
    (database migrations), so it starts while the other tests run."""
    if any("mlflow_tracking" in item.fixturenames for item in session.items):
        session.config.seoulcast_mlflow = start_mlflow_server()


def pytest_sessionfinish(session):
    server = getattr(session.config, "seoulcast_mlflow", None)
    if server is not None:
        stop_mlflow_server(server)


@pytest.fixture(scope="session")
def mlflow_tracking(request) -> MLflowServer:
    """A real MLflow tracking server and registry (SQLite backend, local artifacts), shared by
    the session; tests keep apart by using model and experiment names of their own."""
    server = getattr(request.config, "seoulcast_mlflow", None)
    if server is None:  # e.g. requested from a fixture the collection hook did not see
        server = request.config.seoulcast_mlflow = start_mlflow_server()
    wait_until_healthy(server)
    return server

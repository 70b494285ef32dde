"""The API while its S3 server hangs: SeaweedFS stopped with SIGSTOP, not killed.

A stopped server still accepts TCP connections (the kernel queues them) but never answers, the
worst case for a client: every request to it waits for a timeout. The API is started as a user
starts it (``python -m seoulcast_api``, Granian) on a SeaweedFS of its own, warmed, and then
asked from several threads for a few seconds while the server is stopped. Cached routes must
keep answering at once, marked stale; a route with nothing cached must give up quickly; and
once the server continues, the replies must be fresh again.
"""

from __future__ import annotations

import os
import signal
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from seoulcast_api.responses import STALE_HEADER
from seoulcast_assets.kst import today_kst
from seoulcast_assets.storage import S3ObjectStore
from tests.api.contract_objects import write_sample_store
from tests.api.http_server import start_api_process
from tests.support.processes import free_port, stop_process, wait_for_http
from tests.support.seaweedfs import S3Server, seaweedfs_s3

pytestmark = pytest.mark.slow

CACHED_ROUTES = (
    "/api/v1/forecasts/latest",
    "/result",
    "/api/v1/model",
    "/api/v1/observations",
    "/api/v1/verification?days=7",
)
OUTAGE_SECONDS = 8.0
CLIENTS = 4
P99_LIMIT_S = 0.100
REQUEST_TIMEOUT_S = 5.0


@pytest.fixture(scope="module")
def own_s3() -> Iterator[S3Server]:
    """A SeaweedFS for this module alone: the tests stop it, which would hang anyone sharing it."""
    with seaweedfs_s3() as server:
        yield server


@pytest.fixture
def api_url(own_s3: S3Server, tmp_path: Path) -> Iterator[str]:
    bucket = f"seoulcast-hung-{uuid.uuid4().hex[:8]}"
    own_s3.create_bucket(bucket)
    store = S3ObjectStore(own_s3.client(), bucket, "seoulcast")
    write_sample_store(store, today_kst())
    port = free_port()
    env = own_s3.env() | {
        "SEOULCAST_STORAGE": store.url,
        "SEOULCAST_API_REVALIDATE_SECONDS": "1",
        "SEOULCAST_FRONTEND_DIST": str(tmp_path / "no-page"),
    }
    server = start_api_process(port, env)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(f"{url}/health", server)
        yield url
    finally:
        stop_process(server)


class Reply:
    def __init__(self, path: str, started: float, seconds: float, response: httpx.Response | None):
        self.path = path
        self.started = started
        self.seconds = seconds
        self.status = response.status_code if response is not None else None
        self.stale = response is not None and STALE_HEADER.lower() in response.headers


def hammer(url: str, seconds: float) -> list[Reply]:
    """Every cached route in turn from ``CLIENTS`` threads for ``seconds``; each reply timed."""
    replies: list[Reply] = []
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as http:
            turn = offset
            while time.monotonic() < deadline:
                path = CACHED_ROUTES[turn % len(CACHED_ROUTES)]
                turn += 1
                started = time.monotonic()
                try:
                    response: httpx.Response | None = http.get(path)
                except httpx.TimeoutException:
                    response = None
                replies.append(Reply(path, started, time.monotonic() - started, response))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def timed(url: str, path: str) -> Reply:
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as http:
        started = time.monotonic()
        try:
            response: httpx.Response | None = http.get(path)
        except httpx.TimeoutException:
            response = None
        return Reply(path, started, time.monotonic() - started, response)


def p99(replies: list[Reply]) -> float:
    return statistics.quantiles([reply.seconds for reply in replies], n=100)[98]


def test_a_hung_store_does_not_hold_cached_routes(own_s3: S3Server, api_url: str):
    with httpx.Client(base_url=api_url, timeout=30) as http:
        for path in CACHED_ROUTES:
            warm = http.get(path)
            assert warm.status_code == 200 and STALE_HEADER.lower() not in warm.headers
        never_read = f"/api/v1/forecasts/{today_kst() - timedelta(days=400)}"

        os.kill(own_s3.process.pid, signal.SIGSTOP)
        try:
            stopped_at = time.monotonic()
            replies = hammer(api_url, OUTAGE_SECONDS)
            health = timed(api_url, "/health")
            first_read = timed(api_url, never_read)
        finally:
            os.kill(own_s3.process.pid, signal.SIGCONT)

        slowest = max(replies, key=lambda reply: reply.seconds)
        print(
            f"\nhung store: {len(replies)} replies in {OUTAGE_SECONDS:.0f} s, "
            f"p50 {statistics.median(r.seconds for r in replies) * 1000:.1f} ms, "
            f"p99 {p99(replies) * 1000:.1f} ms, max {slowest.seconds * 1000:.1f} ms "
            f"({slowest.path}); {sum(r.status is None for r in replies)} timed out; /health "
            f"{health.seconds:.2f} s ({health.status}); first read {first_read.seconds:.2f} s "
            f"({first_read.status})"
        )
        assert p99(replies) <= P99_LIMIT_S
        assert [reply.status for reply in replies if reply.status != 200] == []
        # Once the store has had time to fail a revalidation, every reply says it is stale.
        late = [reply for reply in replies if reply.started > stopped_at + 3.0]
        assert late and all(reply.stale for reply in late), {r.path for r in late if not r.stale}
        assert (health.status, first_read.status) == (503, 503)
        assert health.seconds < 1.5
        assert first_read.seconds < 2.5
        assert http.get("/health").json()["checks"]["storage"] == "unavailable"

        def fresh_everywhere() -> bool:
            replies = [http.get(path) for path in CACHED_ROUTES]
            return all(
                r.status_code == 200 and STALE_HEADER.lower() not in r.headers for r in replies
            )

        deadline = time.monotonic() + 40
        while not fresh_everywhere():
            assert time.monotonic() < deadline, "still stale 40 s after the store came back"
            time.sleep(0.5)
        assert http.get("/health").status_code == 200
        assert http.get(never_read).status_code == 404

"""Latency of ``GET /api/v1/forecasts/latest`` against a bare Litestar endpoint, with wrk.

Both endpoints are served by the same Granian process (same workers, loop and HTTP layer) and
return the same bytes; ``/bench/bare`` (mounted because ``SEOULCAST_API_BENCH=1``) does nothing
but return them. The ratio of their throughputs is what the cache, dependency injection and the
stale-copy bookkeeping cost.

    python bench/api_latency.py                      # sample store in a temporary folder
    python bench/api_latency.py --storage s3://bucket/prefix --duration 10 --connections 64

Targets: ours ÷ bare ≥ 0.8 in requests per second, and p99 ≤ 10 ms at 64 connections.
This is a benchmark, not a test: it prints its numbers and whether the targets were met.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.api.http_server import start_api_process  # noqa: E402
from tests.support.processes import free_port, stop_process, wait_for_http  # noqa: E402

OURS = "/api/v1/forecasts/latest"
BARE = "/bench/bare"
TARGET_RATIO = 0.8
TARGET_P99_MS = 10.0


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int = 0
    server_cpu_s: float = 0.0

    @property
    def cpu_us_per_request(self) -> float:
        """Server CPU time per request: what a request costs whatever else shares the cores."""
        return 1e6 * self.server_cpu_s / self.requests if self.requests else float("nan")


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> WrkResult:
    """Throughput, median and 99th percentile latency from ``wrk --latency`` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return WrkResult(rps, p50, p99, errors + (int(non_2xx.group(1)) if non_2xx else 0), requests)


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Granian's worker processes)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(child) for child in (task / "children").read_text().split()]
    return [pid, *(descendant for child in children for descendant in _process_tree(child))]


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its workers (Linux /proc)."""
    ticks = 0
    for member in _process_tree(pid):
        fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(url: str, connections: int, threads: int, duration: int, server_pid: int) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    cpu_before = process_cpu_seconds(server_pid)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = parse_wrk(output)
    result.server_cpu_s = process_cpu_seconds(server_pid) - cpu_before
    return result


def sample_store() -> str:
    """A temporary local store holding the latest forecast and its history."""
    from seoulcast_assets.kst import today_kst
    from seoulcast_assets.storage import LocalObjectStore
    from tests.api.contract_objects import write_sample_store

    folder = tempfile.mkdtemp(prefix="seoulcast-bench-")
    write_sample_store(LocalObjectStore(folder), today_kst(), history_days=7)
    return Path(folder).as_uri()


def wait_until_serving(base: str, server: subprocess.Popen) -> bytes:
    """Wait for the server; return the body both endpoints must serve."""
    ours = wait_for_http(base + OURS, server)
    bare = httpx.get(base + BARE)
    if ours.status_code != 200 or ours.content != bare.content:
        raise SystemExit(f"endpoints differ: {ours.status_code} {ours.text[:200]!r}")
    return ours.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--storage", help="store URL (default: a temporary sample store)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs per endpoint")
    parser.add_argument("--workers", type=int, default=1, help="API worker processes")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    storage = args.storage or sample_store()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"SEOULCAST_STORAGE": storage, "SEOULCAST_API_BENCH": "1"}
    server = start_api_process(port, env, workers=args.workers)
    try:
        body = wait_until_serving(base, server)
        run_wrk(base + OURS, args.connections, args.threads, 2, server.pid)  # warm both paths
        run_wrk(base + BARE, args.connections, args.threads, 2, server.pid)
        results: dict[str, list[WrkResult]] = {OURS: [], BARE: []}
        for _ in range(args.rounds):
            for path in (BARE, OURS):
                results[path].append(
                    run_wrk(base + path, args.connections, args.threads, args.duration, server.pid)
                )
    finally:
        stop_process(server, grace_seconds=10)

    def median(path: str, field: str) -> float:
        return statistics.median(getattr(result, field) for result in results[path])

    load = os.getloadavg()[0]

    print(f"store: {storage}   body: {len(body)} bytes   API workers: {args.workers}")
    print(
        f"wrk: {args.connections} connections, {args.threads} threads, "
        f"{args.rounds} × {args.duration} s per endpoint (medians)"
    )
    print(f"load average at the end: {load:.2f} on {os.cpu_count()} cores")
    print(f"{'endpoint':<28}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'CPU µs/req':>12}{'errors':>8}")
    for path in (OURS, BARE):
        errors = sum(result.errors for result in results[path])
        print(
            f"{path:<28}{median(path, 'requests_per_second'):>10.0f}"
            f"{median(path, 'p50_ms'):>9.2f}{median(path, 'p99_ms'):>9.2f}"
            f"{median(path, 'cpu_us_per_request'):>12.0f}{errors:>8}"
        )
    ratio = median(OURS, "requests_per_second") / median(BARE, "requests_per_second")
    p99 = median(OURS, "p99_ms")
    print(
        f"ratio ours/bare: {ratio:.3f} (target ≥ {TARGET_RATIO}) "
        f"{'PASS' if ratio >= TARGET_RATIO else 'FAIL'}"
    )
    print(
        f"p99 of {OURS}: {p99:.2f} ms (target ≤ {TARGET_P99_MS} ms at 64 connections) "
        f"{'PASS' if p99 <= TARGET_P99_MS else 'FAIL'}"
    )


if __name__ == "__main__":
    main()

"""Services stop with everything they started: real child processes, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from seoulcast_assets.services import Services, group_running, stop_service
from tests.support.processes import running

# A service that starts a helper of its own and exits on SIGTERM without stopping it, as the
# ``mlflow ui`` command leaves its uvicorn workers behind.
LEAVES_A_HELPER = """
import subprocess, sys, time
helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
print(helper.pid, flush=True)
time.sleep(120)
"""

IGNORES_SIGTERM = """
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
time.sleep(120)
"""

# Prints whether SIGINT would reach it as KeyboardInterrupt (False: it starts ignored).
REPORTS_SIGINT = """
import signal, time
print(signal.getsignal(signal.SIGINT) is signal.default_int_handler, flush=True)
time.sleep(120)
"""


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def start(services: Services, code: str) -> tuple[subprocess.Popen, str]:
    """Start ``code`` as a service whose first line of output is returned once printed."""
    process = services.start(python(code), stdout=subprocess.PIPE, text=True)
    return process, process.stdout.readline().strip()


pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")


def test_stopping_a_service_stops_what_it_left_behind(tmp_path):
    with Services(tmp_path, os.environ) as services:
        service, helper_line = start(services, LEAVES_A_HELPER)
        helper = int(helper_line)
        assert running(service.pid) and running(helper)
    assert service.returncode == -signal.SIGTERM
    assert not running(helper)
    assert not group_running(service.pid)


def test_a_service_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path):
    started = time.monotonic()
    with Services(tmp_path, os.environ, grace_seconds=1.0) as services:
        service, line = start(services, IGNORES_SIGTERM)
        assert line == "ready"
    assert service.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 10


def test_sigterm_to_the_parent_stops_the_block_and_its_services(tmp_path):
    handler_before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt, match="SIGTERM"):
        with Services(tmp_path, os.environ) as services:
            service, helper_line = start(services, LEAVES_A_HELPER)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the signal interrupts this
            pytest.fail("SIGTERM did not interrupt the block")
    assert not running(service.pid) and not running(int(helper_line))
    assert signal.getsignal(signal.SIGTERM) is handler_before


def test_services_get_sigint_even_when_the_parent_ignores_it(tmp_path):
    """A parent started in the background of a script ignores SIGINT; its services must not
    inherit that, or ``dg dev`` ignores SIGTERM too and can only be killed."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with Services(tmp_path, os.environ) as services:
            _, reaches = start(services, REPORTS_SIGINT)
        assert reaches == "True"
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_services_stop_last_started_first(tmp_path):
    log = tmp_path / "stopped.txt"
    records_its_stop = (
        "import signal, sys, time\n"
        "def stop(*_):\n"
        f"    open({str(log)!r}, 'a').write(sys.argv[1] + '\\n')\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n"
    )
    with Services(tmp_path, os.environ) as services:
        for name in ("api", "mlflow", "dagster"):
            process = services.start(
                [*python(records_its_stop), name], stdout=subprocess.PIPE, text=True
            )
            assert process.stdout.readline().strip() == "ready"
    assert log.read_text().split() == ["dagster", "mlflow", "api"]


EXITS_LEAVING_A_HELPER = """
import subprocess, sys
helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
print(helper.pid, flush=True)
"""


def test_stopping_an_exited_service_still_stops_its_helper():
    service = subprocess.Popen(
        python(EXITS_LEAVING_A_HELPER), start_new_session=True, stdout=subprocess.PIPE, text=True
    )
    helper = int(service.stdout.readline())
    service.wait(timeout=30)
    assert running(helper)
    stop_service(service, grace_seconds=5)
    assert not running(helper)

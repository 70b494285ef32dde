"""``seoulcast emulator`` in its own process, driven over HTTP."""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
from datetime import date

import pytest

from seoulcast_assets.cli import main
from seoulcast_assets.kma.client import KmaClient
from seoulcast_assets.kma.errors import KmaNotActivated
from seoulcast_assets.kma.parse import parse_asos_daily
from seoulcast_assets.kma_emulator import EmulatorControl, Fault
from seoulcast_assets.kma_emulator.cli import add_arguments

# A key no log line spells: the client registers its key for redaction for the whole process,
# and a key like "key" would blank out words in other tests' log lines ("the API key").
CLI_TEST_KEY = "cli-test-3f9a"


@pytest.fixture
def emulator_process():
    process = subprocess.Popen(
        [sys.executable, "-m", "seoulcast_assets.cli", "emulator", "--port", "0", "--seed", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first_line = process.stdout.readline()
        match = re.search(r"at (http://\S+)", first_line)
        assert match, f"unexpected first line: {first_line!r}"
        yield match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_separate_emulator_serves_and_takes_faults(emulator_process):
    base_url = emulator_process
    control = EmulatorControl(base_url)
    assert control.healthy()

    [reply] = KmaClient(base_url, CLI_TEST_KEY).asos_daily(date(2024, 2, 1), date(2024, 2, 29))
    assert len(parse_asos_daily(reply.text)) == 29

    control.inject(Fault("not_activated"))
    with pytest.raises(KmaNotActivated):
        KmaClient(base_url, CLI_TEST_KEY).asos_daily(date(2024, 2, 1), date(2024, 2, 29))
    assert [request["status"] for request in control.requests()] == [200, 403]


def _ignore_sigterm() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _block_sigterm() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})


@pytest.mark.parametrize("inherited", [None, _ignore_sigterm, _block_sigterm],
                         ids=["default", "ignored-by-parent", "blocked-by-parent"])  # fmt: skip
def test_the_emulator_stops_on_sigterm_whatever_it_inherited(inherited):
    process = subprocess.Popen(
        [sys.executable, "-m", "seoulcast_assets.cli", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=inherited,
    )
    try:
        assert "KMA emulator" in process.stdout.readline()
        process.terminate()
        assert process.wait(timeout=10) == 0  # a clean stop: the socket closed, exit status 0
    finally:
        process.kill()
        process.wait()


def test_observed_mode_needs_a_file(capsys):
    assert main(["emulator", "--source", "observed"]) == 2
    assert "needs --temperature-csv" in capsys.readouterr().out


def test_csv_files_need_observed_mode(capsys, tmp_path):
    assert main(["emulator", "--pm10-csv", str(tmp_path / "pm10.csv")]) == 2
    assert "--source observed" in capsys.readouterr().out


def test_observed_mode_reads_every_element_or_a_folder_of_exports(shared_data):
    from seoulcast_assets.kma_emulator.cli import _source

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    tidy = _source(parser.parse_args(["--source", "observed", "--asos-csv",
                                      str(shared_data / "seoul_asos_daily.csv")]))  # fmt: skip
    folder = _source(
        parser.parse_args(
            ["--source", "observed", "--portal-csv", str(shared_data / "kma_portal_asos_108")]
        )
    )
    assert len(tidy.fields) == len(folder.fields) == 51
    assert "39673 ASOS days with 51 fields" in repr(tidy)
    assert repr(folder) == repr(tidy)

"""``seoulcast emulator``: serve a KMA-compatible API on localhost.

Point the pipeline at it with ``KMA_BASE_URL=http://127.0.0.1:8787/api/typ01/url``.
"""

from __future__ import annotations

import argparse
import logging
import signal
from pathlib import Path

HELP = (
    "Serve kma_sfcdd3.php and kma_pm10.php like KMA API Hub, from synthetic weather "
    "(default: every element, physically consistent) or from CSV files of real observations "
    "(a tidy file of every element, data-portal exports, or temperature and PM10). "
    "Faults can be injected over HTTP: "
    'POST /_emulator/faults {"kind": "server_error", "times": 2}.'
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8787, help="port (0 picks a free one)")
    parser.add_argument("--source", choices=("synthetic", "observed"), default="synthetic")
    parser.add_argument("--seed", type=int, default=108, help="seed of the invented parts")
    parser.add_argument("--temperature-csv", type=Path, help="observed: date,ta_avg,ta_max,ta_min")
    parser.add_argument(
        "--asos-csv", type=Path, help="observed: date and every ASOS element by API name"
    )
    parser.add_argument(
        "--portal-csv",
        type=Path,
        nargs="+",
        help="observed: KMA data-portal exports, or folders of them",
    )
    parser.add_argument("--pm10-csv", type=Path, help="observed: date,pm10_avg,pm10_max,pm10_min")
    parser.add_argument(
        "--require-key", action="store_true", help="answer requests without authKey with 403"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")


def run(args: argparse.Namespace) -> int:
    from seoulcast_assets.kma_emulator.server import KmaEmulator

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(message)s"
    )
    try:
        source = _source(args)
    except (OSError, ValueError) as error:
        print(f"seoulcast emulator: {error}")
        return 2
    emulator = KmaEmulator(source, host=args.host, port=args.port, require_key=args.require_key)
    emulator.bind()
    _stop_on_terminate_or_interrupt()  # before the address is announced and a stop can come
    try:
        # inside the try: a stop may arrive while the announcement is still being flushed
        print(f"KMA emulator ({source!r}) at {emulator.base_url}", flush=True)
        emulator.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _stop_on_terminate_or_interrupt() -> None:
    """Let SIGTERM and SIGINT stop the server even when the parent process left them ignored or
    blocked (both are inherited across exec: a background job ignores SIGINT, some supervisors
    block signals in the thread that starts children)."""
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    for number in stop_signals:
        signal.signal(number, _raise_keyboard_interrupt)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)


def _raise_keyboard_interrupt(number, frame) -> None:
    raise KeyboardInterrupt


def _source(args: argparse.Namespace):
    csv_given = args.temperature_csv or args.asos_csv or args.portal_csv or args.pm10_csv
    if args.source == "synthetic":
        if csv_given:
            raise ValueError("CSV files are only read with --source observed")
        from seoulcast_assets.kma_emulator.synthetic import SyntheticWeather

        return SyntheticWeather(seed=args.seed)
    if not csv_given:
        raise ValueError(
            "--source observed needs --temperature-csv, --asos-csv, --portal-csv or --pm10-csv"
        )
    from seoulcast_assets.kma_emulator.observed import ObservedWeather

    return ObservedWeather.from_files(
        temperature_csv=args.temperature_csv,
        asos_csv=args.asos_csv,
        pm10_csv=args.pm10_csv,
        portal_csv=args.portal_csv,
        seed=args.seed,
    )

"""``seoulcast import-portal FILE``: bootstrap the temperature history from a data-portal export.

Exit codes: 0 imported; 1 the file is not a valid export (the message names the line; nothing
was written) or the store failed; 2 the file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from seoulcast_assets import config

HELP = (
    "Load a KMA data-portal daily temperature export (cp949 CSV: 날짜, 지점, 평균기온, "
    "최저기온, 최고기온) into the raw and clean layers, so the history needs no API key. "
    "The whole file is checked before anything is written."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the export, e.g. kma_portal_seoul_1907-2018.csv")
    parser.add_argument(
        "--storage",
        default=None,
        help="file:///path or s3://bucket/prefix (default: $SEOULCAST_STORAGE or the local store)",
    )
    parser.add_argument(
        "--station", type=int, default=108, help="the station the file must hold (108 = Seoul)"
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="overwrite raw days already collected (by default they are kept)",
    )


def run(args: argparse.Namespace) -> int:
    from seoulcast_assets.cleaning.portal import import_portal
    from seoulcast_assets.cleaning.schemas import CleanTableInvalid
    from seoulcast_assets.kma.portal import PortalFormatError
    from seoulcast_assets.storage import StorageUnavailable, open_store

    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(
            f"seoulcast import-portal: cannot read {args.file}: {error.strerror}", file=sys.stderr
        )
        return 2
    url = args.storage or config.storage_url()
    store = open_store(url, endpoint_url=config.aws_endpoint_url())
    started = time.perf_counter()
    try:
        result = import_portal(data, store, station=args.station, replace=args.replace)
    except PortalFormatError as error:
        print(f"{args.file}: {error}; nothing was written", file=sys.stderr)
        return 1
    except (CleanTableInvalid, StorageUnavailable) as error:
        print(f"seoulcast import-portal: {error}", file=sys.stderr)
        return 1
    _print_summary(args.file, store.url, result, time.perf_counter() - started)
    return 0


def _print_summary(file: Path, url: str, result, seconds: float) -> None:
    report = result.cleaning
    war_gap = report.war_gap_days
    flags = ", ".join(f"{flag} {count}" for flag, count in report.flag_days.items()) or "none"
    print(f"Imported {file.name} into {url} in {seconds:.1f} s")
    print(
        f"  days         {report.first_day} .. {report.last_day}: {result.listed_days} listed, "
        f"{result.observed_days} with observations"
    )
    if war_gap:
        print(
            f"  war gap      {war_gap[0]} .. {war_gap[-1]}: {len(war_gap)} days without "
            "observations, left missing (never interpolated)"
        )
    print(
        f"  raw layer    {result.raw_objects_written} objects written "
        f"({result.raw_objects_changed} changed); {result.kept_days} days already in the "
        "raw layer kept (--replace overwrites them)"
    )
    print(
        f"  clean layer  {report.days} days, {report.objects_written} objects written "
        f"({report.objects_changed} changed), years {report.years[0]}..{report.years[-1]}"
    )
    print(f"  missing      {len(report.missing_temperature_days)} days without temperature")
    print(f"  flags        {flags}")

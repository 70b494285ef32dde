"""``seoulcast import-portal FILE|FOLDER ...``: bootstrap the history from data-portal exports.

Exit codes: 0 imported; 1 an export is not valid, two exports disagree or none holds the
station (the message names the file and line; nothing was written), or the store failed; 2 a
file or folder cannot be read.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from seoulcast_assets import config

HELP = (
    "Load KMA data-portal daily exports (cp949 CSV: the temperature export, or the full ASOS "
    "exports OBS_ASOS_DD_* and SURFACE_ASOS_*_DAY_*) into the raw and clean layers, so the "
    "history needs no API key. Several files or folders at once; every file is checked before "
    "anything is written."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="exports, or folders of them (every *.csv inside), e.g. kma_portal_asos_108/",
    )
    parser.add_argument(
        "--storage",
        default=None,
        help="file:///path or s3://bucket/prefix (default: $SEOULCAST_STORAGE or the local store)",
    )
    parser.add_argument(
        "--station",
        type=int,
        default=108,
        help="the station to import (108 = Seoul); rows of other stations are skipped. The raw "
        "layer holds one station: import another one into its own store",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="overwrite raw days already collected (by default they are kept)",
    )


def export_paths(paths: list[Path]) -> list[Path]:
    """The files named, with each folder replaced by the ``*.csv`` files in it (sorted)."""
    found = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
            if not inside:
                raise OSError(f"no .csv file in the folder {path}")
            found.extend(inside)
        else:
            found.append(path)
    return found


def run(args: argparse.Namespace) -> int:
    from seoulcast_assets.cleaning.portal import PortalFile, import_portal
    from seoulcast_assets.cleaning.schemas import CleanTableInvalid
    from seoulcast_assets.kma.portal import PortalError
    from seoulcast_assets.storage import StorageUnavailable, open_store

    try:
        files = [PortalFile(str(path), path.read_bytes()) for path in export_paths(args.files)]
    except OSError as error:
        reason = f"{error.filename}: {error.strerror}" if error.strerror else str(error)
        print(f"seoulcast import-portal: cannot read {reason}", file=sys.stderr)
        return 2
    url = args.storage or config.storage_url()
    store = open_store(url, endpoint_url=config.aws_endpoint_url())
    started = time.perf_counter()
    try:
        result = import_portal(files, store, station=args.station, replace=args.replace)
    except PortalError as error:
        print(f"{error}; nothing was written", file=sys.stderr)
        return 1
    except (CleanTableInvalid, StorageUnavailable) as error:
        print(f"seoulcast import-portal: {error}", file=sys.stderr)
        return 1
    _print_summary(files, store.url, args.station, result, time.perf_counter() - started)
    return 0


def _print_summary(files, url: str, station: int, result, seconds: float) -> None:
    report = result.cleaning
    war_gap = report.war_gap_days
    flags = ", ".join(f"{flag} {count}" for flag, count in report.flag_days.items()) or "none"
    what = Path(files[0].name).name if len(files) == 1 else f"{len(files)} files"
    steps = ", ".join(f"{step} {taken:.1f} s" for step, taken in result.seconds.items())
    print(f"Imported {what} (station {station}) into {url} in {seconds:.1f} s ({steps})")
    skipped = ", ".join(
        f"{rows} rows of station {number}" for number, rows in result.skipped_rows.items()
    )
    print(f"  rows         {result.rows_read} read; skipped: {skipped or 'none'}")
    print(
        f"  days         {report.first_day} .. {report.last_day}: {result.listed_days} listed, "
        f"{result.observed_days} with observations, {result.days_in_several_files} in more "
        "than one file (merged)"
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

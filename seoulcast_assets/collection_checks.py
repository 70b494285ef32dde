"""Checks of a collection run: what the raw layer holds for the range once the run is over.

* ``days_collected`` (blocking): read back after writing, every day of the range has its parsed
  raw object (a day is collected once that object exists; see :mod:`seoulcast_assets.collection`).
  Cleaning reads only collected days, so a range with holes must stop it.
* ``days_with_observations`` (warning): days KMA answered without a single observation (no row,
  or nothing but missing-value codes), the Korean War gap excepted, where nothing exists.
* ``no_observations_withheld`` (warning): days whose new reply would have replaced observed
  values with missing ones, so the stored day was kept and the reply set aside.
"""

from __future__ import annotations

from seoulcast_assets.checks import CheckOutcome
from seoulcast_assets.cleaning.raw import collected_days
from seoulcast_assets.collection import CollectionReport
from seoulcast_assets.kma.coverage import in_korean_war_gap
from seoulcast_assets.kst import date_range
from seoulcast_assets.storage import ObjectStore

DAYS_COLLECTED = "days_collected"
DAYS_WITH_OBSERVATIONS = "days_with_observations"
NONE_WITHHELD = "no_observations_withheld"


def days_collected_outcome(store: ObjectStore, report: CollectionReport) -> CheckOutcome:
    days = date_range(report.first_day, report.last_day)
    held = collected_days(store, report.source, report.first_day, report.last_day)
    absent = [day for day in days if day not in held]
    metadata: dict[str, object] = {"days": len(days), "days_collected": len(days) - len(absent)}
    if absent:
        description = (
            f"{DAYS_COLLECTED}: {len(absent)} of {len(days)} days have no parsed raw object "
            f"after the run: {_listed(absent)}"
        )
        return CheckOutcome(DAYS_COLLECTED, False, "ERROR", description, metadata)
    return CheckOutcome(
        DAYS_COLLECTED, True, "ERROR", f"all {len(days)} days are collected", metadata
    )


def days_with_observations_outcome(report: CollectionReport) -> CheckOutcome:
    unexplained = [day for day in report.missing_days if not in_korean_war_gap(day)]
    war_gap = len(report.missing_days) - len(unexplained)
    metadata: dict[str, object] = {
        "days_with_data": report.days_with_data,
        "days_without_data": len(report.missing_days),
        "war_gap_days": war_gap,
    }
    if unexplained:
        description = (
            f"{DAYS_WITH_OBSERVATIONS}: KMA sent no observation for {len(unexplained)} of "
            f"{report.days} days: {_listed(unexplained)}"
        )
        return CheckOutcome(DAYS_WITH_OBSERVATIONS, False, "WARN", description, metadata)
    note = f" ({war_gap} in the Korean War gap, where none exist)" if war_gap else ""
    description = f"{report.days_with_data} of {report.days} days have observations{note}"
    return CheckOutcome(DAYS_WITH_OBSERVATIONS, True, "WARN", description, metadata)


def none_withheld_outcome(report: CollectionReport) -> CheckOutcome:
    withheld = report.withheld_days
    metadata: dict[str, object] = {"withheld_days": len(withheld)}
    if withheld:
        description = (
            f"{NONE_WITHHELD}: KMA's new reply would have replaced observed values with "
            f"missing ones on {len(withheld)} days, so the stored days were kept and the "
            f"replies set aside as .withheld.txt: {_listed(withheld)}"
        )
        return CheckOutcome(NONE_WITHHELD, False, "WARN", description, metadata)
    return CheckOutcome(NONE_WITHHELD, True, "WARN", "no stored observation was lost", metadata)


def _listed(days: list, limit: int = 10) -> str:
    more = f", +{len(days) - limit} more" if len(days) > limit else ""
    return ", ".join(day.isoformat() for day in days[:limit]) + more

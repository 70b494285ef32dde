"""Per-element checks of a cleaning run: one warning-only outcome per weather element.

``weather_<element>`` (e.g. ``weather_hm_avg``) passes when every day of the run on which the
element is expected (from the day Seoul's record holds it daily, ``Element.expected_from``,
the war gap excepted) has a value and no rule removed one. Otherwise it warns, naming the days
and why: the day's flags for a missing day (``hm_avg:missing``, ``weather:no_observation`` ...),
the rule and the removed value for a flagged one (``2024-05-03 hm_min=104 (hm_min in
0..100)``). It never blocks: the forecast reads the elements as inputs and runs degraded without
one, so a missing humidity must not stop it. The metadata carries the counts and shares for the
UI's plots.

``weather_wd_max`` also warns when every direction of a run of 30 days or more is 36 or less:
KMA's help text gives the unit of ``WD_MAX`` as "16" and a few published replies look like tens
of degrees (``kma_api.md`` §1.4), which would make every wind component wrong.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from seoulcast_assets.checks import CheckOutcome
from seoulcast_assets.cleaning.elements import BY_NAME, ELEMENT_NAMES
from seoulcast_assets.cleaning.flags import WEATHER_DAY_FLAGS, split_flags, value_flag
from seoulcast_assets.cleaning.pipeline import CleaningReport

REMOVING_REASONS = ("sentinel", "implausible", "inconsistent")
MIN_DAYS_FOR_UNIT_HINT = 30


def element_check_name(element: str) -> str:
    return f"weather_{element}"


ELEMENT_CHECKS: tuple[str, ...] = tuple(element_check_name(name) for name in ELEMENT_NAMES)


def element_outcomes(report: CleaningReport) -> list[CheckOutcome]:
    """One outcome per element, in :data:`ELEMENT_NAMES` order."""
    tokens = [split_flags(flags) for flags in report.table["flags"]]
    dates = [stamp.date() for stamp in report.table["date"]]
    return [_outcome(report, name, dates, tokens) for name in ELEMENT_NAMES]


def _outcome(
    report: CleaningReport, element: str, dates: list[date], tokens: list[list[str]]
) -> CheckOutcome:
    name = element_check_name(element)
    expected = report.element_days(element)
    missing = report.missing_element_days(element)
    removed = {
        reason: _days_with(dates, tokens, value_flag(element, reason))
        for reason in REMOVING_REASONS
    }
    metadata: dict[str, object] = {
        "first_day": BY_NAME[element].first_day.isoformat(),
        "expected_days": expected,
        "missing_days": len(missing),
        "missing_share": round(len(missing) / expected, 4) if expected else 0.0,
    }
    for reason, days in removed.items():
        metadata[f"{reason}_days"] = len(days)
        metadata[f"{reason}_share"] = round(len(days) / expected, 4) if expected else 0.0
    problems = []
    if missing:
        by_day = dict(zip(dates, tokens, strict=True))
        why = [f"{day} ({', '.join(_why_missing(by_day[day], element))})" for day in missing]
        problems.append(f"{len(missing)} of {expected} days without {element}: {_listed(why)}")
    failures = report.rule_failures
    for reason, days in removed.items():
        if not days:
            continue
        shown = [str(day) for day in days]  # a sentinel: KMA's code, no rule
        if len(failures) and reason != "sentinel":
            failed = failures[(failures["column"] == element) & (failures["reason"] == reason)]
            shown = [
                f"{row.date.date()} {element}={row.value:g} ({row.rule})"
                for row in failed.itertuples(index=False)
            ]
        problems.append(f"{element}:{reason} on {len(days)} days: {_listed(shown)}")
    if element == "wd_max":
        problems.extend(_unit_hint(report))
    if not problems:
        description = f"{element}: a value on every one of {expected} expected days, none removed"
        return CheckOutcome(name, True, "WARN", description, metadata)
    return CheckOutcome(name, False, "WARN", f"{name}: " + "; ".join(problems), metadata)


def _why_missing(tokens: list[str], element: str) -> list[str]:
    reasons = [t for t in tokens if t.partition(":")[0] == element or t in WEATHER_DAY_FLAGS]
    return reasons or ["no flag"]


def _days_with(dates: list[date], tokens: list[list[str]], flag: str) -> list[date]:
    return [day for day, day_tokens in zip(dates, tokens, strict=True) if flag in day_tokens]


def _unit_hint(report: CleaningReport) -> list[str]:
    directions = pd.Series(report.table["wd_max"]).dropna()
    if len(directions) >= MIN_DAYS_FOR_UNIT_HINT and directions.max() <= 36:
        return [
            f"every wd_max of {len(directions)} days is at most {directions.max():g}: KMA may "
            "be giving tens of degrees, not degrees (kma_api.md 1.4); the wind components "
            "would be wrong"
        ]
    return []


def _listed(items: list[str], limit: int = 10) -> str:
    more = f", +{len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more

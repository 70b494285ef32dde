"""What every published forecast document must hold, checked on the documents a run wrote.

Three checks, each over all issue dates of a run (a backfill of a month is one result naming
the dates that fail):

* ``seven_days``: the days D .. D+6, consecutive from the issue date, leads 1..7 (``lead_days``
  counts D as the first);
* ``quantiles_ordered``: ``p10 <= p50 <= p90`` for every target and day, PM10 never negative;
* ``grade_probabilities_sum_to_one``: the four PM10 grade probabilities of every day are in
  [0, 1] and sum to 1 (to the rounding of 3 decimals), and the named grade is one of them.

A failure is an ERROR: a document that breaks them is wrong for every reader, so the run's check
fails although the forecast was written (``latest.json`` is already the newest; the check names
the issue dates so the operator can re-run them once the cause is fixed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from seoulcast_assets.checks import CheckOutcome
from seoulcast_assets.ml.inputs.variables import TARGETS

SEVEN_DAYS = "seven_days"
QUANTILES_ORDERED = "quantiles_ordered"
GRADE_PROBABILITIES = "grade_probabilities_sum_to_one"
FORECAST_DAYS = 7
PROBABILITY_TOLERANCE = 0.0015  # four values rounded to 3 decimals


def days_problem(document: Mapping) -> str | None:
    first = date.fromisoformat(document["issue_date"])
    dates = [day["date"] for day in document["days"]]
    expected = [(first + timedelta(days=n)).isoformat() for n in range(FORECAST_DAYS)]
    if dates != expected:
        return f"days {', '.join(dates) or 'none'} (expected {expected[0]}..{expected[-1]})"
    leads = [day.get("lead_days") for day in document["days"]]
    if leads != list(range(1, FORECAST_DAYS + 1)):
        return f"lead_days {leads}"
    return None


def quantiles_problem(document: Mapping) -> str | None:
    for day in document["days"]:
        for target in TARGETS:
            q = day[target]
            if not q["p10"] <= q["p50"] <= q["p90"]:
                return f"{day['date']} {target} p10 {q['p10']}, p50 {q['p50']}, p90 {q['p90']}"
        if day["pm10_avg"]["p10"] < 0:
            return f"{day['date']} pm10_avg p10 {day['pm10_avg']['p10']} < 0"
    return None


def probabilities_problem(document: Mapping) -> str | None:
    for day in document["days"]:
        probabilities = day["pm10_grade_probabilities"]
        total = sum(probabilities.values())
        if any(not 0.0 <= p <= 1.0 for p in probabilities.values()):
            return f"{day['date']} probabilities {probabilities}"
        if abs(total - 1.0) > PROBABILITY_TOLERANCE:
            return f"{day['date']} probabilities sum to {total:.4f}"
        if day["pm10_grade"] not in probabilities:
            return f"{day['date']} grade {day['pm10_grade']!r} is not one of {list(probabilities)}"
    return None


CHECKS = {
    SEVEN_DAYS: (days_problem, "Seven consecutive days from the issue date, lead_days 1..7."),
    QUANTILES_ORDERED: (quantiles_problem, "p10 <= p50 <= p90 for every target and day."),
    GRADE_PROBABILITIES: (
        probabilities_problem,
        "PM10 grade probabilities in [0, 1], summing to 1, the grade one of the four.",
    ),
}


DESCRIPTIONS: dict[str, str] = {name: description for name, (_, description) in CHECKS.items()}


def check_documents(documents: Iterable[Mapping]) -> list[CheckOutcome]:
    """One outcome per check over ``documents`` (the forecasts a run wrote)."""
    documents = list(documents)
    outcomes = []
    for name, (problem_of, description) in CHECKS.items():
        problems = {
            document["issue_date"]: problem
            for document in documents
            if (problem := problem_of(document)) is not None
        }
        first = next(iter(problems.items()), None)
        outcomes.append(
            CheckOutcome(
                name=name,
                passed=not problems,
                severity="ERROR",
                description=description
                if not problems
                else f"{len(problems)} of {len(documents)} forecasts fail; first: "
                f"{first[0]}: {first[1]}",
                metadata={
                    "forecasts_checked": len(documents),
                    "failing_issue_dates": ", ".join(problems),
                },
            )
        )
    return outcomes

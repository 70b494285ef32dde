"""Matching stored forecasts with the observations of the days they were for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import get_args

from seoulcast_api.cache import Cached, combined
from seoulcast_api.forecasts.schemas import UNITS, ForecastDay, ForecastDocument
from seoulcast_api.forecasts.services import ForecastService
from seoulcast_api.observations.schemas import ObservedDay
from seoulcast_api.observations.services import ObservationService
from seoulcast_api.verification.schemas import (
    ObservedValues,
    PastForecast,
    Target,
    TargetScore,
    VerificationReport,
    VerifiedDay,
)

TARGETS: tuple[Target, ...] = get_args(Target)
HORIZON_DAYS = 7  # a forecast document covers its issue date and the six days after


class VerificationService:
    def __init__(self, forecasts: ForecastService, observations: ObservationService):
        self.forecasts = forecasts
        self.observations = observations

    def last_days(self, days: int) -> Cached[VerificationReport]:
        """The ``days`` days ending at the newest observed day."""
        end = self.forecasts.newest_observed_day()
        start = end - timedelta(days=days - 1)
        observed = self.observations.between(start, end)
        issued = self.forecasts.issued_between(start - timedelta(days=HORIZON_DAYS - 1), end)
        documents = [read.value.document for read in issued.values()]
        report = verification_report(start, end, documents, observed.value)
        return combined(report, [observed, *issued.values()])


def verification_report(
    start: date,
    end: date,
    documents: Iterable[ForecastDocument],
    observed_days: Iterable[ObservedDay],
) -> VerificationReport:
    """Each day from ``start`` to ``end`` with its observation and the forecasts made for it."""
    observed = {day.date: _observed_values(day) for day in observed_days}
    forecasts_for: dict[date, list[PastForecast]] = {}
    for document in documents:
        for day in document.days:
            if start <= day.date <= end:
                forecasts_for.setdefault(day.date, []).append(_past(document, day))
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        runs = sorted(forecasts_for.get(day, []), key=lambda f: (f.lead_days, f.issue_date))
        days.append(VerifiedDay(day, observed.get(day), runs))
    return VerificationReport(start, end, UNITS, days, scores(days))


def scores(days: Iterable[VerifiedDay]) -> list[TargetScore]:
    """MAE and 80% coverage of p50 forecasts, per target and lead, over ``days``.

    When two runs forecast the same day at the same lead (a re-issued forecast), the later one
    counts, as it is the one that was served.
    """
    errors: dict[tuple[Target, int], list[tuple[float, bool]]] = {}
    leads: set[int] = set()
    for day in days:
        by_lead: Mapping[int, PastForecast] = {run.lead_days: run for run in day.forecasts}
        leads.update(by_lead)
        if day.observed is None:
            continue
        for lead, run in by_lead.items():
            for target in TARGETS:
                actual = getattr(day.observed, target)
                if actual is None:
                    continue
                band = getattr(run, target)
                errors.setdefault((target, lead), []).append(
                    (abs(band.p50 - actual), band.p10 <= actual <= band.p90)
                )
    table = []
    for target in TARGETS:
        for lead in sorted(leads):
            pairs = errors.get((target, lead), [])
            n = len(pairs)
            table.append(
                TargetScore(
                    target=target,
                    lead_days=lead,
                    n=n,
                    mae=round(sum(error for error, _ in pairs) / n, 3) if n else None,
                    coverage80=round(sum(inside for _, inside in pairs) / n, 3) if n else None,
                )
            )
    return table


def _observed_values(day: ObservedDay) -> ObservedValues:
    return ObservedValues(day.ta_avg, day.ta_max, day.ta_min, day.pm10_avg)


def _past(document: ForecastDocument, day: ForecastDay) -> PastForecast:
    return PastForecast(
        issue_date=document.issue_date,
        lead_days=day.lead_days,
        ta_avg=day.ta_avg,
        ta_max=day.ta_max,
        ta_min=day.ta_min,
        pm10_avg=day.pm10_avg,
        pm10_grade=day.pm10_grade,
    )

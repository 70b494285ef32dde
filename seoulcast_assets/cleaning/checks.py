"""Cross-row checks of a cleaning run: the rules no single row can break.

Each check returns a :class:`CheckOutcome`, which the Dagster layer reports as an asset check
result; a failed ``ERROR`` outcome of a blocking check stops the assets downstream (the model
and the forecast), a ``WARN`` only shows in the UI. Every description names the days and the
rule.

* ``no_unexplained_missing_days`` (blocking): days without a complete temperature triple (the
  Korean War gap excepted) or, from 2008-04-28, without a daily PM10 value. A few such days are
  normal (KMA has gaps; the forecast runs degraded) and only warn; a run where more than
  ``max_missing_days`` days *and* more than ``max_missing_share`` of its days are missing
  means collection is broken, and fails.
* ``flag_rates`` (warning only): the share of days carrying each rule's flag stays below a
  bound. A rule firing on far more days than it does in Seoul's record means the sensor or the
  policy changed; the data is flagged, not deleted, so the forecast can go on meanwhile.
* ``year_tables_cover_run`` (blocking): read back after writing, every year table of the run
  has the contract's columns, one row per date in order, and a row for every day of the run.
  Training reads these tables, so a table that lost days must stop it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from seoulcast_assets.checks import CheckOutcome, Severity
from seoulcast_assets.cleaning.flags import TEMPERATURE_COLUMNS, value_flag
from seoulcast_assets.cleaning.pipeline import CleaningReport
from seoulcast_assets.cleaning.tables import YEAR_COLUMNS, year_table_cells
from seoulcast_assets.kst import date_range
from seoulcast_assets.layout import clean_year_key
from seoulcast_assets.storage import ObjectStore

MISSING_DAYS = "no_unexplained_missing_days"
FLAG_RATES = "flag_rates"
YEAR_TABLES = "year_tables_cover_run"

_INTERPOLATED = tuple(value_flag(column, "interpolated") for column in TEMPERATURE_COLUMNS)


def _default_flag_share_bounds() -> dict[str, float]:
    # Shares in Seoul's record 2008-2018 (cleaned with the default policy) are in brackets.
    return {
        "ta:interpolated": 0.02,  # [< 0.1%] any temperature value filled
        "pm10:zero_removed": 0.60,  # [26%; 13-48% a year]
        "pm10:spike_removed": 0.10,  # [2%]
        "pm10:stuck_removed": 0.02,  # [one day]
        "pm10:low_coverage": 0.05,  # [two days]
        "pm10_avg:above_fence": 0.25,  # [5%; dusty springs more]
    }


@dataclass(frozen=True)
class CheckThresholds:
    """Bounds of the cross-row checks."""

    max_missing_days: int = 7
    max_missing_share: float = 0.05
    min_days_for_rates: int = 30
    flag_share_bounds: dict[str, float] = field(default_factory=_default_flag_share_bounds)


DEFAULT_THRESHOLDS = CheckThresholds()


def missing_days_outcome(
    report: CleaningReport, thresholds: CheckThresholds = DEFAULT_THRESHOLDS
) -> CheckOutcome:
    """Days without temperature (war gap excepted) or PM10 (from its start), with reasons."""
    parts = {
        "temperature": (report.missing_temperature_days, report.days - len(report.war_gap_days)),
        "pm10": (report.missing_pm10_days, report.pm10_series_days),
    }
    too_many = []
    metadata: dict[str, object] = {}
    lines = []
    for variable, (missing, out_of) in parts.items():
        share = len(missing) / out_of if out_of else 0.0
        metadata[f"missing_{variable}_days"] = len(missing)
        metadata[f"missing_{variable}_share"] = round(share, 4)
        metadata[f"missing_{variable}_sample"] = _reasons(report, missing, variable)
        if missing:
            lines.append(
                f"{len(missing)} of {out_of} days without {variable}: "
                f"{_reasons(report, missing, variable)}"
            )
        if len(missing) > thresholds.max_missing_days and share > thresholds.max_missing_share:
            too_many.append(variable)
    limit = (
        f"fails above {thresholds.max_missing_days} days and "
        f"{thresholds.max_missing_share:.0%} of the run"
    )
    if not lines:
        return CheckOutcome(MISSING_DAYS, True, "ERROR", f"no missing days ({limit})", metadata)
    severity: Severity = "ERROR" if too_many else "WARN"
    description = f"{MISSING_DAYS} ({limit}): " + "; ".join(lines)
    return CheckOutcome(MISSING_DAYS, False, severity, description, metadata)


def flag_rates_outcome(
    report: CleaningReport, thresholds: CheckThresholds = DEFAULT_THRESHOLDS
) -> CheckOutcome:
    """The share of days each rule flagged, against its bound (warn when above)."""
    flags = report.table["flags"]
    pm10_days = report.pm10_series_days
    temperature_days = report.days - len(report.war_gap_days)
    day_counts = {flag: report.flag_days.get(flag, 0) for flag in thresholds.flag_share_bounds}
    day_counts["ta:interpolated"] = int(flags.str.contains("|".join(_INTERPOLATED)).sum())
    metadata: dict[str, object] = {}
    above = []
    for flag, bound in thresholds.flag_share_bounds.items():
        out_of = temperature_days if flag.startswith("ta") else pm10_days
        share = day_counts[flag] / out_of if out_of else 0.0
        metadata[f"{flag} share"] = round(share, 4)
        if out_of >= thresholds.min_days_for_rates and share > bound:
            sample = _sample_with(report, "interpolated" if flag.startswith("ta") else flag)
            above.append(f"{flag} on {share:.1%} of days, above {bound:.0%} ({sample})")
    if (
        pm10_days < thresholds.min_days_for_rates
        and temperature_days < thresholds.min_days_for_rates
    ):
        note = f"fewer than {thresholds.min_days_for_rates} days: rates not judged"
        return CheckOutcome(FLAG_RATES, True, "WARN", note, metadata)
    if above:
        return CheckOutcome(
            FLAG_RATES, False, "WARN", f"{FLAG_RATES}: " + "; ".join(above), metadata
        )
    return CheckOutcome(
        FLAG_RATES, True, "WARN", "every rule flagged days within its bound", metadata
    )


def year_tables_outcome(store: ObjectStore, report: CleaningReport) -> CheckOutcome:
    """Read the run's year tables back; each must hold every day of the run once, in order."""
    keys = [clean_year_key(year) for year in report.years]
    tables = store.get_many(keys)
    problems = []
    for year, key in zip(report.years, keys, strict=True):
        if key not in tables:
            problems.append(f"{key} is missing")
            continue
        cells = year_table_cells(tables[key])
        header = tables[key].split(b"\n", 1)[0].decode()
        if header != ",".join(YEAR_COLUMNS):
            problems.append(f"{key} has the columns {header!r}")
        dates = cells["date"]
        if dates.duplicated().any():
            problems.append(f"{key}: {dates[dates.duplicated()].iloc[0]} appears twice")
        if not dates.is_monotonic_increasing:
            problems.append(f"{key}: dates out of order")
        first = max(report.first_day, date(year, 1, 1))
        last = min(report.last_day, date(year, 12, 31))
        expected = pd.Index([day.isoformat() for day in date_range(first, last)])
        absent = expected.difference(pd.Index(dates))
        if len(absent):
            problems.append(f"{key} lacks {len(absent)} days of the run: {_listed(absent)}")
    metadata: dict[str, object] = {"year_tables": ", ".join(keys)}
    if problems:
        description = f"{YEAR_TABLES}: " + "; ".join(problems)
        return CheckOutcome(YEAR_TABLES, False, "ERROR", description, metadata)
    description = f"{len(keys)} year tables hold every day of the run once, in order"
    return CheckOutcome(YEAR_TABLES, True, "ERROR", description, metadata)


def _reasons(report: CleaningReport, days: list[date], variable: str, limit: int = 10) -> str:
    """``2024-01-05 (ta:not_collected), ...`` for the first ``limit`` days."""
    prefix = "ta" if variable == "temperature" else "pm10"
    shown = []
    for day in days[:limit]:
        reasons = [flag for flag in report.flags_of(day) if flag.startswith(prefix)]
        shown.append(f"{day} ({', '.join(reasons) or 'no flag'})")
    more = f", +{len(days) - limit} more" if len(days) > limit else ""
    return ", ".join(shown) + more


def _sample_with(report: CleaningReport, flag_part: str, limit: int = 5) -> str:
    table = report.table
    days = table.loc[table["flags"].str.contains(flag_part, regex=False), "date"]
    return "e.g. " + ", ".join(stamp.date().isoformat() for stamp in days.iloc[:limit])


def _listed(values: pd.Index, limit: int = 10) -> str:
    more = f", +{len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(values[:limit]) + more

"""From a model's predictions to the published forecast document (docs/object-store.md).

The forecast issued on day ``D`` is made from the cleaned observations up to ``D-1`` and covers
``D .. D+6`` (leads 1-7 after the last observed day). Inputs are checked first:

* no cleaned row for ``D-1`` at all means cleaning has not run for it: that is an error
  (:class:`MissingInputError`), never a forecast from stale data;
* missing values inside the model's look-back are tolerated up to a limit: the model carries the
  last observed temperature anomaly forward and marks PM10 "not observed" (the same rule it was
  trained with), and the document says so (``degraded: true``, the days in
  ``inputs.missing_days``, a sentence in ``warnings``);
* more missing temperature days than the limit among the last week is an error as well;
* a weather element the model reads (humidity, pressure, …) missing on days of the look-back
  degrades the forecast the same way: the model carries the element's last observed anomaly
  forward (as it does for temperature), the days are listed and ``warnings`` names the
  element. A missing element never stops the forecast.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd

from seoulcast_assets.layout import LATEST_FORECAST_KEY, forecast_key
from seoulcast_assets.ml.evaluation.metrics import GRADES
from seoulcast_assets.ml.inputs.variables import PM10_TARGET, TARGETS, WEATHER_ELEMENTS
from seoulcast_assets.storage import ObjectNotFound, ObjectStore

SCHEMA_VERSION = 1
TEMPERATURE_COLUMNS = ("ta_avg", "ta_max", "ta_min")
UNITS = {"temperature": "°C", "pm10": "µg/m³"}


class MissingInputError(RuntimeError):
    """The observations a forecast needs are not there; no forecast is written."""


@dataclass(frozen=True)
class InputPolicy:
    lookback_days: int = 28
    """Days before ``D`` the model reads closely; missing values there degrade the forecast."""
    max_missing_temperature_last_week: int = 3
    """More missing temperature days than this in ``D-7 .. D-1``: refuse to forecast."""


@dataclass
class InputCheck:
    first_date: date
    last_date: date
    missing_days: list[date] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def degraded(self) -> bool:
        return bool(self.missing_days)


def check_inputs(
    history: pd.DataFrame,
    issue_date: date,
    policy: InputPolicy = InputPolicy(),
    elements: tuple[str, ...] = (),
) -> InputCheck:
    """What the forecast for ``issue_date`` can stand on (see the module docstring);
    ``elements`` are the weather elements the model reads."""
    last_day = issue_date - timedelta(days=1)
    available = history.loc[: pd.Timestamp(last_day)]
    if available.empty or pd.Timestamp(last_day) not in available.index:
        raise MissingInputError(
            f"no cleaned observations for {last_day}: clean_daily has not run for it, "
            f"so no forecast is issued for {issue_date}"
        )
    window = pd.date_range(last_day - timedelta(days=policy.lookback_days - 1), last_day)
    recent = available.reindex(window)
    missing_temperature = recent[list(TEMPERATURE_COLUMNS)].isna().any(axis=1)
    missing_pm10 = recent[PM10_TARGET].isna()
    last_week = missing_temperature.iloc[-7:]
    if last_week.sum() > policy.max_missing_temperature_last_week:
        days = ", ".join(d.date().isoformat() for d in last_week[last_week].index)
        raise MissingInputError(
            f"temperature is missing on {int(last_week.sum())} of the 7 days before {issue_date} "
            f"({days}); more than {policy.max_missing_temperature_last_week} allowed"
        )
    check = InputCheck(first_date=available.index.min().date(), last_date=last_day)
    if missing_temperature.any():
        days = [d.date() for d in missing_temperature[missing_temperature].index]
        check.missing_days.extend(days)
        check.warnings.append(
            f"temperature missing on {_days(days)}: the model carried the last observed "
            "anomaly forward"
        )
    if missing_pm10.any():
        days = [d.date() for d in missing_pm10[missing_pm10].index]
        check.missing_days.extend(d for d in days if d not in check.missing_days)
        check.warnings.append(f"PM10 missing on {_days(days)}: treated as not observed")
    recent_elements = recent.reindex(columns=list(elements))
    for element in elements:
        absent = recent_elements[element].isna()
        if not absent.any():
            continue
        days = [d.date() for d in absent[absent].index]
        check.missing_days.extend(d for d in days if d not in check.missing_days)
        check.warnings.append(
            f"{element} missing on {_days(days)}: the model carried its last observed "
            "anomaly forward (the normal where there was none)"
        )
    check.missing_days.sort()
    return check


def model_elements(input_columns) -> tuple[str, ...]:
    """The weather elements among a model's input columns (its pyfunc signature)."""
    return tuple(column for column in input_columns if column in WEATHER_ELEMENTS)


def _days(days: list[date]) -> str:
    return ", ".join(d.isoformat() for d in days)


def forecast_document(
    predictions: pd.DataFrame,
    issue_date: date,
    issued_at: datetime,
    model: Mapping[str, str],
    inputs: InputCheck,
    source: str | None = None,
) -> dict:
    """The forecast document for ``issue_date`` from a model's 28 prediction rows.

    ``predictions`` has ``target, horizon, date, p10, p50, p90`` and, on PM10 rows, ``grade``
    and ``p_good, p_moderate, p_bad, p_very_bad`` (what ``Forecaster.predict`` and the pyfunc
    model return). ``model`` holds ``name, version, alias, run_id``; ``source`` says where the
    input observations came from (``history.observations_source``; omitted when unknown).
    """
    frame = predictions.copy()
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    expected_first = issue_date
    if frame["date"].min() != expected_first:
        raise ValueError(f"predictions start {frame['date'].min()}, expected {expected_first}")
    days = []
    for horizon, rows in frame.groupby("horizon", sort=True):
        by_target = rows.set_index("target")
        day: dict = {"date": by_target["date"].iloc[0].isoformat(), "lead_days": int(horizon)}
        for target in TARGETS:
            row = by_target.loc[target]
            day[target] = {q: round(float(row[q]), 1) for q in ("p10", "p50", "p90")}
        pm10 = by_target.loc[PM10_TARGET]
        day["pm10_grade"] = str(pm10["grade"])
        day["pm10_grade_probabilities"] = _probabilities(
            {grade: float(pm10[f"p_{grade}"]) for grade in GRADES}
        )
        days.append(day)
    return {
        "schema_version": SCHEMA_VERSION,
        "issue_date": issue_date.isoformat(),
        "issued_at": issued_at.isoformat(timespec="seconds"),
        "model": {key: str(model[key]) for key in ("name", "version", "alias", "run_id")},
        "inputs": {
            "first_date": inputs.first_date.isoformat(),
            "last_date": inputs.last_date.isoformat(),
            "missing_days": [d.isoformat() for d in inputs.missing_days],
            **({"source": source} if source else {}),
        },
        "degraded": inputs.degraded,
        "warnings": list(inputs.warnings),
        "units": dict(UNITS),
        "days": days,
    }


def _probabilities(raw: Mapping[str, float]) -> dict[str, float]:
    """Rounded to 3 decimals and still summing to exactly 1 (the largest absorbs the rest)."""
    total = sum(raw.values())
    rounded = {grade: round(value / total, 3) for grade, value in raw.items()}
    largest = max(rounded, key=rounded.get)
    rounded[largest] = round(1.0 - sum(v for g, v in rounded.items() if g != largest), 3)
    return rounded


GRADE_LABELS = {"good": "좋음", "moderate": "보통", "bad": "나쁨", "very_bad": "매우나쁨"}


def summary_text(document: Mapping) -> str:
    """The daily Slack notice: the next day in one line, the week in a few."""
    model = document["model"]
    lines = [
        f":sunrise: *SeoulCast forecast issued {document['issue_date']}* "
        f"(model {model['name']} v{model['version']})"
    ]
    for day in document["days"]:
        grade = day["pm10_grade"]
        lines.append(
            f"{day['date']}: {day['ta_min']['p50']:.1f}–{day['ta_max']['p50']:.1f} °C "
            f"(avg {day['ta_avg']['p50']:.1f}), PM10 {day['pm10_avg']['p50']:.0f} µg/m³ "
            f"{GRADE_LABELS[grade]} ({grade})"
        )
    if document["degraded"]:
        lines.append(":warning: degraded: " + " ".join(document["warnings"]))
    return "\n".join(lines)


# -- the store ---------------------------------------------------------------------------------


def publish_forecast(store: ObjectStore, document: Mapping) -> bool:
    """Write the forecast under its issue date; make it ``latest`` unless a newer one is.

    Each write is a single atomic put, so readers see the old or the new document, never a mix.
    A backfilled (older) issue date never replaces a newer latest. Returns whether it is latest.
    """
    issue_date = date.fromisoformat(document["issue_date"])
    body = json.dumps(document, ensure_ascii=False, indent=1).encode()
    store.put(forecast_key(issue_date), body, "application/json")
    try:
        current = json.loads(store.get(LATEST_FORECAST_KEY))
        if date.fromisoformat(current["issue_date"]) > issue_date:
            return False
    except ObjectNotFound:
        pass
    store.put(LATEST_FORECAST_KEY, body, "application/json")
    return True


def read_forecasts(store: ObjectStore, first_issue: date, last_issue: date) -> list[dict]:
    """Every stored forecast issued ``first_issue .. last_issue`` (one listing per month)."""
    months = pd.period_range(first_issue, last_issue, freq="M")
    keys = [
        key
        for month in months
        for key in store.list_keys(f"forecast/date={month.strftime('%Y-%m')}/")
        if first_issue.isoformat() <= key.rsplit("/", 1)[-1][:10] <= last_issue.isoformat()
    ]
    return [json.loads(data) for data in store.get_many(keys).values()]

"""Objects in exactly the format of docs/object-store.md, for the API's tests and benchmark.

Values are a smooth function of the date (a seasonal cycle plus a weekly wobble), so every day
and every forecast run differs, PM10 crosses all four grades, and a test can recompute what it
expects from what it wrote.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from seoulcast_assets.layout import (
    CHAMPION_MODEL_KEY,
    LATEST_FORECAST_KEY,
    YEAR_COLUMNS,
    clean_year_key,
    forecast_key,
)
from seoulcast_assets.storage import ObjectStore, S3ObjectStore

KST = ZoneInfo("Asia/Seoul")
TARGETS = ("ta_avg", "ta_max", "ta_min", "pm10_avg")
MODELS = ("lstm", "persistence", "climatology", "linear")


def pm10_grade(value: float) -> str:
    """The Ministry of Environment grade of a daily-mean PM10 (µg/m³)."""
    if value <= 30:
        return "good"
    if value <= 80:
        return "moderate"
    if value <= 150:
        return "bad"
    return "very_bad"


def true_weather(day: date) -> dict[str, float]:
    """What 'happened' on ``day``: the observation the fixtures record for it."""
    season = math.cos(2 * math.pi * (day.timetuple().tm_yday - 200) / 365.25)
    wobble = math.sin(day.toordinal() * 0.9)
    ta_avg = round(12.5 + 14.0 * season + 2.0 * wobble, 1)
    pm10 = round(max(8.0, 55.0 - 20.0 * season + 70.0 * math.sin(day.toordinal() * 0.45)), 1)
    return {
        "ta_avg": ta_avg,
        "ta_max": round(ta_avg + 5.2 + wobble, 1),
        "ta_min": round(ta_avg - 4.8 + wobble / 2, 1),
        "pm10_avg": pm10,
    }


def forecast_day(issue_date: date, day: date, lead: int) -> dict:
    """A forecast for ``day`` made on ``issue_date``: the truth, off by a lead-dependent bias."""
    truth = true_weather(day)
    bias = 0.35 * lead * math.sin(issue_date.toordinal() * 1.7)
    entry: dict = {"date": day.isoformat(), "lead_days": lead}
    for target in ("ta_avg", "ta_max", "ta_min"):
        p50 = round(truth[target] + bias, 1)
        spread = round(1.2 + 0.25 * lead, 1)
        entry[target] = {"p10": round(p50 - spread, 1), "p50": p50, "p90": round(p50 + spread, 1)}
    pm_p50 = round(max(5.0, truth["pm10_avg"] * (1 + 0.04 * bias)), 1)
    entry["pm10_avg"] = {
        "p10": round(pm_p50 * 0.55, 1),
        "p50": pm_p50,
        "p90": round(pm_p50 * 1.6, 1),
    }
    grade = pm10_grade(pm_p50)
    probabilities = {"good": 0.05, "moderate": 0.05, "bad": 0.05, "very_bad": 0.05}
    probabilities[grade] = 0.85
    entry["pm10_grade"] = grade
    entry["pm10_grade_probabilities"] = probabilities
    return entry


def forecast_document(
    issue_date: date,
    *,
    issued_at: datetime | None = None,
    version: str = "7",
    missing_days: Iterable[date] = (),
) -> dict:
    """The document the pipeline writes on ``issue_date`` (data through the day before)."""
    last_date = issue_date - timedelta(days=1)
    missing = sorted(missing_days)
    return {
        "schema_version": 1,
        "issue_date": issue_date.isoformat(),
        "issued_at": (issued_at or datetime.combine(issue_date, time(5, 0, 31), KST)).isoformat(),
        "model": {
            "name": "seoulcast-lstm",
            "version": version,
            "alias": "champion",
            "run_id": f"run-{version}-{issue_date:%Y%m%d}",
        },
        "inputs": {
            "first_date": "1907-10-01",
            "last_date": last_date.isoformat(),
            "missing_days": [day.isoformat() for day in missing],
        },
        "degraded": bool(missing),
        "warnings": [f"{day} was missing; filled by interpolation" for day in missing],
        "units": {"temperature": "°C", "pm10": "µg/m³"},
        "days": [
            forecast_day(issue_date, issue_date + timedelta(days=offset), offset + 1)
            for offset in range(7)
        ],
    }


def observation_row(day: date) -> dict[str, str]:
    truth = true_weather(day)
    return {
        "date": day.isoformat(),
        "ta_avg": f"{truth['ta_avg']:.1f}",
        "ta_max": f"{truth['ta_max']:.1f}",
        "ta_min": f"{truth['ta_min']:.1f}",
        "pm10_avg": f"{truth['pm10_avg']:.1f}",
        "pm10_max": f"{truth['pm10_avg'] * 1.9:.1f}",
        "pm10_min": f"{truth['pm10_avg'] * 0.3:.1f}",
        "pm10_n_valid": "287",
        "flags": "ta_max:interpolated" if day.day == 15 else "",
    }


def year_table(rows: Iterable[dict[str, str]]) -> bytes:
    """A ``result/daily/year=YYYY.csv`` body: header, then the rows sorted by date."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=YEAR_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda row: row["date"]))
    return buffer.getvalue().encode("utf-8")


def model_card(version: str = "7", promoted_at: datetime | None = None) -> dict:
    """A champion card with a backtest row per model, target and horizon."""
    rows = []
    for model_index, model in enumerate(MODELS):
        for target_index, target in enumerate(TARGETS):
            for horizon in range(1, 8):
                scale = 6.0 if target == "pm10_avg" else 1.0
                error = 1.1 + 0.3 * model_index + 0.12 * horizon + 0.05 * target_index
                mae = round(scale * error, 3)
                rows.append(
                    {
                        "model": model,
                        "target": target,
                        "horizon": horizon,
                        "mae": mae,
                        "rmse": round(mae * 1.3, 3),
                        "coverage80": 0.8 if model == "lstm" else None,
                        "grade_accuracy": round(0.7 - 0.03 * horizon, 3)
                        if target == "pm10_avg"
                        else None,
                        "n": 365,
                    }
                )
    return {
        "name": "seoulcast-lstm",
        "version": version,
        "run_id": f"run-{version}",
        "promoted_at": (promoted_at or datetime(2026, 11, 20, 5, 12, 3, tzinfo=KST)).isoformat(),
        "trained_through": "2026-11-19",
        "backtest": rows,
    }


def encode(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def write_forecast(store: ObjectStore, document: dict, *, latest: bool = True) -> None:
    """Write a forecast where the pipeline does: its dated key and, if newest, latest.json."""
    body = encode(document)
    store.put(forecast_key(date.fromisoformat(document["issue_date"])), body, "application/json")
    if latest:
        store.put(LATEST_FORECAST_KEY, body, "application/json")


def delete(store: S3ObjectStore, key: str) -> None:
    """Remove an object (the pipeline never deletes; tests do, to stage a missing object)."""
    store.client.delete_object(Bucket=store.bucket, Key=f"{store.prefix}/{key}")


def write_observations(store: ObjectStore, first: date, last: date) -> None:
    """Yearly tables holding every day from ``first`` through ``last``."""
    by_year: dict[int, list[dict[str, str]]] = {}
    day = first
    while day <= last:
        by_year.setdefault(day.year, []).append(observation_row(day))
        day += timedelta(days=1)
    for year, rows in by_year.items():
        store.put(clean_year_key(year), year_table(rows), "text/csv")


def write_sample_store(store: ObjectStore, latest_issue: date, history_days: int = 45) -> dict:
    """A store as the pipeline leaves it after ``history_days`` daily runs up to ``latest_issue``.

    Returns the latest forecast document.
    """
    first_issue = latest_issue - timedelta(days=history_days - 1)
    for offset in range(history_days):
        issue = first_issue + timedelta(days=offset)
        write_forecast(store, forecast_document(issue), latest=False)
    latest = forecast_document(latest_issue)
    write_forecast(store, latest)
    write_observations(store, first_issue - timedelta(days=400), latest_issue - timedelta(days=1))
    store.put(CHAMPION_MODEL_KEY, encode(model_card()), "application/json")
    return latest

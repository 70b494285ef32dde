"""Every endpoint over real HTTP, reading contract-format objects from a SeaweedFS S3 bucket."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from tests.api.contract_objects import (
    TARGETS,
    delete,
    encode,
    forecast_document,
    model_card,
    observation_row,
    true_weather,
    write_forecast,
)

pytestmark = pytest.mark.slow


def _is_error(reply: httpx.Response, status: int) -> str:
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"].startswith("application/json")
    body = reply.json()
    assert body["status_code"] == status
    assert "Traceback" not in reply.text
    return body["detail"]


# -- /result --------------------------------------------------------------------------------


def test_result_is_the_latest_forecasts_first_day_p50(http: httpx.Client, latest_document: dict):
    reply = http.get("/result")
    assert reply.status_code == 200
    first = latest_document["days"][0]
    assert first["lead_days"] == 1
    assert reply.json() == {
        "date": first["date"],
        "temperature_prediction": {
            "TA_AVG": first["ta_avg"]["p50"],
            "TA_MAX": first["ta_max"]["p50"],
            "TA_MIN": first["ta_min"]["p50"],
        },
        "pm_prediction": {
            "PM10_MIN": first["pm10_avg"]["p10"],
            "PM10_MAX": first["pm10_avg"]["p90"],
            "PM10_AVG": first["pm10_avg"]["p50"],
        },
    }


def test_result_is_404_before_any_forecast(http: httpx.Client, s3_store):
    delete(s3_store, "forecast/latest.json")
    assert "No forecast" in _is_error(http.get("/result"), 404)


# -- forecasts -------------------------------------------------------------------------------


def test_latest_forecast_is_the_stored_document(http: httpx.Client, latest_document: dict):
    reply = http.get("/api/v1/forecasts/latest")
    assert reply.status_code == 200
    assert reply.json() == latest_document
    assert "x-seoulcast-stale" not in reply.headers


def test_forecast_by_issue_date(http: httpx.Client, issue_date: date):
    earlier = issue_date - timedelta(days=3)
    reply = http.get(f"/api/v1/forecasts/{earlier}")
    assert reply.status_code == 200
    assert reply.json() == forecast_document(earlier)


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-1-05", "yesterday", "20261123", "2026-11-23x"])
def test_forecast_with_a_bad_date_is_400(http: httpx.Client, bad: str):
    detail = _is_error(http.get(f"/api/v1/forecasts/{bad}"), 400)
    assert "issue_date" in detail and "YYYY-MM-DD" in detail


def test_forecast_never_issued_is_404(http: httpx.Client):
    assert "2001-01-01" in _is_error(http.get("/api/v1/forecasts/2001-01-01"), 404)


def test_a_forecast_outside_the_contract_is_502_not_500(http: httpx.Client, s3_store):
    s3_store.put("forecast/date=2003-03/2003-03-03.json", b'{"schema_version": 1, "days": 3}')
    assert "does not match the contract" in _is_error(http.get("/api/v1/forecasts/2003-03-03"), 502)


# -- observations ----------------------------------------------------------------------------


def test_observations_between_two_dates(http: httpx.Client, issue_date: date):
    start, end = issue_date - timedelta(days=40), issue_date - timedelta(days=20)
    reply = http.get("/api/v1/observations", params={"start": str(start), "end": str(end)})
    assert reply.status_code == 200
    body = reply.json()
    assert (body["start"], body["end"]) == (str(start), str(end))
    assert len(body["days"]) == 21
    for day in body["days"]:
        row = observation_row(date.fromisoformat(day["date"]))
        assert day["ta_avg"] == float(row["ta_avg"])
        assert day["pm10_max"] == float(row["pm10_max"])
        assert day["pm10_n_valid"] == int(row["pm10_n_valid"])
        assert day["flags"] == ([row["flags"]] if row["flags"] else [])


def test_observations_across_a_new_year(http: httpx.Client, issue_date: date):
    year = issue_date.year - 1 if issue_date.month > 1 else issue_date.year - 2
    start, end = date(year, 12, 25), date(year + 1, 1, 5)
    reply = http.get("/api/v1/observations", params={"start": str(start), "end": str(end)})
    expected = [str(start + timedelta(days=offset)) for offset in range(12)]
    assert [day["date"] for day in reply.json()["days"]] == expected


def test_observations_default_to_the_30_days_before_the_latest_forecast(
    http: httpx.Client, issue_date: date
):
    body = http.get("/api/v1/observations").json()
    assert body["end"] == str(issue_date - timedelta(days=1))
    assert body["start"] == str(issue_date - timedelta(days=30))
    assert len(body["days"]) == 30


def test_observations_say_their_units(http: httpx.Client):
    assert http.get("/api/v1/observations").json()["units"] == {
        "temperature": "°C",
        "pm10": "µg/m³",
    }


def test_observations_from_a_start_end_at_the_newest_day_not_in_the_future(
    http: httpx.Client, issue_date: date
):
    newest = issue_date - timedelta(days=1)
    start = newest - timedelta(days=9)
    body = http.get("/api/v1/observations", params={"start": str(start)}).json()
    assert (body["start"], body["end"]) == (str(start), str(newest))
    assert len(body["days"]) == 10
    long_ago = newest - timedelta(days=200)
    body = http.get("/api/v1/observations", params={"start": str(long_ago)}).json()
    assert body["end"] == str(long_ago + timedelta(days=29))  # 30 days, as without a start


def test_observations_from_a_start_after_the_newest_day_is_400(
    http: httpx.Client, issue_date: date
):
    later = issue_date + timedelta(days=5)
    detail = _is_error(http.get("/api/v1/observations", params={"start": str(later)}), 400)
    assert "newest observed day" in detail


def test_observations_outside_the_tables_are_empty(http: httpx.Client):
    reply = http.get("/api/v1/observations", params={"start": "1950-01-01", "end": "1950-01-31"})
    assert reply.status_code == 200 and reply.json()["days"] == []


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start": "2024-05-02", "end": "2024-05-01"}, "after"),
        ({"start": "2020-01-01", "end": "2024-01-01"}, "at most 366"),
        ({"start": "2024-13-01"}, "start"),
        ({"end": "soon"}, "end"),
    ],
)
def test_observations_bad_ranges_are_400(http: httpx.Client, params: dict, words: str):
    assert words in _is_error(http.get("/api/v1/observations", params=params), 400)


# -- verification ----------------------------------------------------------------------------


def test_verification_matches_forecasts_with_observations(http: httpx.Client, issue_date: date):
    reply = http.get("/api/v1/verification", params={"days": 10})
    assert reply.status_code == 200
    body = reply.json()
    end = issue_date - timedelta(days=1)
    assert body["end"] == str(end) and body["start"] == str(end - timedelta(days=9))
    assert len(body["days"]) == 10
    for entry in body["days"]:
        day = date.fromisoformat(entry["date"])
        truth = true_weather(day)
        assert entry["observed"] == {target: truth[target] for target in TARGETS}
        assert [run["lead_days"] for run in entry["forecasts"]] == [1, 2, 3, 4, 5, 6, 7]
        for run in entry["forecasts"]:
            issued = date.fromisoformat(run["issue_date"])
            assert issued == day - timedelta(days=run["lead_days"] - 1)
            written = forecast_document(issued)["days"][run["lead_days"] - 1]
            assert run["ta_max"] == written["ta_max"] and run["pm10_avg"] == written["pm10_avg"]


def test_verification_scores_are_the_mean_absolute_error(http: httpx.Client, issue_date: date):
    body = http.get("/api/v1/verification", params={"days": 14}).json()
    end = issue_date - timedelta(days=1)
    for score in body["scores"]:
        days = [end - timedelta(days=offset) for offset in range(14)]
        errors = []
        inside = 0
        for day in days:
            issued = day - timedelta(days=score["lead_days"] - 1)
            band = forecast_document(issued)["days"][score["lead_days"] - 1][score["target"]]
            actual = true_weather(day)[score["target"]]
            errors.append(abs(band["p50"] - actual))
            inside += band["p10"] <= actual <= band["p90"]
        assert score["n"] == 14
        assert score["mae"] == pytest.approx(sum(errors) / 14, abs=1e-3)
        assert score["coverage80"] == pytest.approx(inside / 14, abs=1e-3)
    assert {(s["target"], s["lead_days"]) for s in body["scores"]} == {
        (target, lead) for target in TARGETS for lead in range(1, 8)
    }


@pytest.mark.parametrize("days", ["0", "91", "-3", "many"])
def test_verification_bad_days_is_400(http: httpx.Client, days: str):
    _is_error(http.get("/api/v1/verification", params={"days": days}), 400)


# -- model, health ---------------------------------------------------------------------------


def served_card(card: dict) -> dict:
    """The stored card as /api/v1/model serves it: lead_days, rounded metrics, units."""
    backtest = []
    for row in card["backtest"]:
        served = {key: value for key, value in row.items() if key != "horizon"}
        served["lead_days"] = row["horizon"]
        for metric in ("mae", "rmse", "coverage80", "grade_accuracy"):
            if served[metric] is not None:
                served[metric] = round(served[metric], 3)
        backtest.append(served)
    kept = {key: value for key, value in card.items() if key != "backtest"}
    return kept | {
        "observations_source": card.get("observations_source"),
        "family": card.get("family"),
        "config": card.get("config"),
        "units": {"temperature": "°C", "pm10": "µg/m³"},
        "backtest": backtest,
    }


def test_model_card(http: httpx.Client):
    reply = http.get("/api/v1/model")
    assert reply.status_code == 200
    assert reply.json() == served_card(model_card())
    row = reply.json()["backtest"][0]
    assert "horizon" not in row and row["lead_days"] == 1  # one name for the lead everywhere


def test_model_card_rounds_metrics_and_says_where_observations_came_from(
    http: httpx.Client, s3_store
):
    card = model_card()
    card["observations_source"] = "kma"
    card["backtest"][0] |= {"mae": 1.234567891, "rmse": 1.6049999, "coverage80": 0.80000004}
    s3_store.put("model/champion.json", encode(card))
    body = http.get("/api/v1/model").json()
    assert body["observations_source"] == "kma"
    first = body["backtest"][0]
    assert (first["mae"], first["rmse"], first["coverage80"]) == (1.235, 1.605, 0.8)


def test_model_card_missing_is_404(http: httpx.Client, s3_store):
    delete(s3_store, "model/champion.json")
    assert "champion" in _is_error(http.get("/api/v1/model"), 404)


def test_health_reports_a_fresh_forecast(http: httpx.Client, issue_date: date):
    reply = http.get("/health")
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "ok"  # issued at 05:00 KST today: less than 30 hours ago
    assert body["checks"] == {"storage": "ok", "latest_forecast": "ok"}
    latest = body["latest_forecast"]
    assert latest["issue_date"] == str(issue_date)
    assert latest["stale"] is False and latest["age_hours"] < 24
    assert body["observations_source"] is None  # the sample document does not say


def test_health_does_not_expose_where_the_store_is(http: httpx.Client, s3_store):
    body = http.get("/health").text
    for internal in (s3_store.url, s3_store.bucket, s3_store.prefix, "127.0.0.1", "s3://"):
        assert internal not in body


@pytest.mark.parametrize("source", ["kma", "emulator-synthetic", "emulator-observed"])
def test_forecast_and_health_say_where_observations_came_from(
    http: httpx.Client, s3_store, issue_date: date, source: str
):
    document = forecast_document(issue_date)
    document["inputs"]["source"] = source
    write_forecast(s3_store, document)
    assert http.get("/api/v1/forecasts/latest").json() == document
    assert http.get("/health").json()["observations_source"] == source


def test_health_reports_a_stale_forecast(http: httpx.Client, s3_store, issue_date: date):
    old = issue_date - timedelta(days=3)
    write_forecast(s3_store, forecast_document(old))
    body = http.get("/health").json()
    assert body["status"] == "stale"
    assert body["latest_forecast"]["stale"] is True
    assert body["latest_forecast"]["age_hours"] > 48


def test_unknown_path_is_a_json_404(http: httpx.Client):
    _is_error(http.get("/api/v1/nothing-here"), 404)


def test_health_names_an_unreadable_latest_forecast(http: httpx.Client, s3_store):
    s3_store.put("forecast/latest.json", b'{"schema_version": 1, "days": []}')
    reply = http.get("/health")
    assert reply.status_code == 200
    assert reply.json()["status"] == "invalid_forecast"
    assert reply.json()["checks"] == {"storage": "ok", "latest_forecast": "invalid"}
    assert "does not match the contract" in _is_error(http.get("/result"), 502)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/forecasts/" + "x" * 5000,
        "/api/v1/" + "x" * 5000,
        "/api/v1/observations?start=" + "1" * 5000,
        "/api/v1/observations?end=2024-01-01&start=" + "2" * 5000,
        "/api/v1/verification?days=" + "9" * 5000,
    ],
)
def test_error_replies_do_not_echo_long_input(http: httpx.Client, path: str):
    reply = http.get(path)
    assert reply.status_code in {400, 404}
    assert len(reply.content) < 400, reply.text


def test_wrong_method_is_a_json_405(http: httpx.Client):
    assert _is_error(http.post("/result"), 405)

"""The checks every published forecast document must pass (daily_forecast's asset checks)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from seoulcast_assets.forecast_checks import check_documents
from seoulcast_assets.forecasting import check_inputs, forecast_document
from seoulcast_assets.kst import KST
from tests.test_forecasting import ISSUE, MODEL, history, predictions


def document() -> dict:
    issued = datetime(2024, 5, 10, 5, 0, tzinfo=KST)
    return forecast_document(predictions(), ISSUE, issued, MODEL, check_inputs(history(), ISSUE))


def verdicts(*documents) -> dict[str, bool]:
    return {outcome.name: outcome.passed for outcome in check_documents(documents)}


def test_a_forecast_the_pipeline_writes_passes_every_check():
    assert verdicts(document(), document()) == {
        "seven_days": True,
        "quantiles_ordered": True,
        "grade_probabilities_sum_to_one": True,
    }


def test_each_check_names_the_issue_date_and_the_day_that_breaks_it():
    short = document()
    short["days"] = short["days"][:6]
    crossed = document()
    crossed["days"][2]["ta_max"]["p10"] = crossed["days"][2]["ta_max"]["p90"] + 0.1
    skewed = document()
    skewed["days"][4]["pm10_grade_probabilities"]["good"] += 0.01
    for broken, name, named in (
        (short, "seven_days", "2024-05-10..2024-05-16"),
        (crossed, "quantiles_ordered", "2024-05-12 ta_max"),
        (skewed, "grade_probabilities_sum_to_one", "2024-05-14 probabilities sum to 1.0100"),
    ):
        good = document()  # the day before's forecast in the same run, not failing
        good["issue_date"] = "2024-05-09"
        for day in good["days"]:
            day["date"] = (date.fromisoformat(day["date"]) - timedelta(days=1)).isoformat()
        [outcome] = [o for o in check_documents([good, broken]) if o.name == name]
        assert not outcome.passed and outcome.severity == "ERROR"
        assert outcome.metadata["failing_issue_dates"] == "2024-05-10"
        assert "1 of 2 forecasts fail" in outcome.description and named in outcome.description
        others = [o.passed for o in check_documents([broken]) if o.name != name]
        assert all(others), name

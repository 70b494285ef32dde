"""``daily_forecast``: the champion's forecast for D .. D+6, issued on day D.

Partitioned by issue date. The forecast for ``D`` reads the cleaned observations up to ``D-1``
(never later), is made by the version behind the registry's ``champion`` alias, and is written
to ``forecast/date=YYYY-MM/D.json``; ``forecast/latest.json`` follows unless a newer forecast
exists. A forecast backfilled for a past issue date is made by the champion of the day it is
backfilled (its ``issued_at`` says when).
"""

from datetime import timedelta

import dagster as dg

from seoulcast_assets.defs.cleaning.assets import clean_daily
from seoulcast_assets.defs.model.assets import lstm_model
from seoulcast_assets.defs.partitions import due_daily_by, forecast_days
from seoulcast_assets.defs.resources import MlflowResource, ObjectStoreResource, SlackAlerts
from seoulcast_assets.forecast_checks import DESCRIPTIONS as FORECAST_CHECKS
from seoulcast_assets.forecast_checks import check_documents
from seoulcast_assets.forecasting import (
    MissingInputError,
    check_inputs,
    forecast_document,
    model_elements,
    publish_forecast,
    summary_text,
)
from seoulcast_assets.history import model_history, observations_source, read_clean_table
from seoulcast_assets.kst import now_kst

INPUT_DAYS = 400
"""Days of history handed to the model (it needs a year for its context features)."""


@dg.asset(
    partitions_def=forecast_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    deps=[
        dg.AssetDep(
            clean_daily,
            partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1),
        ),
        lstm_model,
    ],
    group_name="forecast",
    owners=["team:seoulcast-ml"],
    kinds={"mlflow", "s3"},
    check_specs=[
        dg.AssetCheckSpec(name, asset="daily_forecast", description=description)
        for name, description in FORECAST_CHECKS.items()
    ],
    freshness_policy=due_daily_by(5, 30, timedelta(minutes=30)),
    code_version="1",
)
def daily_forecast(
    context: dg.AssetExecutionContext,
    store: ObjectStoreResource,
    mlflow: MlflowResource,
    slack: SlackAlerts,
) -> dg.MaterializeResult:
    """Tavg/Tmax/Tmin and PM10 for the issue date and the six days after, with 80% intervals and
    PM10 grade probabilities, as JSON in the object store (docs/object-store.md)."""
    import mlflow as mlflow_client

    from seoulcast_assets.ml.tracking.pyfunc import history_to_frame

    window = context.partition_time_window
    first = window.start.date()
    issue_dates = [first + timedelta(days=n) for n in range((window.end.date() - first).days)]
    objects = store.open()
    table = read_clean_table(
        objects, issue_dates[0] - timedelta(days=INPUT_DAYS), issue_dates[-1] - timedelta(days=1)
    )
    history = model_history(table)
    champion = mlflow.champion()
    if champion is None:
        raise dg.Failure(
            f"the registry has no '{mlflow.model_name}@champion' yet: materialize lstm_model"
        )
    model = mlflow_client.pyfunc.load_model(champion.uri)
    input_columns = model.metadata.get_input_schema().input_names()
    elements = model_elements(input_columns)
    checks = {}
    for issue_date in issue_dates:
        try:
            checks[issue_date] = check_inputs(history, issue_date, elements=elements)
        except MissingInputError as error:
            raise dg.Failure(
                description=str(error), metadata={"issue_date": str(issue_date)}
            ) from None

    reference = {"name": champion.name, "version": champion.version, "alias": "champion",
                 "run_id": champion.run_id}  # fmt: skip
    newest: dict | None = None
    degraded: list[str] = []
    documents: list[dict] = []
    for issue_date in issue_dates:
        last_day = issue_date - timedelta(days=1)
        inputs = history.loc[str(last_day - timedelta(days=INPUT_DAYS - 1)) : str(last_day)]
        predictions = model.predict(
            history_to_frame(inputs, input_columns),
            params={"last_observed_day": last_day.isoformat()},
        )
        source = observations_source(table.loc[: str(last_day)])
        document = forecast_document(
            predictions, issue_date, now_kst(), reference, checks[issue_date], source
        )
        documents.append(document)
        if document["degraded"]:
            degraded.append(issue_date.isoformat())
            context.log.warning(f"{issue_date}: degraded forecast: {document['warnings']}")
        if publish_forecast(objects, document):
            newest = document
    if newest is not None:  # the forecast people now see; a backfill behind it stays quiet
        slack.post(summary_text(newest), context.log)
    return dg.MaterializeResult(
        metadata=_metadata(issue_dates, champion.version, degraded, newest),
        check_results=[
            dg.AssetCheckResult(
                check_name=outcome.name,
                passed=outcome.passed,
                severity=dg.AssetCheckSeverity[outcome.severity],
                description=outcome.description,
                metadata=outcome.metadata,
            )
            for outcome in check_documents(documents)
        ],
    )


def _metadata(issue_dates, version, degraded, newest) -> dict:
    metadata = {
        "issue_dates": f"{issue_dates[0]}..{issue_dates[-1]}",
        "model_version": version,
        "degraded_issue_dates": ", ".join(degraded),
        "dagster/row_count": len(issue_dates),
    }
    if newest is not None:
        day = newest["days"][0]
        metadata["latest_issue_date"] = newest["issue_date"]
        metadata["first_day"] = (
            f"{day['date']}: {day['ta_min']['p50']}..{day['ta_max']['p50']} °C, "
            f"PM10 {day['pm10_avg']['p50']} µg/m³ ({day['pm10_grade']})"
        )
    return metadata

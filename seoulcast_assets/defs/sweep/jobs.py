"""``model_sweep``: the model-family sweep as a Dagster job, launchable from the UI.

One step per family (``sweep_family``, a dynamic fan-out), so on the Celery executor the
families' studies run on different workers side by side; ``start_model_sweep`` opens the MLflow
parent run and ``finish_model_sweep`` ranks every configuration, logs the table and names the
winner. The logic is ``seoulcast_assets.ml.sweep.runner``, the same as ``seoulcast sweep``.
"""

import dagster as dg
import pandas as pd
from pydantic import Field

from seoulcast_assets.defs.resources import MlflowResource, ObjectStoreResource
from seoulcast_assets.history import model_history, read_clean_table


class SweepConfig(dg.Config):
    families: list[str] = Field(
        default=["lstm", "gru", "lightgbm", "linear"], description="families to compare"
    )
    trials: int | None = Field(
        default=None, description="configurations per family (None: the defaults, 4-6 each)"
    )
    train_end: str | None = Field(
        default=None,
        description="last training day of the backtest (YYYY-MM-DD; None: two years before "
        "the last complete year in the store)",
    )
    test_end: str | None = Field(
        default=None, description="last scored day (None: the end of the last complete year)"
    )
    refit: str = Field(default="yearly", description="refit cadence: yearly, quarterly, never")
    max_epochs: int | None = Field(default=None, description="max epochs of every network")
    timeout_minutes_per_family: float | None = None
    write_choice: bool = Field(
        default=False,
        description="write the winner to the chosen-model file lstm_model trains "
        "(SEOULCAST_CHOSEN_MODEL, else the package's ml/chosen_model.json); it is always "
        "logged on the parent MLflow run as chosen_model.json",
    )


def _history(store: ObjectStoreResource) -> pd.DataFrame:
    history = model_history(read_clean_table(store.open()))
    if history.empty:
        raise dg.Failure("no cleaned observations in the store: materialize clean_daily first")
    return history


def _settings(config: SweepConfig, history: pd.DataFrame):
    from seoulcast_assets.ml.sweep.objective import BacktestWindow
    from seoulcast_assets.ml.sweep.runner import SweepSettings
    from seoulcast_assets.ml.sweep.space import DEFAULT_TRIALS

    last = history.index.max()
    last_year_end = pd.Timestamp(year=last.year - (last.month < 12 or last.day < 31), month=12,
                                 day=31)  # fmt: skip
    test_end = pd.Timestamp(config.test_end) if config.test_end else last_year_end
    train_end = (
        pd.Timestamp(config.train_end) if config.train_end else test_end - pd.DateOffset(years=2)
    )
    trials = dict.fromkeys(DEFAULT_TRIALS, config.trials) if config.trials else DEFAULT_TRIALS
    epochs = {"max_epochs": config.max_epochs} if config.max_epochs else None
    try:
        return SweepSettings(
            families=tuple(config.families),
            trials=dict(trials),
            window=BacktestWindow(str(train_end.date()), str(test_end.date()), config.refit),
            fixed={"lstm": epochs, "gru": epochs} if epochs else {},
            timeout_minutes_per_family=config.timeout_minutes_per_family,
        )
    except ValueError as error:
        raise dg.Failure(str(error)) from error


@dg.op(out={"plan": dg.Out(), "families": dg.DynamicOut()})
def start_model_sweep(
    context: dg.OpExecutionContext,
    config: SweepConfig,
    store: ObjectStoreResource,
    mlflow: MlflowResource,
):
    """Open the parent MLflow run, score the references, fan out one step per family."""
    from seoulcast_assets.ml.sweep.runner import start_sweep

    history = _history(store)
    settings = _settings(config, history)
    mlflow.configure()
    start = start_sweep(history, settings, tags={"dagster_run_id": context.run.run_id})
    scores = ", ".join(f"{r['config']} {r['score']:.3f}" for r in start.references.rows)
    context.log.info(f"sweep {start.parent_run_id}: {settings.window.label()}; {scores}")
    plan = {
        "parent_run_id": start.parent_run_id,
        "settings": settings,
        "reference_rows": start.references.rows,
        "write_choice": config.write_choice,
    }
    yield dg.Output(plan, "plan")
    for family in settings.families:
        yield dg.DynamicOutput(family, output_name="families", mapping_key=family)


@dg.op
def sweep_family(
    context: dg.OpExecutionContext,
    plan: dict,
    family: str,
    store: ObjectStoreResource,
    mlflow: MlflowResource,
) -> list[dict]:
    """One family's Optuna study, its trials nested under the parent run."""
    from seoulcast_assets.ml.families.recurrent.training import quiet_lightning
    from seoulcast_assets.ml.sweep.runner import (
        SweepStart,
        abort_sweep,
        run_family,
        score_references,
    )

    quiet_lightning()
    history = _history(store)
    settings = plan["settings"]
    mlflow.configure()
    start = SweepStart(plan["parent_run_id"], settings, score_references(history, settings.window))

    def log(result) -> None:
        note = f" ({result.note})" if result.note else ""
        context.log.info(
            f"{result.spec.label()}: {result.state}, score {result.score:.4f} "
            f"in {result.seconds:.0f} s{note}"
        )

    try:
        results = run_family(history, start, family, on_trial=log)
    except Exception:
        abort_sweep(plan["parent_run_id"])
        raise
    return [result.row() for result in results]


@dg.op
def finish_model_sweep(
    context: dg.OpExecutionContext, plan: dict, rows: list[list[dict]], mlflow: MlflowResource
) -> dg.Output:
    """Rank every configuration, log the table and plot on the parent run, name the winner."""
    from seoulcast_assets.ml.sweep.choice import write_chosen_model
    from seoulcast_assets.ml.sweep.report import markdown
    from seoulcast_assets.ml.sweep.runner import finish_sweep

    mlflow.configure()
    every_row = [*plan["reference_rows"], *(row for family_rows in rows for row in family_rows)]
    outcome = finish_sweep(plan["parent_run_id"], plan["settings"], every_row)
    winner = outcome.winner
    metadata = {
        "mlflow_parent_run_id": outcome.parent_run_id,
        "ranked": dg.MetadataValue.md(markdown(outcome.table)),
        "winner": winner.spec.label() if winner else "none completed",
    }
    if winner is not None and plan["write_choice"]:
        path = write_chosen_model(winner)
        metadata["chosen_model_file"] = str(path)
        context.log.info(f"wrote {winner.spec.label()} to {path}")
    return dg.Output(winner.to_dict() if winner else None, metadata=metadata)


@dg.job(
    description="Compare model families (LSTM, GRU, LightGBM, linear) by the walk-forward "
    "backtest on the store's history: one step per family, nested MLflow runs under a parent "
    "with the ranked table (experiment seoulcast-sweeps).",
    tags={"team": "seoulcast-ml"},
)
def model_sweep():
    plan, families = start_model_sweep()
    rows = families.map(lambda family: sweep_family(plan, family))
    finish_model_sweep(plan, rows.collect())

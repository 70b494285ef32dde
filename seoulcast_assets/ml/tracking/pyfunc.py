"""Any model family as an MLflow ``pyfunc`` model, so ``models:/<name>@champion`` serves it.

Input: a ``DataFrame`` of recent daily history with columns ``date`` (``YYYY-MM-DD``),
``ta_avg, ta_max, ta_min, pm10_avg`` and the weather elements the model reads (floats, empty
when missing; the signature lists them: ``ForecastModel.inputs``). Give at least the 365 days up
to the last observed day: the model reads ``lookback`` days and 90/365-day context means, and
with fewer days those means are taken over what is given. Optional param ``last_observed_day``
(``YYYY-MM-DD``) says which day the forecast is issued after; by default the newest date in the
input. Rows after that day are ignored.

Output: one row per target and horizon (28 rows) with ``target, horizon, date`` (``YYYY-MM-DD``),
``p05, p10, p25, p50, p75, p90, p95`` and, on PM10 rows, ``grade`` and ``p_good, p_moderate,
p_bad, p_very_bad`` — exactly :meth:`ForecastModel.predict` with the date as text.

The artifact is the folder of ``families.catalog.save_model`` (the family and its files), so
the registry, the promotion gate and ``daily_forecast`` serve whichever family was trained.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import mlflow
import pandas as pd

from seoulcast_assets.ml.families.catalog import ModelSpec, load_model, save_model
from seoulcast_assets.ml.families.interface import ForecastModel
from seoulcast_assets.ml.inputs.variables import TARGETS, WEATHER_ELEMENTS

ARTIFACT_KEY = "forecaster"
INPUT_EXAMPLE_DAYS = 400


def history_from_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """pyfunc input rows -> the history contract (``date`` index, the targets and elements)."""
    frame = frame.copy()
    frame["date"] = pd.to_datetime(frame["date"])
    history = frame.set_index("date")
    for column in TARGETS:
        history[column] = pd.to_numeric(history.get(column), errors="coerce")
    elements = [c for c in WEATHER_ELEMENTS if c in history.columns]
    for column in elements:
        history[column] = pd.to_numeric(history[column], errors="coerce")
    return history[[*TARGETS, *elements]].astype(float)


def history_to_frame(history: pd.DataFrame, columns=None) -> pd.DataFrame:
    """The history as pyfunc input rows: ``columns`` (default: the targets and every element
    it has), a missing column as empty values."""
    if columns is None:
        columns = [*TARGETS, *(c for c in WEATHER_ELEMENTS if c in history.columns)]
    columns = [c for c in columns if c != "date"]
    frame = history.reindex(columns=columns).astype(float).reset_index()
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return frame


def predictions_to_frame(predictions: pd.DataFrame) -> pd.DataFrame:
    out = predictions.copy()
    out["date"] = pd.to_datetime(out["date"]).dt.strftime("%Y-%m-%d")
    out["horizon"] = out["horizon"].astype("int64")
    return out.reset_index(drop=True)


class ForecasterPyfunc(mlflow.pyfunc.PythonModel):
    """Loads the saved model (any family) from the artifacts and calls its ``predict``."""

    def load_context(self, context) -> None:
        self.forecaster = load_model(context.artifacts[ARTIFACT_KEY])

    def predict(
        self, context, model_input: pd.DataFrame, params: dict | None = None
    ) -> pd.DataFrame:
        history = history_from_frame(pd.DataFrame(model_input))
        day = (params or {}).get("last_observed_day") or history.index.max()
        return predictions_to_frame(self.forecaster.predict(history, pd.Timestamp(day)))


def log_forecaster_model(
    forecaster: ForecastModel,
    history: pd.DataFrame,
    name: str = "model",
    registered_model_name: str | None = None,
    spec: ModelSpec | None = None,
):
    """Log the forecaster (weights, scalers, metadata) as a pyfunc with signature and example.

    ``history`` supplies the input example (its last ``INPUT_EXAMPLE_DAYS`` days). Returns the
    ``ModelInfo``; with ``registered_model_name`` a registry version is created as well.
    """
    from mlflow.models import infer_signature

    example = history_to_frame(history.iloc[-INPUT_EXAMPLE_DAYS:], list(forecaster.inputs))
    output = predictions_to_frame(forecaster.predict(history, history.index.max()))
    with warnings.catch_warnings():
        # `horizon` is the output's one integer column and is never missing, which is what
        # MLflow's hint about integer columns warns of.
        warnings.filterwarnings("ignore", message="Hint: Inferred schema contains integer")
        signature = infer_signature(example, output, params={"last_observed_day": ""})
    with tempfile.TemporaryDirectory() as tmp:
        if spec is None:  # a recurrent forecaster built without a spec
            spec = ModelSpec(forecaster.config.cell, forecaster.config.to_dict())
        model_dir = save_model(forecaster, spec, Path(tmp) / ARTIFACT_KEY)
        return mlflow.pyfunc.log_model(
            name=name,
            python_model=ForecasterPyfunc(),
            artifacts={ARTIFACT_KEY: str(model_dir)},
            signature=signature,
            input_example=example,
            registered_model_name=registered_model_name,
            pip_requirements=_requirements(),
        )


def _requirements() -> list[str]:
    """Pinned to what trained the model; torch stays the CPU build (installed separately)."""
    from importlib.metadata import version

    return [
        f"mlflow=={version('mlflow')}",
        f"torch=={version('torch').split('+')[0]}",
        f"pytorch-lightning=={version('pytorch-lightning')}",
        f"pandas=={version('pandas')}",
        f"numpy=={version('numpy')}",
        f"scipy=={version('scipy')}",
        f"lightgbm=={version('lightgbm')}",
        "seoulcast",  # not on PyPI: install the checkout of the run's git commit
    ]

"""Every model family by name: build one from its parameters, save it, load it back.

A :class:`ModelSpec` (family + parameters) is what the sweep searches over, what the chosen-model
file (``ml/chosen_model.json``) holds and what ``lstm_model`` trains, so the registry and the
serving path never need to know which family won:

=============  =====================================================================
``lstm``       the recurrent forecaster (``recurrent/``) with an LSTM layer
``gru``        the same with a GRU layer
``lightgbm``   quantile trees, no network (``gbm.py``)
``linear``     ridge on lagged anomalies (``baselines.LaggedAnomalyLinear``; with
               ``all_elements`` the weather elements too, ``AllElementsLinear``)
=============  =====================================================================

A saved model is a folder: ``family.json`` (the spec) and the family's own files — the
recurrent forecaster's plain-file layout (``Forecaster.save``), or ``model.pkl`` for the others
(numpy arrays and LightGBM boosters, pickled). A folder without ``family.json`` is a recurrent
forecaster saved before the families.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from seoulcast_assets.ml.families.interface import ForecastModel

FAMILIES: tuple[str, ...] = ("lstm", "gru", "lightgbm", "linear")
RECURRENT_FAMILIES: tuple[str, ...] = ("lstm", "gru")
SPEC_FILE = "family.json"
PICKLE_FILE = "model.pkl"


@dataclass(frozen=True)
class ModelSpec:
    family: str
    params: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"unknown model family {self.family!r}; use one of {list(FAMILIES)}")

    def build(self) -> ForecastModel:
        """An unfitted model of this family and parameters."""
        params = dict(self.params)
        if self.family in RECURRENT_FAMILIES:
            from seoulcast_assets.ml.families.recurrent.forecaster import (
                Forecaster,
                ForecasterConfig,
            )

            return Forecaster(ForecasterConfig.from_dict({**params, "cell": self.family}))
        if self.family == "lightgbm":
            from seoulcast_assets.ml.families.gbm import GBMConfig, QuantileGBM

            return QuantileGBM(GBMConfig.from_dict(params))
        from seoulcast_assets.ml.families.baselines import AllElementsLinear, LaggedAnomalyLinear

        linear = AllElementsLinear if params.pop("all_elements", True) else LaggedAnomalyLinear
        return linear(**params)

    def with_params(self, **changes) -> ModelSpec:
        """The same family with some parameters replaced (None values are ignored)."""
        return ModelSpec(
            self.family, {**self.params, **{k: v for k, v in changes.items() if v is not None}}
        )

    def with_applicable(self, **changes) -> tuple[ModelSpec, list[str]]:
        """:meth:`with_params` for the parameters this family has; also returns the names of
        the others (not applied)."""
        known = parameter_names(self.family)
        given = {k: v for k, v in changes.items() if v is not None}
        applied = {k: v for k, v in given.items() if k in known}
        return self.with_params(**applied), sorted(set(given) - set(applied))

    def to_dict(self) -> dict:
        return {"family": self.family, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: dict) -> ModelSpec:
        return cls(data["family"], dict(data.get("params") or {}))

    @property
    def table_name(self) -> str:
        """The model's name in metrics tables, model cards and on the page: its family
        (``linear_tuned`` for a linear one, since the baseline is ``linear``)."""
        return "linear_tuned" if self.family == "linear" else self.family

    def label(self) -> str:
        """``family(k=v, …)`` for tables and run names."""
        inner = ", ".join(f"{k}={_short(v)}" for k, v in sorted(self.params.items()))
        return f"{self.family}({inner})"


def parameter_names(family: str) -> frozenset[str]:
    """The parameters a family's builder accepts (others would be ignored or rejected)."""
    from dataclasses import fields

    if family in RECURRENT_FAMILIES:
        from seoulcast_assets.ml.families.recurrent.forecaster import ForecasterConfig

        return frozenset(f.name for f in fields(ForecasterConfig))
    if family == "lightgbm":
        from seoulcast_assets.ml.families.gbm import GBMConfig

        return frozenset(f.name for f in fields(GBMConfig))
    return frozenset({"all_elements", "lags", "ridge", "climatology_years", "training_years"})


def save_model(model: ForecastModel, spec: ModelSpec, directory: str | Path) -> Path:
    """Write ``model`` (a fitted ``spec.build()``) as a folder that :func:`load_model` reads."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if spec.family in RECURRENT_FAMILIES:
        model.save(directory)
    else:
        with open(directory / PICKLE_FILE, "wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
    (directory / SPEC_FILE).write_text(json.dumps(spec.to_dict(), indent=2, default=list) + "\n")
    return directory


def load_model(directory: str | Path) -> ForecastModel:
    """The model saved by :func:`save_model` (or a recurrent forecaster's older folder)."""
    directory = Path(directory)
    spec_file = directory / SPEC_FILE
    family = json.loads(spec_file.read_text())["family"] if spec_file.exists() else "lstm"
    if family in RECURRENT_FAMILIES:
        from seoulcast_assets.ml.families.recurrent.forecaster import Forecaster

        return Forecaster.load(directory)
    with open(directory / PICKLE_FILE, "rb") as handle:
        return pickle.load(handle)  # our own artifact, written by save_model


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return f"[{len(value)}]" if len(value) > 4 else ",".join(map(str, value))
    return str(value)

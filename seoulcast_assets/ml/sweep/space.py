"""Each family's search space, as Optuna suggestions, and the configuration a study starts from.

The first trial of every family is its current default (``START``), so a sweep always scores
what SeoulCast serves today beside what it tries. ``window_days`` is the name every family's
input length is logged under (the recurrent ``lookback``, the trees' ``feature_days``, the
linear ``lags``), so MLflow's parallel-coordinates view compares them on one axis.
"""

from __future__ import annotations

from collections.abc import Callable

import optuna

from seoulcast_assets.ml.families.catalog import FAMILIES, ModelSpec

WINDOW_PARAMETER: dict[str, str] = {
    "lstm": "lookback",
    "gru": "lookback",
    "lightgbm": "feature_days",
    "linear": "lags",
}


def _recurrent(trial: optuna.Trial) -> dict:
    return {
        "lookback": trial.suggest_categorical("lookback", [7, 14, 28]),
        "hidden_size": trial.suggest_categorical("hidden_size", [32, 64, 128]),
        "num_layers": trial.suggest_int("num_layers", 1, 2),
        "batch_size": trial.suggest_categorical("batch_size", [64, 128, 256, 512]),
        "learning_rate": trial.suggest_float("learning_rate", 1e-3, 1e-2, log=True),
    }


def _lightgbm(trial: optuna.Trial) -> dict:
    return {
        "feature_days": trial.suggest_categorical("feature_days", [1, 2, 3, 7]),
        "num_leaves": trial.suggest_categorical("num_leaves", [7, 15, 31, 63]),
        "max_depth": trial.suggest_categorical("max_depth", [-1, 4, 6, 8]),
        "learning_rate": trial.suggest_float("learning_rate", 0.02, 0.15, log=True),
        "rounds": trial.suggest_categorical("rounds", [200, 400, 800]),
    }


def _linear(trial: optuna.Trial) -> dict:
    return {
        "all_elements": trial.suggest_categorical("all_elements", [True, False]),
        "lags": trial.suggest_categorical("lags", [3, 7, 14]),
        "ridge": trial.suggest_float("ridge", 0.1, 1000.0, log=True),
    }


SUGGEST: dict[str, Callable[[optuna.Trial], dict]] = {
    "lstm": _recurrent,
    "gru": _recurrent,
    "lightgbm": _lightgbm,
    "linear": _linear,
}
START: dict[str, dict] = {
    "lstm": {"lookback": 14, "hidden_size": 64, "num_layers": 1, "batch_size": 256,
             "learning_rate": 3e-3},
    "lightgbm": {"feature_days": 3, "num_leaves": 15, "max_depth": -1, "learning_rate": 0.05,
                 "rounds": 400},
    "linear": {"all_elements": True, "lags": 7, "ridge": 1.0},
}  # fmt: skip
"""Each family's defaults (``ForecasterConfig``, ``GBMConfig``, ``AllElementsLinear``)."""
START["gru"] = START["lstm"]  # one recurrent forecaster, two cells: the same defaults
DEFAULT_TRIALS: dict[str, int] = {"lstm": 6, "gru": 4, "lightgbm": 4, "linear": 6}
"""Trials per family in a default sweep (about 25 minutes on 2 cores, ``ml/README.md``)."""

assert set(SUGGEST) == set(START) == set(DEFAULT_TRIALS) == set(FAMILIES)


def suggest_spec(family: str, trial: optuna.Trial, fixed: dict | None = None) -> ModelSpec:
    """The trial's configuration of ``family``; ``fixed`` parameters (e.g. fewer epochs in a
    quick sweep) are set on every trial and not searched."""
    return ModelSpec(family, {**SUGGEST[family](trial), **(fixed or {})})


def window_days(spec: ModelSpec) -> int | None:
    value = spec.params.get(WINDOW_PARAMETER[spec.family])
    return int(value) if value is not None else None

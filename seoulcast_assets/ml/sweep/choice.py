"""The chosen-model file: which family and configuration ``lstm_model`` trains.

``seoulcast_assets/ml/chosen_model.json`` is committed with the code. ``seoulcast sweep``
rewrites it with the winner and the evidence (the sweep's MLflow run, window, score and the
runner-up), so what is served is what measured best, and nothing is copied by hand::

    {"family": "lstm", "params": {...}, "chosen_by": {...}}
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from seoulcast_assets.ml.families.catalog import ModelSpec

CHOSEN_MODEL_FILE = Path(__file__).resolve().parents[1] / "chosen_model.json"
CHOICE_ENV = "SEOULCAST_CHOSEN_MODEL"
"""Points ``lstm_model`` at another chosen-model file (e.g. one a sweep job wrote)."""


@dataclass(frozen=True)
class ChosenModel:
    spec: ModelSpec
    chosen_by: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {**self.spec.to_dict(), "chosen_by": self.chosen_by}


def chosen_model_path() -> Path:
    return Path(os.environ.get(CHOICE_ENV) or CHOSEN_MODEL_FILE)


def read_chosen_model(path: str | Path | None = None) -> ChosenModel:
    path = Path(path) if path is not None else chosen_model_path()
    try:
        data = json.loads(path.read_text())
        return ChosenModel(ModelSpec.from_dict(data), dict(data.get("chosen_by") or {}))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a chosen-model file ({error})") from error


def write_chosen_model(choice: ChosenModel, path: str | Path | None = None) -> Path:
    """Write atomically (a reader never sees half a file)."""
    path = Path(path) if path is not None else chosen_model_path()
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(choice.to_dict(), indent=2, sort_keys=True, default=list) + "\n")
    partial.replace(path)
    return path

"""The LSTM forecaster: train on a history, forecast D+1..D+7 quantiles, save and load.

Training (:func:`train_forecaster`, or ``Forecaster(config).fit``):

1. cut the history at ``train_end``; fit the climatologies (the scalers) on it;
2. cut temperature-complete windows (``windows.py``) with targets up to ``train_end``, the most
   recent ``training_years`` of them;
3. hold out the windows whose targets fall in the last ``validation_days`` of the period
   (PM10's group: the last ``pm10_validation_days``); fit the linear anchor (``anchor.py``) on
   the rest of each such split;
4. per target group (``network_groups.py``: temperature, PM10) train ``ensemble_size``
   networks with different seeds, each starting from its split's anchor and early-stopped on
   its group's held-out loss; keep each network's median correction only in the cells (horizon,
   target) where it beat the anchor on the held-out slice (``training.gate_median_correction``);
5. average the members' quantiles; per (horizon, target) in ``boosted_horizons``, fit a
   gradient-boosted median on the training windows and blend it into the median with the weight
   that did best on the group's held-out slice (``boosting.py``); optionally (``calibrate``)
   rescale the 80% interval on the same slice (``calibration.py``);
6. refit the anchor on all windows, validation slice included (``refit_anchor``), keeping the
   learnt corrections, gates and interval scales.

Same data and config give the same predictions: seeds are fixed and training is single-process
on CPU with deterministic algorithms.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd

from seoulcast_assets.ml.families.interface import ForecastModel
from seoulcast_assets.ml.families.recurrent.anchor import (
    LinearAnchor,
    fit_linear_anchor,
    refit_linear_anchor,
)
from seoulcast_assets.ml.families.recurrent.boosting import (
    BoostingConfig,
    MedianBoosters,
    fit_median_boosters,
)
from seoulcast_assets.ml.families.recurrent.boosting import merged as merged_boosters
from seoulcast_assets.ml.families.recurrent.network_groups import (
    ALL_TARGETS,
    NETWORK_GROUPS,
    network_group,
)
from seoulcast_assets.ml.inputs.climatology import DAYS_PER_YEAR
from seoulcast_assets.ml.inputs.features import (
    CONTEXT_FEATURES,
    AnomalyEncoder,
    available_inputs,
)
from seoulcast_assets.ml.inputs.history import on_calendar
from seoulcast_assets.ml.inputs.variables import HORIZONS, QUANTILES, TARGETS, WEATHER_ELEMENTS
from seoulcast_assets.ml.inputs.windows import (
    WindowSet,
    build_windows,
    gather_inputs,
    training_origins,
)

FORMAT_VERSION = 3
"""3: gradient-boosted medians blended per cell (``boosting.py``; ``booster-*.txt``).
2: one network per target group (``network_groups.py``), each with its own hyper-parameters
and median gate. Models saved as formats 1 and 2 still load."""
READABLE_FORMATS = (1, 2, FORMAT_VERSION)

DEFAULT_WEATHER_INPUTS: tuple[str, ...] = WEATHER_ELEMENTS
MIN_GROUP_TRAINING_WINDOWS = 180
"""A group held out on a longer slice than ``validation_days`` needs this many of its own
windows before that slice (half a year); with fewer it is held out on the usual slice."""


@dataclass(frozen=True)
class ForecasterConfig:
    """Hyper-parameters, chosen on an inner validation that stays inside the training period
    (``python bench/backtest.py --inner``: trained through 2010, scored on 2011–2012)."""

    lookback: int = 14
    cell: str = "lstm"
    """The recurrent layer: ``lstm`` or ``gru`` (the sweep compares them, ``ml/sweep``)."""
    hidden_size: int = 64
    num_layers: int = 1
    dropout: float = 0.1
    learning_rate: float = 3e-3
    """On the inner years 1e-3 early-stopped before the short horizons had gained much (D+1
    ta_avg 1.554 °C against 1.516 with 3e-3)."""
    weight_decay: float = 1e-4
    batch_size: int = 256
    max_epochs: int = 30
    patience: int = 4
    validation_days: int = 365
    """The held-out slice at the end of the training period: early stopping, median gates,
    blend weights and interval calibration are chosen on it."""
    pm10_validation_days: int | None = 730
    """PM10's own held-out slice (its network, early stop, gate, blend weights and interval
    scales; None: ``validation_days``). One year of PM10 is a noisy judge of the trees' blend
    weight: on the inner years two made the D+1 MAE 11.902 µg/m³ against 12.020 and the grade
    accuracy 0.777 against 0.766, D+2..D+3 0.1–0.7% worse; the temperatures, held out on their
    own year, are unchanged (``ml/README.md``)."""
    calibration_coverage: float = 0.8
    """The held-out coverage the rescaled 80% interval is fit to."""
    ensemble_size: int = 1
    seed: int = 0
    training_years: float | None = 60
    """Train on windows from the last N years only (None: all). Older windows, standardised by
    a climatology fit on recent decades, taught the network patterns that hurt on validation
    years; and fewer windows keep a full retrain fast."""
    climatology_years: float | None = 30
    horizon_weights: tuple[float, ...] = (1.0, 0.5, 0.25, 0.1, 0.1, 0.1, 0.1)
    """Weight of each horizon in the loss and in early stopping. The learnable part of a
    forecast is mostly in the first days; a week ahead the anchor is close to all there is,
    and an equal weight let the network trade D+1 skill for fitting noise at D+5..D+7."""
    refit_anchor: bool = True
    """After validation, refit the linear anchor on training and validation windows."""
    calibrate: bool = True
    """Rescale the 80% interval on the held-out slice (split conformal, ``calibration.py``),
    by ``calibration_strength``. With the weather elements and the boosted medians, the
    quantiles alone covered 72.6–83.0% on the inner years (PM10 D+1 too narrow), fully
    rescaled 79.7–84.4% (mean 82.1%, one year's spread over-corrects), half-way 77.4–83.4%
    (mean 80.5%)."""
    calibration_strength: float = 0.5
    """How far the rescaling goes: the factor fit on the held-out slice is raised to this power
    (1: all the way, 0: not at all), a shrinkage of one year's estimate towards the network's
    own quantiles."""
    num_threads: int = 1
    """Torch threads; one is fastest for these small tensors when cores are shared."""
    boosted_horizons: tuple[int, ...] = (1, 2, 3)
    """Horizons whose medians may blend in a gradient-boosted median (``boosting.py``); beyond
    D+3 the trees lost to the network in every cell on the inner years. Empty: networks only."""
    boosting_rounds: int = 300
    """Boosting rounds of a booster (a third of them on PM10's few years of windows)."""
    weather_inputs: tuple[str, ...] = DEFAULT_WEATHER_INPUTS
    """Weather elements read as inputs, where the history has them (``features.py``); the
    choice and the ablation behind it are in ``ml/README.md``. Empty: temperatures and PM10
    only."""

    def to_dict(self) -> dict:
        return asdict(self)

    def validation_days_of(self, group: str) -> int:
        """Days held out for a network group (``network_groups.py``)."""
        if group == "pm10" and self.pm10_validation_days is not None:
            return self.pm10_validation_days
        return self.validation_days

    @classmethod
    def from_dict(cls, data: dict) -> ForecasterConfig:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("weather_inputs", "horizon_weights", "boosted_horizons"):
            if name in values:
                values[name] = tuple(values[name])
        return cls(**values)

    def replace(self, **changes) -> ForecasterConfig:
        return ForecasterConfig.from_dict({**self.to_dict(), **changes})


@dataclass
class TrainingReport:
    trained_through: str
    train_windows: int
    validation_windows: int
    members: list[dict] = field(default_factory=list)
    interval_scales: list[list[float]] = field(default_factory=list)
    anchor_penalties: list[list[float]] = field(default_factory=list)
    boosting_weights: list[list[float]] = field(default_factory=list)
    """Per (horizon, target): the booster's weight in the median (0: the network alone)."""


class Forecaster(ForecastModel):
    """Recurrent (LSTM or GRU) quantile forecaster of the four targets (the module docstring)."""

    name = "lstm"

    def __init__(self, config: ForecasterConfig | None = None) -> None:
        self.config = config or ForecasterConfig()
        self.history_days = self.config.lookback
        self.encoder: AnomalyEncoder | None = None
        self.networks: list = []
        self.network_groups: list[str] = []
        """The ``network_groups.NETWORK_GROUPS`` name of each network."""
        self.interval_scales = np.ones((len(HORIZONS), len(TARGETS)))
        self.boosters: MedianBoosters | None = None
        self.report: TrainingReport | None = None
        self.callbacks: Sequence = ()

    @property
    def trained_through(self) -> pd.Timestamp | None:
        return pd.Timestamp(self.report.trained_through) if self.report else None

    def with_callbacks(self, callbacks: Sequence) -> Forecaster:
        """Extra Lightning callbacks for every member's trainer (progress bars, MLflow)."""
        self.callbacks = tuple(callbacks)
        return self

    # -- training -----------------------------------------------------------------------------

    def _fit(self, history: pd.DataFrame, train_end: pd.Timestamp) -> None:
        import torch

        cfg = self.config
        torch.set_num_threads(cfg.num_threads)
        horizon = len(HORIZONS)
        inputs = available_inputs(history, cfg.weather_inputs, train_end, cfg.training_years)
        self.encoder = AnomalyEncoder.fit(
            history, cfg.lookback, cfg.climatology_years, inputs=inputs
        )
        features = self.encoder.dynamic_features
        encoded = self.encoder.encode(on_calendar(history, end=train_end))
        first_origin = None
        if cfg.training_years is not None:
            first_origin = train_end - pd.Timedelta(days=round(cfg.training_years * DAYS_PER_YEAR))
        positions = training_origins(encoded, cfg.lookback, horizon, first_origin, train_end)
        windows = build_windows(encoded, positions, cfg.lookback, horizon)
        splits = _GroupSplits(windows, train_end, cfg, features)

        members = self._train_networks(splits, features)
        self._fit_boosters_and_interval_scales(splits)
        penalties = np.ones((horizon, len(TARGETS)))
        for group in NETWORK_GROUPS:
            columns = group.target_positions
            penalties[:, columns] = splits.of(group).anchor.penalty[:, columns]
        if cfg.refit_anchor:
            # the ridge part learns from the held-out slice too (most valuable for PM10, which
            # has only a few years); the correction and the interval scales stay as validated
            for network, name in zip(self.networks, self.network_groups, strict=True):
                network.replace_anchor(splits.of(network_group(name)).final_anchor())
        usual = splits.usual()
        self.report = TrainingReport(
            trained_through=str(train_end.date()),
            train_windows=len(usual.train),
            validation_windows=len(usual.validation),
            members=members,
            interval_scales=self.interval_scales.tolist(),
            anchor_penalties=penalties.tolist(),
            boosting_weights=self.boosters.weights.tolist() if self.boosters else [],
        )

    def _train_networks(self, splits: _GroupSplits, features: tuple[str, ...]) -> list[dict]:
        """``ensemble_size`` networks per group, each from its split's anchor, early-stopped and
        median-gated on its group's held-out slice; returns what each member's training did."""
        from seoulcast_assets.ml.families.recurrent.network import QuantileNetwork
        from seoulcast_assets.ml.families.recurrent.training import (
            fit_network,
            gate_median_correction,
            seed_everything,
        )

        cfg = self.config
        self.networks, self.network_groups, members = [], [], []
        for group in NETWORK_GROUPS:
            split = splits.of(group)
            group_train = group.windows(split.train)
            group_validation = group.windows(split.validation)
            for member in range(cfg.ensemble_size):
                seed = cfg.seed + 1000 * member
                seed_everything(seed)  # before the weights are drawn
                network = QuantileNetwork(
                    n_dynamic=len(features),
                    n_context=len(CONTEXT_FEATURES),
                    n_targets=len(TARGETS),
                    horizon=len(HORIZONS),
                    quantiles=QUANTILES,
                    hidden_size=cfg.hidden_size,
                    num_layers=cfg.num_layers,
                    dropout=cfg.dropout,
                    learning_rate=cfg.learning_rate,
                    weight_decay=cfg.weight_decay,
                    target_weights=[1.0 if t in group.targets else 0.0 for t in TARGETS],
                    horizon_weights=list(cfg.horizon_weights),
                    learnt_inputs=group.learnt_inputs(features),
                    anchor=split.anchor,
                    cell=cfg.cell,
                )
                summary = fit_network(
                    network,
                    group_train,
                    group_validation,
                    seed=seed,
                    max_epochs=cfg.max_epochs,
                    patience=cfg.patience,
                    batch_size=cfg.batch_size,
                    callbacks=self.callbacks,
                )
                gate = gate_median_correction(network, group_validation)
                self.networks.append(network)
                self.network_groups.append(group.name)
                members.append({
                    "group": group.name,
                    **asdict(summary),
                    "median_gate": gate,
                    "validation_days": split.days,
                })  # fmt: skip
        return members

    def _fit_boosters_and_interval_scales(self, splits: _GroupSplits) -> None:
        """Per group, on its own held-out slice: the boosted medians' blend weights, then the
        interval scales of the blended quantiles (their shift from boosters fit before that
        slice, so out of sample)."""
        from seoulcast_assets.ml.families.recurrent.calibration import interval_scale_factors

        cfg = self.config
        levels = list(QUANTILES)
        self.interval_scales = np.ones((len(HORIZONS), len(TARGETS)))
        self.boosters = None
        parts = []
        for group in NETWORK_GROUPS:
            split = splits.of(group)
            validation = split.validation
            z = self._ensemble_quantiles(validation.dynamic, validation.context, calibrated=False)
            if cfg.boosted_horizons and cfg.boosting_rounds > 0:
                part, held_out_shift = fit_median_boosters(
                    split.train,
                    validation,
                    z[..., levels.index(0.5)],
                    cfg.boosted_horizons,
                    BoostingConfig(
                        rounds=cfg.boosting_rounds,
                        small_data_rounds=max(cfg.boosting_rounds // 3, 1),
                        num_threads=max(cfg.num_threads, 2),
                        seed=cfg.seed,
                    ),
                    targets=group.target_positions,
                )
                parts.append(part)
                z = z + held_out_shift[..., None]
            if cfg.calibrate:
                scales = interval_scale_factors(
                    z,
                    validation.targets,
                    validation.mask,
                    levels.index(0.1),
                    levels.index(0.5),
                    levels.index(0.9),
                    coverage=cfg.calibration_coverage,
                )
                columns = group.target_positions
                self.interval_scales[:, columns] = scales[:, columns] ** cfg.calibration_strength
        if parts:
            self.boosters = merged_boosters(parts)

    # -- prediction ---------------------------------------------------------------------------

    def _ensemble_quantiles(self, dynamic, context, calibrated: bool = True) -> np.ndarray:
        """``(windows, horizons, targets, levels)``: each target from its group's networks
        (averaged over the ensemble members)."""
        from seoulcast_assets.ml.families.recurrent.calibration import apply_interval_scale
        from seoulcast_assets.ml.families.recurrent.training import predict_network

        if not self.networks:
            raise RuntimeError("the forecaster has not been trained or loaded")
        z = None
        for name in dict.fromkeys(self.network_groups):
            group = network_group(name)
            pairs = zip(self.networks, self.network_groups, strict=True)
            members = [network for network, of_group in pairs if of_group == name]
            mean = np.mean([predict_network(n, dynamic, context) for n in members], axis=0)
            if z is None:
                z = np.full_like(mean, np.nan)
            z[:, :, group.target_positions] = mean[:, :, group.target_positions]
        if self.boosters is not None:
            z = self.boosters.blend(z, dynamic, context, list(QUANTILES).index(0.5))
        z = np.sort(z, axis=-1)
        if calibrated:
            z = apply_interval_scale(z, self.interval_scales, list(QUANTILES).index(0.5))
        return z

    def _predict(self, calendar, origins):
        import torch

        torch.set_num_threads(self.config.num_threads)
        encoded = self.encoder.encode(calendar)
        positions = np.asarray((origins - calendar.index[0]).days, dtype=int)
        dynamic, context = gather_inputs(encoded, positions, self.config.lookback)
        z = self._ensemble_quantiles(dynamic, context)  # (origins, horizons, targets, levels)
        horizons = np.asarray(HORIZONS)
        dates = (origins.to_numpy()[:, None] + horizons[None, :].astype("timedelta64[D]")).ravel()
        out = {}
        for t, target in enumerate(TARGETS):
            values = self.encoder.to_observation(
                target, dates, z[:, :, t, :].reshape(len(dates), -1)
            )
            out[target] = values.reshape(len(origins), len(horizons), len(QUANTILES))
        return out

    # -- persistence --------------------------------------------------------------------------

    def save(self, directory: str | Path) -> Path:
        """Write the model as plain files (layout in ``docs`` of :meth:`load`)."""
        import torch

        if not self.networks:
            raise RuntimeError("nothing to save: the forecaster has not been trained")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        _write_json(directory / "config.json", self.config.to_dict())
        _write_json(directory / "scalers.json", self.encoder.to_dict())
        _write_json(
            directory / "metadata.json",
            {
                "format_version": FORMAT_VERSION,
                "model": self.name,
                "targets": list(TARGETS),
                "horizons": list(HORIZONS),
                "quantiles": list(QUANTILES),
                "dynamic_features": list(self.encoder.dynamic_features),
                "context_features": list(CONTEXT_FEATURES),
                "interval_scales": self.interval_scales.tolist(),
                "networks": [
                    {"group": group, "hyperparameters": dict(network.hparams)}
                    for network, group in zip(self.networks, self.network_groups, strict=True)
                ],
                "training": asdict(self.report),
                "boosting": (
                    {
                        "config": asdict(self.boosters.config),
                        "weights": self.boosters.weights.tolist(),
                        "cells": self.boosters.save(directory),
                    }
                    if self.boosters
                    else None
                ),
            },
        )
        for i, network in enumerate(self.networks):
            torch.save(network.state_dict(), directory / f"member-{i}.pt")
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> Forecaster:
        """Read a model written by :meth:`save`.

        Layout: ``config.json`` (:class:`ForecasterConfig`), ``scalers.json`` (the fitted
        climatologies), ``metadata.json`` (targets, horizons, quantiles, feature names, interval
        calibration, network hyper-parameters, training report) and ``member-<i>.pt`` (the
        state dict of each ensemble member).
        """
        import torch

        from seoulcast_assets.ml.families.recurrent.network import QuantileNetwork

        directory = Path(directory)
        metadata = json.loads((directory / "metadata.json").read_text())
        if metadata.get("format_version") not in READABLE_FORMATS:
            raise ValueError(f"unsupported model format {metadata.get('format_version')!r}")
        saved = json.loads((directory / "config.json").read_text())
        saved.setdefault("weather_inputs", [])  # saved before the elements were read
        forecaster = cls(ForecasterConfig.from_dict(saved))
        forecaster.encoder = AnomalyEncoder.from_dict(
            json.loads((directory / "scalers.json").read_text())
        )
        if metadata["dynamic_features"] != list(forecaster.encoder.dynamic_features) or metadata[
            "context_features"
        ] != list(CONTEXT_FEATURES):
            raise ValueError("the saved model was built for different features")
        forecaster.interval_scales = np.asarray(metadata["interval_scales"], dtype=float)
        forecaster.report = TrainingReport(**metadata["training"])
        boosting = metadata.get("boosting")
        if boosting:
            forecaster.boosters = MedianBoosters.load(
                directory, boosting["config"], boosting["weights"], boosting["cells"]
            )
        for i, spec in enumerate(_network_specs(metadata)):
            network = QuantileNetwork(**spec["hyperparameters"])
            state = torch.load(directory / f"member-{i}.pt", weights_only=True)
            network.load_state_dict(_upgraded_state(state, network))
            network.eval()
            forecaster.networks.append(network)
            forecaster.network_groups.append(spec["group"])
        return forecaster


@dataclass
class _Split:
    """Training windows before a held-out slice of ``days``, the slice, and the anchor fit on
    the former."""

    days: int
    train: WindowSet
    validation: WindowSet
    anchor: LinearAnchor
    features: tuple[str, ...]
    _final_anchor: LinearAnchor | None = None

    @classmethod
    def cut(cls, windows: WindowSet, train_end, days: int, features, targets) -> _Split:
        """The split, its anchor's penalties searched for the ``targets`` (positions) whose
        forecasts are read from it."""
        train, validation = _before_and_within(windows, train_end, days)
        if len(train) == 0 or len(validation) == 0:
            raise ValueError(
                f"need training and validation windows (got {len(train)} and {len(validation)}):"
                " the history before train_end is too short for this configuration"
            )
        anchor = fit_linear_anchor(
            train, validation, QUANTILES, features=features, searched=sorted(targets)
        )
        return cls(days, train, validation, anchor, tuple(features))

    def final_anchor(self) -> LinearAnchor:
        """The anchor refit on the training windows and the slice, with the same penalties."""
        if self._final_anchor is None:
            self._final_anchor = refit_linear_anchor(
                WindowSet.concat(self.train, self.validation),
                QUANTILES,
                self.anchor.penalty,
                features=self.features,
            )
        return self._final_anchor


class _GroupSplits:
    """Each network group's split (``ForecasterConfig.validation_days_of``), cut once per
    length of held-out slice."""

    def __init__(self, windows: WindowSet, train_end, config: ForecasterConfig, features):
        self.windows = windows
        self.train_end = train_end
        self.config = config
        self.features = features
        self._splits: dict[int, _Split] = {}

        self._days = {group.name: self._held_out_days(group) for group in NETWORK_GROUPS}

    def of(self, group) -> _Split:
        return self._cut(self._days[group.name])

    def usual(self) -> _Split:
        return self._cut(self.config.validation_days)

    def _held_out_days(self, group) -> int:
        days = self.config.validation_days_of(group.name)
        if days != self.config.validation_days:
            before, _ = _before_and_within(self.windows, self.train_end, days)
            if len(group.windows(before)) < MIN_GROUP_TRAINING_WINDOWS:
                return self.config.validation_days  # too short a record before its own slice
        return days

    def _cut(self, days: int) -> _Split:
        if days not in self._splits:
            read = {
                position
                for group in NETWORK_GROUPS
                if self._days[group.name] == days
                for position in group.target_positions
            }
            self._splits[days] = _Split.cut(
                self.windows, self.train_end, days, self.features, read or range(len(TARGETS))
            )
        return self._splits[days]


def _before_and_within(windows: WindowSet, train_end, days: int) -> tuple[WindowSet, WindowSet]:
    """The windows whose targets all fall before the last ``days`` up to ``train_end``, and
    those whose targets all fall within them (windows across the boundary are in neither)."""
    start = train_end - pd.Timedelta(days=days - 1)
    last_target = windows.origins + pd.Timedelta(days=len(HORIZONS))
    first_target = windows.origins + pd.Timedelta(days=1)
    return (
        windows.select(np.asarray(last_target < start)),
        windows.select(np.asarray(first_target >= start)),
    )


def train_forecaster(
    history: pd.DataFrame,
    config: ForecasterConfig | None = None,
    train_end=None,
    callbacks: Sequence = (),
) -> Forecaster:
    """Train on the whole ``history`` (or up to ``train_end``), with an internal time-ordered
    validation slice for early stopping and interval calibration."""
    return Forecaster(config).with_callbacks(callbacks).fit(history, train_end=train_end)


def _network_specs(metadata: dict) -> list[dict]:
    """``group`` and ``hyperparameters`` of each saved network, whatever the format."""
    if metadata["format_version"] == 1:
        hyperparameters = metadata["network_hyperparameters"]
        return [
            {"group": ALL_TARGETS.name, "hyperparameters": hyperparameters}
            for _ in metadata["training"]["members"]
        ]
    return metadata["networks"]


def _upgraded_state(state: dict, network) -> dict:
    """A format-1 state dict in the current layout: its ``target_weights`` buffer became
    ``loss_weights`` (used only in training) and it had no median gate (correction always on)."""
    state = {k: v for k, v in state.items() if k != "target_weights"}
    current = network.state_dict()
    for key in ("loss_weights", "median_gate", "dynamic_used", "context_used"):
        state.setdefault(key, current[key])
    return state


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True, default=_json_default) + "\n")


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value)}")

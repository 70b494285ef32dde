"""Gradient-boosted medians (LightGBM) that the forecaster blends with its networks' medians.

Trees find what a linear anchor and a small LSTM correction miss in one day's weather: the
interplay of the times of the day's extremes, the pressure tendency, humidity and cloud (a
minimum temperature at 23:00 under a rising barometer is cold air arriving). On the inner years
they forecast D+1 temperatures 4–5% better than the network, and lose to it from D+2 on.

So per target and horizon the forecaster learns one median booster on the windows' recent
inputs (:func:`boosting_features`), scores it and the network on the held-out slice, and keeps
the blend weight ``w`` (a grid from 0 to 1) with the lowest held-out MAE: the forecast median
becomes ``(1 - w) · network + w · booster`` and every other quantile moves with it, so the
interval's shape stays the network's. Cells where ``w`` is 0 keep no booster.

Everything is in the standardised anomaly space of ``features.py``; the objective is L1 (the
median), the boosters are deterministic (fixed seeds, ``deterministic=True``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from seoulcast_assets.ml.inputs.windows import WindowSet

BLEND_WEIGHTS: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0)
"""The candidate weights of the booster in a cell's median."""


@dataclass(frozen=True)
class BoostingConfig:
    """Hyper-parameters, chosen on the inner years (``ml/README.md``)."""

    feature_days: int = 3
    """Input days the trees read (the most recent): on the inner years 2–3 days did as well as
    7 at D+1 and took a tenth of the time."""
    rounds: int = 300
    learning_rate: float = 0.08
    num_leaves: int = 15
    min_data_in_leaf: int = 50
    feature_fraction: float = 0.7
    bagging_fraction: float = 0.8
    small_data_rounds: int = 100
    """Rounds for a target with fewer than ``small_data_windows`` windows (PM10's few years)."""
    small_data_windows: int = 3000
    num_threads: int = 2
    seed: int = 0

    def parameters(self, seed: int) -> dict:
        return {
            "objective": "l1",
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_data_in_leaf,
            "feature_fraction": self.feature_fraction,
            "bagging_fraction": self.bagging_fraction,
            "bagging_freq": 1,
            "max_bin": 63,
            "lambda_l2": 1.0,
            "num_threads": self.num_threads,
            "seed": seed,
            "deterministic": True,
            "force_row_wise": True,
            "verbose": -1,
        }


def boosting_features(dynamic: np.ndarray, context: np.ndarray, days: int) -> np.ndarray:
    """``(windows, features)``: the last ``days`` input days, flattened, and the context."""
    recent = dynamic[:, -days:, :].reshape(len(dynamic), -1)
    return np.concatenate([recent, context], axis=1).astype(np.float32)


@dataclass
class MedianBoosters:
    """One booster per boosted (horizon, target) cell and the blend weight of every cell."""

    config: BoostingConfig
    weights: np.ndarray  # (horizons, targets), 0 where no booster is kept
    boosters: dict[tuple[int, int], object] = field(default_factory=dict)

    def median_z(self, dynamic: np.ndarray, context: np.ndarray) -> np.ndarray:
        """``(windows, horizons, targets)`` booster medians (NaN in cells without one)."""
        features = boosting_features(dynamic, context, self.config.feature_days)
        out = np.full((len(dynamic), *self.weights.shape), np.nan)
        for (h, t), booster in self.boosters.items():
            out[:, h, t] = booster.predict(features)
        return out

    def blend(self, z: np.ndarray, dynamic: np.ndarray, context: np.ndarray, median_index: int):
        """Network quantiles ``(windows, horizons, targets, levels)`` with each cell's median
        moved towards the booster's by its weight (all levels move alike)."""
        if not self.boosters:
            return z
        boosted = self.median_z(dynamic, context)
        shift = np.where(np.isnan(boosted), 0.0, boosted - z[..., median_index])
        return z + (self.weights[None] * shift)[..., None]

    def save(self, directory: Path) -> list[dict]:
        cells = []
        for (h, t), booster in sorted(self.boosters.items()):
            name = f"booster-h{h + 1}-t{t}.txt"
            booster.save_model(str(directory / name))
            cells.append({"horizon_index": h, "target_index": t, "file": name})
        return cells

    @classmethod
    def load(cls, directory: Path, config: dict, weights, cells: list[dict]) -> MedianBoosters:
        import lightgbm as lgb

        boosters = {
            (cell["horizon_index"], cell["target_index"]): lgb.Booster(
                model_file=str(directory / cell["file"])
            )
            for cell in cells
        }
        return cls(BoostingConfig(**config), np.asarray(weights, dtype=float), boosters)


def fit_median_boosters(
    train: WindowSet,
    validation: WindowSet,
    network_median_z: np.ndarray,
    horizons: tuple[int, ...],
    config: BoostingConfig,
    targets: Sequence[int] | None = None,
) -> tuple[MedianBoosters, np.ndarray]:
    """Fit a booster per (horizon in ``horizons``, target in ``targets``, by position; all
    when None) on ``train``, choose its blend
    weight with the network's held-out medians (``network_median_z``, ``(validation windows,
    horizons, targets)``), then refit the kept ones on ``train`` and ``validation`` together.

    Also returns the shift the blend gave each held-out median (from the boosters fit on
    ``train`` only: out of sample, for calibrating intervals on the same slice)."""
    import lightgbm as lgb

    _, n_horizons, n_targets = train.targets.shape
    weights = np.zeros((n_horizons, n_targets))
    held_out_shift = np.zeros(network_median_z.shape)
    x_train = boosting_features(train.dynamic, train.context, config.feature_days)
    x_validation = boosting_features(validation.dynamic, validation.context, config.feature_days)
    everything = WindowSet.concat(train, validation)
    x_all = np.concatenate([x_train, x_validation])
    boosters = {}
    for h in [horizon - 1 for horizon in horizons if horizon <= n_horizons]:
        for t in range(n_targets) if targets is None else targets:
            fit = train.mask[:, h, t] > 0
            held_out = validation.mask[:, h, t] > 0
            if fit.sum() < 2 * config.min_data_in_leaf or held_out.sum() < 30:
                continue
            small = fit.sum() < config.small_data_windows
            rounds = config.small_data_rounds if small else config.rounds
            seed = config.seed + 100 * h + t
            booster = lgb.train(
                config.parameters(seed),
                lgb.Dataset(x_train[fit], train.targets[fit, h, t]),
                num_boost_round=rounds,
            )
            actual = validation.targets[held_out, h, t]
            network = network_median_z[held_out, h, t]
            trees = booster.predict(x_validation[held_out])
            errors = [
                np.abs(actual - ((1 - w) * network + w * trees)).mean() for w in BLEND_WEIGHTS
            ]
            weight = BLEND_WEIGHTS[int(np.argmin(errors))]
            if weight == 0.0:
                continue
            weights[h, t] = weight
            held_out_shift[held_out, h, t] = weight * (trees - network)
            final = everything.mask[:, h, t] > 0
            boosters[(h, t)] = lgb.train(
                config.parameters(seed),
                lgb.Dataset(x_all[final], everything.targets[final, h, t]),
                num_boost_round=rounds,
            )
    return MedianBoosters(config, weights, boosters), held_out_shift


def merged(parts: Sequence[MedianBoosters]) -> MedianBoosters:
    """One set of boosters from sets fit on different targets (disjoint cells)."""
    weights = np.sum([part.weights for part in parts], axis=0)
    boosters = {cell: booster for part in parts for cell, booster in part.boosters.items()}
    return MedianBoosters(parts[0].config, weights, boosters)

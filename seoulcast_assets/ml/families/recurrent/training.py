"""Fitting one network with Lightning: seeded, on CPU, early-stopped on the time-ordered split."""

from __future__ import annotations

import copy
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytorch_lightning as pl
import torch

from seoulcast_assets.ml.families.recurrent.datamodule import ForecastWindows
from seoulcast_assets.ml.families.recurrent.network import QuantileNetwork
from seoulcast_assets.ml.inputs.windows import WindowSet


class KeepBestWeights(pl.Callback):
    """Remember the weights of the epoch with the lowest ``val_loss`` and restore them at the end.

    Keeps the best epoch in memory, so training writes no checkpoint files.
    """

    def __init__(self, initial_loss: float = float("inf"), initial_state: dict | None = None):
        self.best_loss = initial_loss
        self.best_epoch = -1  # -1: the untrained network (the anchor) was never beaten
        self.best_state = initial_state

    def on_validation_epoch_end(self, trainer, pl_module) -> None:
        if trainer.sanity_checking:
            return
        loss = trainer.callback_metrics.get("val_loss")
        if loss is not None and float(loss) < self.best_loss:
            self.best_loss = float(loss)
            self.best_epoch = trainer.current_epoch
            self.best_state = copy.deepcopy(pl_module.state_dict())

    def on_fit_end(self, trainer, pl_module) -> None:
        if self.best_state is not None:
            pl_module.load_state_dict(self.best_state)


@dataclass(frozen=True)
class FitSummary:
    seed: int
    epochs_run: int
    best_epoch: int
    best_val_loss: float
    train_windows: int
    validation_windows: int


def quiet_lightning() -> None:
    """Lightning's banner lines and hints are noise in a CLI and in Dagster logs."""
    for name in ("pytorch_lightning", "lightning_fabric", "lightning.pytorch", "lightning"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=".*does not have many workers.*")
    warnings.filterwarnings("ignore", message=".*LeafSpec.*")


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and torch so that weights and batch order repeat exactly."""
    pl.seed_everything(seed, workers=True, verbose=False)


def fit_network(
    network: QuantileNetwork,
    train: WindowSet,
    validation: WindowSet,
    *,
    seed: int,
    max_epochs: int,
    patience: int,
    batch_size: int,
    callbacks: Sequence[pl.Callback] = (),
) -> FitSummary:
    """Train ``network`` in place, keep its best validation epoch, and say how it went."""
    quiet_lightning()
    seed_everything(seed)
    data = ForecastWindows(train, validation, batch_size=batch_size, seed=seed)
    best = KeepBestWeights(validation_loss(network, data), copy.deepcopy(network.state_dict()))
    network.train()
    trainer = pl.Trainer(
        accelerator="cpu",
        devices=1,
        max_epochs=max_epochs,
        callbacks=[
            best,
            pl.callbacks.EarlyStopping("val_loss", patience=patience, mode="min"),
            *callbacks,
        ],
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        deterministic=True,
        gradient_clip_val=1.0,
    )
    trainer.fit(network, datamodule=data)
    network.eval()
    return FitSummary(
        seed=seed,
        epochs_run=trainer.current_epoch,
        best_epoch=best.best_epoch,
        best_val_loss=best.best_loss,
        train_windows=len(train),
        validation_windows=len(validation),
    )


@torch.no_grad()
def validation_loss(network: QuantileNetwork, data: ForecastWindows) -> float:
    """The epoch-level ``val_loss`` (batch-size weighted) of the network as it is now."""
    network.eval()
    total, count = 0.0, 0
    for batch in data.val_dataloader():
        total += float(network._loss(batch)) * len(batch[0])
        count += len(batch[0])
    return total / max(count, 1)


@torch.no_grad()
def predict_network(network: QuantileNetwork, dynamic, context, batch_size: int = 4096):
    """Quantiles ``(windows, horizons, targets, levels)`` as a numpy array."""
    network.eval()
    outputs = []
    for start in range(0, len(dynamic), batch_size):
        stop = start + batch_size
        outputs.append(
            network(torch.from_numpy(dynamic[start:stop]), torch.from_numpy(context[start:stop]))
        )
    return torch.cat(outputs).numpy().astype(float)


@torch.no_grad()
def gate_median_correction(network: QuantileNetwork, validation: WindowSet) -> list[list[int]]:
    """Keep the learnt median correction only in the (horizon, target) cells where it lowers the
    validation MAE of the median; elsewhere the anchor's median stands (the interval widths stay
    the network's). Sets and returns ``network.median_gate`` (1 = correction used).

    A week ahead there is little a network can add to the linear anchor, and what it learns
    there is mostly noise that the early stop, which weighs all cells together, lets through.
    """
    network.median_gate.fill_(1.0)
    with_correction = predict_network(network, validation.dynamic, validation.context)
    network.median_gate.zero_()
    anchor_only = predict_network(network, validation.dynamic, validation.context)
    m = network.median_index
    observed = validation.mask > 0
    count = np.maximum(observed.sum(axis=0), 1)

    def mae(predicted):
        return (np.abs(predicted[..., m] - validation.targets) * observed).sum(axis=0) / count

    gate = (mae(with_correction) < mae(anchor_only)).astype(np.float32)
    network.median_gate.copy_(torch.from_numpy(gate))
    return gate.astype(int).tolist()

"""The network: a linear anchor plus a recurrent (LSTM or GRU) correction, with non-crossing
quantiles for 7 days.

Output shape ``(batch, horizon, target, quantile)`` in standardised-anomaly space.

* The median is the fixed linear anchor (``anchor.py``: ridge on the last week and the context,
  fit in closed form on the training windows) plus a correction from an MLP on the recurrent
  layer's final state (an LSTM, or a GRU with ``cell="gru"``; stacked with ``num_layers``) and
  the context, i.e. what a linear model cannot see: the shape of the last weeks,
  seasonal differences in persistence, interactions between the variables.
* The other quantiles are the median plus/minus cumulative ``softplus`` steps, so they never
  cross.

The correction layer starts at zero weights with biases that reproduce the anchor's residual
quantiles, so before training the network *is* the anchor with empirical intervals; training
minimises the pinball (quantile) loss over observed targets only, weighted per horizon and
target (``loss_weights``).

Two buffers, set by the forecaster and saved with the weights: ``dynamic_used``/``context_used``
say which inputs the learnt part (LSTM and correction) reads, the anchor reads them all; and
``median_gate`` (horizon, target) switches the learnt median correction off where it did not
beat the anchor on the held-out slice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytorch_lightning as pl
import torch
from torch import nn
from torch.nn import functional as F

from seoulcast_assets.ml.families.recurrent.anchor import ANCHOR_DAYS, LinearAnchor

RECURRENT_CELLS: dict[str, type[nn.Module]] = {"lstm": nn.LSTM, "gru": nn.GRU}


def pinball_loss(
    predicted: torch.Tensor,
    target: torch.Tensor,
    mask: torch.Tensor,
    quantiles: torch.Tensor,
    weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Weighted mean quantile loss over the observed entries.

    ``predicted`` is ``(..., targets, quantiles)``; ``target`` and ``mask`` are ``(..., targets)``;
    ``weights`` broadcasts against ``mask`` (e.g. ``(horizons, targets)``).
    """
    error = target.unsqueeze(-1) - predicted
    loss = torch.maximum(quantiles * error, (quantiles - 1.0) * error).mean(dim=-1)
    weights = mask if weights is None else mask * weights
    return (loss * weights).sum() / weights.sum().clamp_min(1e-6)


def _inverse_softplus(x: np.ndarray) -> np.ndarray:
    x = np.maximum(x, 1e-3)
    return x + np.log(-np.expm1(-x))


class QuantileNetwork(pl.LightningModule):
    """Multi-horizon, multi-target quantile forecaster of standardised anomalies."""

    def __init__(
        self,
        n_dynamic: int,
        n_context: int,
        n_targets: int,
        horizon: int,
        quantiles: Sequence[float],
        hidden_size: int = 64,
        num_layers: int = 1,
        dropout: float = 0.1,
        learning_rate: float = 1e-3,
        weight_decay: float = 1e-4,
        target_weights: Sequence[float] | None = None,
        horizon_weights: Sequence[float] | None = None,
        learnt_inputs: tuple[Sequence[bool], Sequence[bool]] | None = None,
        anchor: LinearAnchor | None = None,
        cell: str = "lstm",
    ) -> None:
        super().__init__()
        if cell not in RECURRENT_CELLS:
            raise ValueError(f"unknown recurrent cell {cell!r}; use one of {list(RECURRENT_CELLS)}")
        self.save_hyperparameters(ignore=["anchor"])
        quantiles = list(quantiles)
        if 0.5 not in quantiles or quantiles != sorted(quantiles):
            raise ValueError("quantiles must be sorted and include the median 0.5")
        self.median_index = quantiles.index(0.5)
        self.register_buffer("quantiles", torch.tensor(quantiles, dtype=torch.float32))
        by_target = torch.tensor(target_weights or [1.0] * n_targets, dtype=torch.float32)
        by_horizon = torch.tensor(horizon_weights or [1.0] * horizon, dtype=torch.float32)
        self.register_buffer("loss_weights", by_horizon[:, None] * by_target[None, :])
        # which dynamic and context inputs the LSTM and the correction read (the anchor reads all)
        dynamic_used, context_used = learnt_inputs or ([True] * n_dynamic, [True] * n_context)
        self.register_buffer("dynamic_used", torch.tensor(dynamic_used, dtype=torch.float32))
        self.register_buffer("context_used", torch.tensor(context_used, dtype=torch.float32))
        # 1 where the learnt median correction is used, 0 where the anchor's median is kept
        self.register_buffer("median_gate", torch.ones(horizon, n_targets))
        n_outputs = horizon * n_targets
        n_anchor = ANCHOR_DAYS * n_dynamic + n_context
        # the anchor is fixed (buffers, saved with the weights, never trained)
        self.register_buffer("anchor_weight", torch.zeros(n_anchor, n_outputs))
        self.register_buffer("anchor_bias", torch.zeros(n_outputs))
        recurrent = RECURRENT_CELLS[cell](
            n_dynamic,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        setattr(self, cell, recurrent)  # state-dict keys "lstm.*" or "gru.*"
        self.correction = nn.Sequential(
            nn.Linear(hidden_size + n_context, hidden_size),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden_size, n_outputs * len(quantiles)),
        )
        if anchor is not None:
            self._start_from(anchor)

    def replace_anchor(self, anchor: LinearAnchor) -> None:
        """Swap in another fit of the anchor, keeping the learnt correction."""
        self.anchor_weight.copy_(torch.as_tensor(anchor.weight, dtype=torch.float32))
        self.anchor_bias.copy_(torch.as_tensor(anchor.bias, dtype=torch.float32))

    def _start_from(self, anchor: LinearAnchor) -> None:
        """Zero correction; quantile steps equal to the anchor's residual quantile gaps."""
        self.replace_anchor(anchor)
        residual = np.sort(anchor.residual_quantiles, axis=-1)  # (horizon, target, levels)
        m = self.median_index
        bias = np.zeros_like(residual)
        bias[..., m] = residual[..., m]
        below = residual[..., m : m + 1] - residual[..., :m]  # distance of each lower level
        steps_below = below - np.concatenate([below[..., 1:], np.zeros_like(below[..., :1])], -1)
        above = residual[..., m + 1 :] - residual[..., m : m + 1]
        steps_above = np.diff(np.concatenate([np.zeros_like(above[..., :1]), above], -1), axis=-1)
        bias[..., :m] = _inverse_softplus(steps_below)
        bias[..., m + 1 :] = _inverse_softplus(steps_above)
        last = self.correction[-1]
        with torch.no_grad():
            last.weight.zero_()
            last.bias.copy_(torch.as_tensor(bias.reshape(-1), dtype=torch.float32))

    def forward(self, dynamic: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        hp = self.hparams
        recent = dynamic[:, -ANCHOR_DAYS:, :].flatten(1)
        anchor = torch.cat([recent, context], dim=-1) @ self.anchor_weight + self.anchor_bias
        _, state = getattr(self, self.hparams.cell)(dynamic * self.dynamic_used)
        hidden = state[0] if isinstance(state, tuple) else state  # LSTM: (h, c); GRU: h
        raw = self.correction(torch.cat([hidden[-1], context * self.context_used], dim=-1))
        raw = raw.view(-1, hp.horizon, hp.n_targets, len(hp.quantiles))
        correction = raw[..., self.median_index] * self.median_gate
        median = correction + anchor.view(-1, hp.horizon, hp.n_targets)
        below = F.softplus(raw[..., : self.median_index]).flip(-1).cumsum(-1).flip(-1)
        above = F.softplus(raw[..., self.median_index + 1 :]).cumsum(-1)
        median = median.unsqueeze(-1)
        return torch.cat([median - below, median, median + above], dim=-1)

    def _loss(self, batch) -> torch.Tensor:
        dynamic, context, target, mask = batch
        return pinball_loss(self(dynamic, context), target, mask, self.quantiles, self.loss_weights)

    def training_step(self, batch, batch_idx):
        loss = self._loss(batch)
        self.log("train_loss", loss, on_step=False, on_epoch=True, batch_size=len(batch[0]))
        return loss

    def validation_step(self, batch, batch_idx):
        loss = self._loss(batch)
        self.log("val_loss", loss, on_step=False, on_epoch=True, batch_size=len(batch[0]))
        return loss

    def configure_optimizers(self):
        return torch.optim.AdamW(
            self.parameters(),
            lr=self.hparams.learning_rate,
            weight_decay=self.hparams.weight_decay,
        )

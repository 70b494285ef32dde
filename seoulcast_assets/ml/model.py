"""The network: an LSTM over recent anomalies that outputs non-crossing quantiles for 7 days.

Output shape ``(batch, horizon, target, quantile)`` in standardised-anomaly space. Two heads add
up to the median:

* a linear head on the last week of inputs and the context, i.e. the lagged-anomaly linear
  model, so the network starts from a sound baseline instead of having to rediscover it;
* an MLP on the LSTM's final state and the context, for what a linear model cannot see.

The other quantiles are the median plus/minus cumulative ``softplus`` steps, so they can never
cross. Training minimises the pinball (quantile) loss averaged over observed targets only.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytorch_lightning as pl
import torch
from torch import nn
from torch.nn import functional as F

LINEAR_HEAD_DAYS = 7


def pinball_loss(
    predicted: torch.Tensor,
    target: torch.Tensor,
    mask: torch.Tensor,
    quantiles: torch.Tensor,
    target_weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Mean quantile loss over the observed entries.

    ``predicted`` is ``(..., targets, quantiles)``; ``target`` and ``mask`` are ``(..., targets)``.
    """
    error = target.unsqueeze(-1) - predicted
    loss = torch.maximum(quantiles * error, (quantiles - 1.0) * error).mean(dim=-1)
    weights = mask if target_weights is None else mask * target_weights
    return (loss * weights).sum() / weights.sum().clamp_min(1.0)


class QuantileLSTM(pl.LightningModule):
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
        learning_rate: float = 2e-3,
        weight_decay: float = 1e-4,
        target_weights: Sequence[float] | None = None,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        quantiles = list(quantiles)
        if 0.5 not in quantiles or quantiles != sorted(quantiles):
            raise ValueError("quantiles must be sorted and include the median 0.5")
        self.median_index = quantiles.index(0.5)
        self.register_buffer("quantiles", torch.tensor(quantiles, dtype=torch.float32))
        weights = target_weights if target_weights is not None else [1.0] * n_targets
        self.register_buffer("target_weights", torch.tensor(weights, dtype=torch.float32))
        self.n_outputs = horizon * n_targets
        self.lstm = nn.LSTM(
            n_dynamic,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.mlp = nn.Sequential(
            nn.Linear(hidden_size + n_context, hidden_size),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden_size, self.n_outputs * len(quantiles)),
        )
        self.linear_head = nn.Linear(LINEAR_HEAD_DAYS * n_dynamic + n_context, self.n_outputs)

    def forward(self, dynamic: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        hp = self.hparams
        _, (hidden, _) = self.lstm(dynamic)
        state = torch.cat([hidden[-1], context], dim=-1)
        raw = self.mlp(state).view(-1, hp.horizon, hp.n_targets, len(hp.quantiles))
        recent = dynamic[:, -LINEAR_HEAD_DAYS:, :].flatten(1)
        linear = self.linear_head(torch.cat([recent, context], dim=-1))
        median = raw[..., self.median_index] + linear.view(-1, hp.horizon, hp.n_targets)
        below = F.softplus(raw[..., : self.median_index]).flip(-1).cumsum(-1).flip(-1)
        above = F.softplus(raw[..., self.median_index + 1 :]).cumsum(-1)
        return torch.cat(
            [median.unsqueeze(-1) - below, median.unsqueeze(-1), median.unsqueeze(-1) + above],
            dim=-1,
        )

    def _loss(self, batch) -> torch.Tensor:
        dynamic, context, target, mask = batch
        return pinball_loss(
            self(dynamic, context), target, mask, self.quantiles, self.target_weights
        )

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

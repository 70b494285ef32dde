"""A ``LightningDataModule`` over training and validation window sets.

The split is made by time before the data module is built (validation windows are the most
recent ones of the training period, their targets all after the training windows' targets), so
the shuffling here only reorders training windows within an epoch, with a seeded generator.
"""

from __future__ import annotations

import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, TensorDataset

from seoulcast_assets.ml.inputs.windows import WindowSet


def _tensors(windows: WindowSet) -> TensorDataset:
    return TensorDataset(
        torch.from_numpy(windows.dynamic),
        torch.from_numpy(windows.context),
        torch.from_numpy(windows.targets),
        torch.from_numpy(windows.mask),
    )


class ForecastWindows(pl.LightningDataModule):
    def __init__(
        self, train: WindowSet, validation: WindowSet, batch_size: int = 256, seed: int = 0
    ) -> None:
        super().__init__()
        if len(train) == 0 or len(validation) == 0:
            raise ValueError(
                f"need training and validation windows (got {len(train)} and {len(validation)})"
            )
        self.train_windows = train
        self.validation_windows = validation
        self.batch_size = batch_size
        self.seed = seed

    def train_dataloader(self) -> DataLoader:
        generator = torch.Generator().manual_seed(self.seed)
        return DataLoader(
            _tensors(self.train_windows),
            batch_size=self.batch_size,
            shuffle=True,
            generator=generator,
        )

    def val_dataloader(self) -> DataLoader:
        return DataLoader(_tensors(self.validation_windows), batch_size=4096, shuffle=False)

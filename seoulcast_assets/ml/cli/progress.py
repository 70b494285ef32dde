"""A tqdm progress bar advanced by Lightning epochs (Lightning's own bar is switched off)."""

from __future__ import annotations

import pytorch_lightning as pl


class EpochProgress(pl.Callback):
    """Advance ``bar`` by one per epoch; an early-stopped fit still accounts for all its epochs,
    so the bar's total (fits × ``max_epochs``) is reached exactly."""

    def __init__(self, bar, max_epochs: int) -> None:
        self.bar = bar
        self.max_epochs = max_epochs
        self._done = 0

    def on_fit_start(self, trainer, pl_module) -> None:
        self._done = 0

    def on_train_epoch_end(self, trainer, pl_module) -> None:
        self._done += 1
        self.bar.update(1)
        loss = trainer.callback_metrics.get("val_loss")
        if loss is not None:
            self.bar.set_postfix_str(f"val_loss {float(loss):.4f}", refresh=False)

    def on_fit_end(self, trainer, pl_module) -> None:
        self.bar.update(max(0, self.max_epochs - self._done))

"""Training windows cut on the calendar, never by row position.

A window is identified by its *origin*: the last observed day ``o``. Its inputs are the
``lookback`` days ``o-lookback+1 .. o`` and its targets the days ``o+1 .. o+horizon``.

Rule for training windows (the masking rule in one place):

* every input day and every target day must have all three temperatures (and every weather
  element the model reads) observed, otherwise the window is dropped; a window therefore never
  spans the Korean War gap or any absent day;
* PM10 is optional: a missing PM10 input day is encoded as "not observed" (see ``features.py``)
  and a missing PM10 target day gets mask 0, so it adds nothing to the loss. Before 2008-04-28
  every PM10 target is masked and those windows teach temperature only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from seoulcast_assets.ml.inputs.features import EncodedHistory


def _all_true_in_span(flags: np.ndarray, before: int, after: int) -> np.ndarray:
    """``out[i]`` is True iff ``flags[i-before .. i+after]`` are all True (False near the edges)."""
    n = len(flags)
    bad = np.concatenate([[0], np.cumsum(~flags.astype(bool))])
    out = np.zeros(n, dtype=bool)
    lo = np.arange(n) - before
    hi = np.arange(n) + after
    inside = (lo >= 0) & (hi < n)
    idx = np.nonzero(inside)[0]
    out[idx] = (bad[hi[idx] + 1] - bad[lo[idx]]) == 0
    return out


def training_origins(
    encoded: EncodedHistory,
    lookback: int,
    horizon: int,
    first_origin=None,
    last_target=None,
) -> np.ndarray:
    """Positions of the origins whose input and target days are all complete (``complete``).

    ``last_target`` caps the target days (the end of the training period); ``first_origin``
    optionally skips older windows.
    """
    valid = _all_true_in_span(encoded.complete, lookback - 1, horizon)
    positions = np.nonzero(valid)[0]
    if first_origin is not None:
        positions = positions[positions >= encoded.position(first_origin)]
    if last_target is not None:
        positions = positions[positions + horizon <= encoded.position(last_target)]
    return positions


@dataclass(frozen=True)
class WindowSet:
    """Model-ready arrays for a set of origins."""

    origins: pd.DatetimeIndex
    dynamic: np.ndarray  # (n, lookback, dynamic features)
    context: np.ndarray  # (n, context features)
    targets: np.ndarray  # (n, horizon, targets), 0 where masked
    mask: np.ndarray  # (n, horizon, targets), 1 where the target was observed

    def __len__(self) -> int:
        return len(self.origins)

    @staticmethod
    def concat(*sets: WindowSet) -> WindowSet:
        return WindowSet(
            origins=pd.DatetimeIndex(np.concatenate([s.origins.to_numpy() for s in sets])),
            dynamic=np.concatenate([s.dynamic for s in sets]),
            context=np.concatenate([s.context for s in sets]),
            targets=np.concatenate([s.targets for s in sets]),
            mask=np.concatenate([s.mask for s in sets]),
        )

    def select(self, keep: np.ndarray) -> WindowSet:
        return WindowSet(
            origins=self.origins[keep],
            dynamic=self.dynamic[keep],
            context=self.context[keep],
            targets=self.targets[keep],
            mask=self.mask[keep],
        )


def gather_inputs(
    encoded: EncodedHistory, positions: np.ndarray, lookback: int
) -> tuple[np.ndarray, np.ndarray]:
    """Input sequences ending at each origin position, and the context known at the origin."""
    positions = np.asarray(positions, dtype=int)
    if len(positions) and positions.min() < lookback - 1:
        raise ValueError("an origin has fewer than `lookback` days of history before it")
    steps = positions[:, None] + np.arange(-lookback + 1, 1)[None, :]
    return encoded.dynamic[steps], encoded.context[positions]


def build_windows(
    encoded: EncodedHistory, positions: np.ndarray, lookback: int, horizon: int
) -> WindowSet:
    """Inputs, targets and target mask for training origins (targets must lie in ``encoded``)."""
    positions = np.asarray(positions, dtype=int)
    dynamic, context = gather_inputs(encoded, positions, lookback)
    target_steps = positions[:, None] + np.arange(1, horizon + 1)[None, :]
    targets = encoded.target_z[target_steps]
    mask = np.isfinite(targets)
    return WindowSet(
        origins=encoded.dates[positions],
        dynamic=dynamic,
        context=context,
        targets=np.where(mask, targets, 0.0).astype(np.float32),
        mask=mask.astype(np.float32),
    )

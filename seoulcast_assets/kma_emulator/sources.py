"""What the emulator serves from: an observation source.

A source knows Seoul's daily ASOS elements (any of the 56 ``kma_sfcdd3`` fields, by API
name; the renderer prints KMA's sentinel for the others) and 5-minute PM10 readings; the server
decides which of them KMA would hand out (series starts, the war gap, nothing from the future)
and renders them in KMA's formats. Two sources exist: :class:`~.synthetic.SyntheticWeather` and
:class:`~.observed.ObservedWeather`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np
import pandas as pd

SLOTS_PER_DAY = 288  # 5-minute readings, 00:00 .. 23:55


@dataclass(frozen=True)
class Pm10Day:
    """One day's 5-minute PM10 readings (µg/m³, integers as KMA prints them)."""

    slots: np.ndarray  # slot of the day, 0 = 00:00 .. 287 = 23:55, ascending
    values: np.ndarray


class ObservationSource(Protocol):
    observation_source: str  # what the replies say they serve (kma.reply.OBSERVATION_SOURCES)

    def asos_days(self, start: date, end: date) -> pd.DataFrame:
        """Observed days in ``start``..``end``: a ``date`` column (datetime64) and any ASOS
        fields by their lowercase names (``ta_avg``, ``ta_max_tm`` ...); NaN marks a missing
        value. Days without an observation are left out."""
        ...

    def pm10_day(self, day: date) -> Pm10Day | None:
        """The readings of ``day``, or None when the station sent none that day."""
        ...


def draw_extreme_times(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Plausible times (HHMM integers, KST) of the daily maximum and minimum temperature.

    Usually mid-afternoon and around dawn; on about one day in ten a front moves the extreme to
    any hour, as in real records.
    """

    def times(typical_minute: float, spread: float) -> np.ndarray:
        minutes = rng.normal(typical_minute, spread, count)
        anytime = rng.random(count) < 0.1
        minutes = np.where(anytime, rng.uniform(1, 1439, count), minutes)
        minutes = np.clip(np.rint(minutes), 1, 1439).astype(np.int64)
        return minutes // 60 * 100 + minutes % 60

    return times(14 * 60 + 50, 70), times(5 * 60 + 50, 80)

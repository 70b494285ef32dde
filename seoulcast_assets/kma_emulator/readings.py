"""5-minute PM10 readings that reproduce a day's published min, max and mean exactly.

The observed data files only hold daily figures (mean to 0.1, integer min and max, all over
the unscreened readings). To serve KMA's 5-minute format from them, the emulator invents 288
integer readings whose min, max and mean (rounded to 0.1) are the file's values, so a client
that aggregates what it receives gets the file back. The maximum sits in a single reading (a
3,856 µg/m³ day is one spike), as does the minimum (a 0 is one sensor glitch); the others wander
smoothly around the mean that remains.
"""

from __future__ import annotations

import numpy as np

from seoulcast_assets.kma_emulator.sources import SLOTS_PER_DAY

_SMOOTHING = np.hanning(48)  # about four hours of 5-minute readings


def readings_with_summary(
    mean: float, maximum: int, minimum: int, rng: np.random.Generator, count: int = SLOTS_PER_DAY
) -> np.ndarray:
    """``count`` integers with exactly this min and max and ``round(mean, 1)`` as their mean.

    Raises ValueError when no such readings exist (e.g. a mean outside min..max). On the rare day
    whose mean lies too close to one extreme for the other readings to stay strictly inside,
    the extreme is repeated.
    """
    if maximum != int(maximum) or minimum != int(minimum):
        raise ValueError(f"min {minimum} and max {maximum} must be whole µg/m³")
    maximum, minimum = int(maximum), int(minimum)
    total = round(mean * count)  # any sum within count/20 of this rounds to the same mean
    if maximum == minimum:
        if total != maximum * count:
            raise ValueError(f"min = max = {maximum} but the mean is {mean}")
        return np.full(count, maximum, dtype=np.int64)
    rest, others = total - maximum - minimum, count - 2
    low, high = minimum + 1, maximum - 1
    if not low * others <= rest <= high * others:
        low, high = minimum, maximum
    if not low * others <= rest <= high * others:
        raise ValueError(f"no {count} readings in {minimum}..{maximum} have the mean {mean}")
    values = _wander(rest / others, low, high, others, rng)
    values = _adjust_sum(values, rest, low, high, rng)
    readings = np.concatenate([[maximum, minimum], values])
    order = rng.permutation(count)  # the extremes land at random times of the day
    placed = np.empty(count, dtype=np.int64)
    placed[order[:2]] = readings[:2]
    placed[np.sort(order[2:])] = values
    return placed


def _wander(level: float, low: int, high: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """A smooth random series around ``level``, varying by up to ~30% but kept mostly inside
    ``low``..``high`` so that few readings pile up at a bound."""
    room = min(np.log((high + 0.5) / level), np.log(level / max(low - 0.5, 1e-9)))
    spread = min(0.3, max(room, 0.0) / 2.5)
    noise = np.convolve(rng.standard_normal(count + _SMOOTHING.size - 1), _SMOOTHING, mode="valid")
    noise *= spread / max(noise.std(), 1e-9)
    series = np.exp(noise - noise.mean())
    series *= level / series.mean()
    return np.clip(np.rint(series), low, high).astype(np.int64)


def _adjust_sum(
    values: np.ndarray, total: int, low: int, high: int, rng: np.random.Generator
) -> np.ndarray:
    """Move single readings up or down by 1 until they sum to ``total``, staying in low..high."""
    values = values.copy()
    while (gap := total - int(values.sum())) != 0:
        step = 1 if gap > 0 else -1
        room = np.flatnonzero(values < high) if step > 0 else np.flatnonzero(values > low)
        chosen = rng.choice(room, size=min(abs(gap), room.size), replace=False)
        values[chosen] += step
    return values

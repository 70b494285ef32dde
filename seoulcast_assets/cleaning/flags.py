"""The flags a cleaned day can carry, and how they are written.

A flag is a ``column:reason`` token; a day's flags are joined with ``;`` in the fixed order of
:data:`FLAG_VOCABULARY` (so equal days render to equal bytes). The tokens:

temperature, for each of ``ta_avg``, ``ta_max``, ``ta_min``
    ``:sentinel``      KMA's missing-value code (-99.0 and kin) was in the raw day; removed
    ``:implausible``   outside the plausible range; removed
    ``:inconsistent``  part of a broken ``ta_min <= ta_avg <= ta_max``; removed
    ``:interpolated``  the value is a time interpolation between neighbouring days
    ``:missing``       the raw day has no usable value and none could be interpolated

temperature, whole day
    ``ta:no_observation``  the raw day was collected but KMA had no row for it
    ``ta:not_collected``   there is no raw day in the store (not collected yet)
    ``ta:war_gap``         1950-09-01..1953-11-30: no observations exist; never filled

PM10 (from 2008-04-28; before that the PM10 cells are empty and unflagged)
    ``pm10:zero_removed``   zero readings (sensor noise) were left out of the daily figures
    ``pm10:spike_removed``  isolated spike readings were left out
    ``pm10:stuck_removed``  readings of a stuck sensor (one value for hours) were left out
    ``pm10:low_coverage``   too few readings were kept for a daily value: values empty
    ``pm10:no_observation`` the raw day was collected but holds no reading
    ``pm10:not_collected``  there is no raw day in the store
    ``pm10_avg:above_fence``, ``pm10_max:above_fence``  above the policy's Tukey fence; the
                            value is kept (bad-air days are the ones that matter)

weather elements (:mod:`.elements`), for each element ``<e>``
    ``<e>:sentinel``      KMA's missing-value code was in the raw day; removed
    ``<e>:implausible``   outside the element's physical range (a time ``*_tm``: not a time
                          of day, 0000..2400 with minutes below 60); removed
    ``<e>:inconsistent``  part of a broken relation (``hm_min <= hm_avg``, ...); removed
    ``<e>:missing``       the raw day has weather observations but no usable value of ``<e>``
                          (only from the day Seoul's record of ``<e>`` begins)

weather, whole day
    ``weather:no_observation``  the raw day was collected but holds no weather element (KMA
                                sent no row, or a row with temperatures only)
    ``weather:not_collected``   there is no raw day in the store
    ``weather:war_gap``         1950-09-01..1953-11-30: the few elements KMA holds are kept,
                                nothing else is missing
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from seoulcast_assets.cleaning.elements import ELEMENT_NAMES, WEATHER_COLUMNS

TEMPERATURE_COLUMNS = ("ta_avg", "ta_max", "ta_min")
PM10_COLUMNS = ("pm10_avg", "pm10_max", "pm10_min")

TEMPERATURE_VALUE_REASONS = ("sentinel", "implausible", "inconsistent", "interpolated", "missing")
TEMPERATURE_DAY_FLAGS = ("ta:no_observation", "ta:not_collected", "ta:war_gap")
PM10_DAY_FLAGS = (
    "pm10:zero_removed",
    "pm10:spike_removed",
    "pm10:stuck_removed",
    "pm10:low_coverage",
    "pm10:no_observation",
    "pm10:not_collected",
)
PM10_FENCE_FLAGS = ("pm10_avg:above_fence", "pm10_max:above_fence")
WEATHER_VALUE_REASONS = ("sentinel", "implausible", "inconsistent", "missing")
WEATHER_DAY_FLAGS = ("weather:no_observation", "weather:not_collected", "weather:war_gap")


def value_flag(column: str, reason: str) -> str:
    return f"{column}:{reason}"


TEMPERATURE_FLAGS = (
    *TEMPERATURE_DAY_FLAGS,
    *(value_flag(c, r) for c in TEMPERATURE_COLUMNS for r in TEMPERATURE_VALUE_REASONS),
)
PM10_FLAGS = (*PM10_DAY_FLAGS, *PM10_FENCE_FLAGS)
WEATHER_FLAGS = (
    *WEATHER_DAY_FLAGS,
    *(value_flag(e, r) for e in ELEMENT_NAMES for r in WEATHER_VALUE_REASONS),
)
FLAG_VOCABULARY = (*TEMPERATURE_FLAGS, *PM10_FLAGS, *WEATHER_FLAGS)

# Flags saying a cleaned value differs from (or replaces) what KMA's raw day held.
VALUE_CHANGING_FLAGS = frozenset(FLAG_VOCABULARY) - frozenset(PM10_FENCE_FLAGS)


def empty_flags(index: pd.Index, vocabulary: tuple[str, ...]) -> pd.DataFrame:
    """A table of all-False flag columns, one per token, for the given days."""
    return pd.DataFrame(False, index=index, columns=list(vocabulary))


def join_flags(flags: pd.DataFrame) -> pd.Series:
    """``;``-joined tokens per row, in the column order of ``flags`` ('' when none)."""
    joined = np.full(len(flags), "", dtype=object)
    for token in flags.columns:
        on = flags[token].to_numpy(dtype=bool)
        if on.any():
            joined[on] = joined[on] + f";{token}"
    return pd.Series([text[1:] for text in joined], index=flags.index, dtype=object)


def split_flags(text: str) -> list[str]:
    return [token for token in text.split(";") if token]


# The part before ``:`` of the flags each per-variable file carries.
TEMPERATURE_FLAG_SUBJECTS = frozenset({"ta", *TEMPERATURE_COLUMNS})
PM10_FLAG_SUBJECTS = frozenset({"pm10", *PM10_COLUMNS})
WEATHER_FLAG_SUBJECTS = frozenset({"weather", *WEATHER_COLUMNS})


def flags_about(tokens: list[str], subjects: frozenset[str]) -> str:
    """The ``;``-joined tokens of ``tokens`` whose column (before ``:``) is in ``subjects``."""
    return ";".join(token for token in tokens if token.partition(":")[0] in subjects)

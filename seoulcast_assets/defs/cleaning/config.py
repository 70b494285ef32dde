"""Run configuration of ``clean_daily``: the cleaning policy, field for field.

Every field defaults to the documented default policy, so scheduled and automated runs need no
configuration; a backfill can try another policy (e.g. recomputed fences) from the launchpad.
"""

import dagster as dg
from pydantic import Field

from seoulcast_assets.cleaning import DEFAULT_POLICY, CleaningPolicy

_D = DEFAULT_POLICY


class CleaningPolicyConfig(dg.Config):
    """The cleaning policy (see docs/cleaning.md for each default and its reason)."""

    longest_interpolated_gap_days: int = Field(
        default=_D.longest_interpolated_gap_days,
        description="Longest run of missing days filled by interpolation. The asset's "
        "dependencies read this many days around a partition at the default value.",
    )
    temperature_sentinel_at_or_below: float = Field(
        default=_D.temperature_sentinel_at_or_below, description="KMA missing-value code (°C)"
    )
    ta_plausible_min: float = Field(default=_D.ta_plausible_min, description="°C")
    ta_plausible_max: float = Field(default=_D.ta_plausible_max, description="°C")
    pm10_zero_at_or_below: float = Field(
        default=_D.pm10_zero_at_or_below, description="5-minute readings at or below: noise"
    )
    pm10_spike_window_minutes: int = Field(
        default=_D.pm10_spike_window_minutes, description="neighbours within ± this"
    )
    pm10_spike_ratio: float = Field(
        default=_D.pm10_spike_ratio, description="spike: above this × the neighbours' median"
    )
    pm10_spike_excess: float = Field(
        default=_D.pm10_spike_excess, description="spike: and this many µg/m³ above it"
    )
    pm10_spike_min_neighbours: int = Field(default=_D.pm10_spike_min_neighbours)
    pm10_stuck_readings: int = Field(
        default=_D.pm10_stuck_readings, description="equal consecutive readings of a stuck sensor"
    )
    pm10_min_valid_readings: int = Field(
        default=_D.pm10_min_valid_readings, description="kept readings a daily value needs"
    )
    pm10_avg_fence: float = Field(default=_D.pm10_avg_fence, description="flag means above (µg/m³)")
    pm10_max_fence: float = Field(default=_D.pm10_max_fence, description="flag maxima above")

    def policy(self) -> CleaningPolicy:
        return CleaningPolicy.from_dict(self.model_dump())

"""Which network forecasts which targets, from which inputs and which windows.

The forecaster trains one network per group, each early-stopped on its own targets' loss:

* ``temperature`` forecasts the three temperatures; its learnt part (LSTM and correction) reads
  temperature, weather-element and calendar inputs, never PM10. PM10 is measured only since
  2008: in a network trained on 60 years of windows, the PM10 inputs (and the "PM10
  observed" flag) mark the last few training years, and a network that read them learnt
  those years' temperature departures, which then shifted every later forecast (validation
  loss rose from the first epoch on).
  Its linear anchor still reads every input (a ridge fit, shrunk on the held-out year).
* ``pm10`` forecasts PM10 from every input, trained on the windows where PM10 was observed.

Both networks output every target (one architecture); a network's other targets have zero weight
in its loss and are never read.
"""

from __future__ import annotations

from dataclasses import dataclass

from seoulcast_assets.ml.inputs.features import pm10_input_mask
from seoulcast_assets.ml.inputs.variables import PM10_TARGET, TARGETS, TEMPERATURE_TARGETS
from seoulcast_assets.ml.inputs.windows import WindowSet


@dataclass(frozen=True)
class NetworkGroup:
    name: str
    targets: tuple[str, ...]
    pm10_inputs: bool

    @property
    def target_positions(self) -> list[int]:
        return [TARGETS.index(t) for t in self.targets]

    def learnt_inputs(self, features: tuple[str, ...]) -> tuple[list[bool], list[bool]]:
        """Which of the dynamic ``features`` and the context features its learnt part reads."""
        dynamic_pm10, context_pm10 = pm10_input_mask(features)
        if self.pm10_inputs:
            return [True] * len(dynamic_pm10), [True] * len(context_pm10)
        return (~dynamic_pm10).tolist(), (~context_pm10).tolist()

    def windows(self, windows: WindowSet) -> WindowSet:
        """The windows it is trained and validated on."""
        return windows.select(windows.mask[:, :, self.target_positions].any(axis=(1, 2)))


NETWORK_GROUPS: tuple[NetworkGroup, ...] = (
    NetworkGroup("temperature", TEMPERATURE_TARGETS, pm10_inputs=False),
    NetworkGroup("pm10", (PM10_TARGET,), pm10_inputs=True),
)
ALL_TARGETS = NetworkGroup("all", TARGETS, pm10_inputs=True)
"""What a network of a model saved before the groups (format 1) forecasts."""


def network_group(name: str) -> NetworkGroup:
    for group in (*NETWORK_GROUPS, ALL_TARGETS):
        if group.name == name:
            return group
    raise ValueError(f"unknown network group {name!r}")

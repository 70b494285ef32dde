"""A KMA API Hub look-alike on localhost, for development, tests and benchmarks.

``with KmaEmulator(SyntheticWeather(seed=1)).running() as emulator:`` gives a server whose
``base_url`` a :class:`~seoulcast_assets.kma.client.KmaClient` can use. No Dagster, no web
framework: the standard library's HTTP server is enough for one client at a time.
"""

from seoulcast_assets.kma_emulator.control import EmulatorControl
from seoulcast_assets.kma_emulator.faults import FAULT_KINDS, Fault, FaultKind
from seoulcast_assets.kma_emulator.hub import ApiHub, RecordedRequest
from seoulcast_assets.kma_emulator.observed import ObservedWeather
from seoulcast_assets.kma_emulator.server import KmaEmulator
from seoulcast_assets.kma_emulator.sources import ObservationSource, Pm10Day
from seoulcast_assets.kma_emulator.synthetic import SyntheticWeather

__all__ = [
    "ApiHub",
    "FAULT_KINDS",
    "EmulatorControl",
    "Fault",
    "FaultKind",
    "KmaEmulator",
    "ObservationSource",
    "ObservedWeather",
    "Pm10Day",
    "RecordedRequest",
    "SyntheticWeather",
]

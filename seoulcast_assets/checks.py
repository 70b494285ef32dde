"""What a data check concluded, in a form the Dagster layer reports as an asset check result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["ERROR", "WARN"]


@dataclass(frozen=True)
class CheckOutcome:
    """``severity`` is what a failure means: ``ERROR`` stops what depends on the data (for a
    blocking check), ``WARN`` only shows in the UI."""

    name: str
    passed: bool
    severity: Severity
    description: str
    metadata: dict[str, object]

"""Drive an emulator running in another process (``seoulcast emulator``) over HTTP."""

from __future__ import annotations

import requests

from seoulcast_assets.kma_emulator.faults import Fault


class EmulatorControl:
    """``EmulatorControl("http://127.0.0.1:8787").inject(Fault("server_error", times=2))``.

    ``url`` is the emulator's address (its ``base_url`` works too).
    """

    def __init__(self, url: str, *, timeout: float = 10.0):
        root = url.split("/api/typ01/url")[0].split("/_emulator")[0].rstrip("/")
        self.control_url = f"{root}/_emulator"
        self.timeout = timeout

    def inject(self, fault: Fault) -> None:
        self._call("POST", "faults", json=fault.to_json())

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def requests(self) -> list[dict]:
        """The KMA requests the emulator received, oldest first."""
        return self._call("GET", "requests")

    def request_count(self, endpoint: str | None = None) -> int:
        return sum(1 for request in self.requests() if endpoint in (None, request["endpoint"]))

    def clear_requests(self) -> None:
        self._call("DELETE", "requests")

    def healthy(self) -> bool:
        try:
            return bool(self._call("GET", "health").get("ok"))
        except requests.RequestException:
            return False

    def _call(self, method: str, name: str, **kwargs) -> object:
        response = requests.request(
            method, f"{self.control_url}/{name}", timeout=self.timeout, **kwargs
        )
        response.raise_for_status()
        return response.json()

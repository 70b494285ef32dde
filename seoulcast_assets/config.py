"""Settings read from the environment, with defaults that run everything on one machine.

| variable              | default                                   |
|-----------------------|-------------------------------------------|
| ``SEOULCAST_HOME``    | ``./.seoulcast`` (local state of the demo) |
| ``SEOULCAST_STORAGE`` | ``file://$SEOULCAST_HOME/store``          |
| ``AWS_ENDPOINT_URL``  | unset (AWS); set it for MinIO/SeaweedFS   |
| ``KMA_BASE_URL``      | the built-in emulator, unless ``KMA_API_KEY`` is set (then KMA API Hub) |
| ``KMA_API_KEY``       | unset                                     |
| ``MLFLOW_TRACKING_URI`` | ``sqlite:///$SEOULCAST_HOME/mlflow.db``, artifacts in ``mlartifacts/`` |
| ``SLACK_BOT_TOKEN``, ``SLACK_CHANNEL`` | unset: alerts go to the log |
| ``SLACK_API_URL``     | Slack's Web API (``https://slack.com/api/``); a proxy or a recorder |
"""

from __future__ import annotations

import os
from pathlib import Path

KMA_API_HUB_URL = "https://apihub.kma.go.kr/api/typ01/url"
BUILTIN_EMULATOR = "builtin-emulator"


def seoulcast_home() -> Path:
    return Path(os.environ.get("SEOULCAST_HOME", ".seoulcast")).expanduser().resolve()


def storage_url() -> str:
    return os.environ.get("SEOULCAST_STORAGE") or (seoulcast_home() / "store").as_uri()


def aws_endpoint_url() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL") or None


def kma_base_url() -> str:
    """Where KMA requests go: explicit URL, else KMA itself with a key, else the emulator."""
    explicit = os.environ.get("KMA_BASE_URL")
    if explicit:
        return explicit
    return KMA_API_HUB_URL if os.environ.get("KMA_API_KEY") else BUILTIN_EMULATOR


def mlflow_tracking_uri() -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{seoulcast_home() / 'mlflow.db'}"


def mlflow_artifact_location() -> str | None:
    """Artifacts of new experiments: beside a local tracking store, else the server decides."""
    if mlflow_tracking_uri().startswith(("sqlite:", "file:")) or "://" not in mlflow_tracking_uri():
        return (seoulcast_home() / "mlartifacts").as_uri()
    return None

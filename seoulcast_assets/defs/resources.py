"""Resources: where observations come from (KMA) and where everything is kept (object store).

Values come from the environment (see :mod:`seoulcast_assets.config`); secrets are passed as
``dg.EnvVar`` so they never show up in the Dagster UI or in logs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import dagster as dg
from dagster_aws.s3 import S3Resource
from dagster_slack import SlackResource
from pydantic import Field, PrivateAttr
from slack_sdk import WebClient

from seoulcast_assets import config
from seoulcast_assets.kma_source import open_kma_client
from seoulcast_assets.monitoring import RetrainThresholds
from seoulcast_assets.secrets import redact
from seoulcast_assets.storage import ObjectStore, open_store

if TYPE_CHECKING:
    from seoulcast_assets.kma.client import KmaClient


class ObjectStoreResource(dg.ConfigurableResource):
    """The SeoulCast object store: a local folder or an S3 bucket (AWS, MinIO, SeaweedFS)."""

    url: str = Field(description="file:///path or s3://bucket/prefix")
    s3_endpoint_url: str | None = Field(
        default=None, description="S3-compatible endpoint (MinIO, SeaweedFS); empty for AWS"
    )
    s3_region: str = "us-east-1"

    _store: ObjectStore | None = PrivateAttr(default=None)

    def open(self) -> ObjectStore:
        if self._store is None:
            s3_client = None
            if self.url.startswith("s3://"):
                # dagster-aws builds the client; credentials come from the AWS environment.
                s3_client = S3Resource(
                    endpoint_url=self.s3_endpoint_url, region_name=self.s3_region, max_attempts=5
                ).get_client()
            self._store = open_store(self.url, s3_client=s3_client)
        return self._store


class KmaResource(dg.ConfigurableResource):
    """KMA API Hub, or the built-in emulator when no API key is configured."""

    base_url: str = Field(
        description=f"KMA typ01 base URL, or '{config.BUILTIN_EMULATOR}' to serve synthetic "
        "observations from an emulator started for the run"
    )
    api_key: str | None = Field(default=None, description="KMA API Hub key (KMA_API_KEY)")
    station: int = Field(default=108, description="ASOS/PM10 station number (108 = Seoul)")
    timeout_seconds: float = 30.0
    max_attempts: int = 4
    backoff_seconds: float = 2.0
    emulator_seed: int = 108

    @contextmanager
    def client(self) -> Iterator[KmaClient]:
        with open_kma_client(
            self.base_url,
            self.api_key,
            timeout=self.timeout_seconds,
            max_attempts=self.max_attempts,
            backoff_seconds=self.backoff_seconds,
            emulator_seed=self.emulator_seed,
        ) as client:
            yield client


class SlackAlerts(SlackResource):
    """Alerts and notices in a Slack channel, through dagster-slack's ``SlackResource``.

    Without a token the messages go to the run's log and nothing else changes. Posting never
    raises: a Slack outage or a bad token is logged as a warning and the run carries on.
    """

    token: str = Field(default="", description="Slack bot token (SLACK_BOT_TOKEN); empty: log only")
    channel: str = Field(default="#seoulcast", description="channel for alerts and notices")
    base_url: str = Field(
        default=WebClient.BASE_URL,
        description="Slack Web API root (SLACK_API_URL): a proxy, or a recorder in tests",
    )
    timeout_seconds: int = 10

    def get_client(self) -> WebClient:
        return WebClient(self.token, base_url=self.base_url, timeout=self.timeout_seconds)

    def post(self, text: str, log: logging.Logger | dg.DagsterLogManager) -> bool:
        """Send ``text`` to the channel; True when Slack accepted it."""
        if not self.token:
            log.info(f"Slack is not configured (no SLACK_BOT_TOKEN); alert:\n{text}")
            return False
        try:
            self.get_client().chat_postMessage(channel=self.channel, text=redact(text))
        except Exception as error:  # noqa: BLE001 - an alert must never fail the run
            # Slack's error replies can echo the request's Authorization header: redacted
            # here and, like every log record, again by the log-record factory
            log.warning(
                f"could not post to Slack {self.channel}: {type(error).__name__}: "
                f"{redact(str(error))}"
            )
            return False
        return True


class MlflowResource(dg.ConfigurableResource):
    """MLflow tracking server and model registry.

    A small resource of our own rather than dagster-mlflow: its ``mlflow_tracking`` is a
    function-style resource whose MLflow run is ended only by an op-job hook, so with assets the
    run is left RUNNING (dagster-mlflow 0.29). Here the resource only points MLflow at the right
    server; training opens its runs with ``seoulcast_assets.ml.tracking.runs.training_run``,
    which ends every run FINISHED or FAILED.
    """

    tracking_uri: str = Field(description="MLflow tracking URI (MLFLOW_TRACKING_URI)")
    experiment: str = "seoulcast-forecaster"
    model_name: str = Field(default="seoulcast-lstm", description="registered model name")
    artifact_location: str | None = Field(
        default=None,
        description="where a new experiment keeps its artifacts (for a local tracking store)",
    )

    def configure(self) -> str:
        """Point this process's MLflow client at the server; create the experiment if new."""
        import mlflow

        mlflow.set_tracking_uri(self.tracking_uri)
        if mlflow.get_experiment_by_name(self.experiment) is None:
            mlflow.create_experiment(self.experiment, artifact_location=self.artifact_location)
        return self.tracking_uri

    def champion(self) -> ChampionModel | None:
        """The version behind the ``champion`` alias, or None when there is none yet."""
        from mlflow.exceptions import MlflowException
        from mlflow.tracking import MlflowClient

        self.configure()
        try:
            version = MlflowClient().get_model_version_by_alias(self.model_name, "champion")
        except MlflowException:
            return None
        return ChampionModel(self.model_name, str(version.version), version.run_id)


@dataclass(frozen=True)
class ChampionModel:
    name: str
    version: str
    run_id: str

    @property
    def uri(self) -> str:
        """The exact version (an alias could move while it is being loaded)."""
        return f"models:/{self.name}/{self.version}"


class RetrainPolicy(dg.ConfigurableResource):
    """When the retrain sensor asks for a new model (see seoulcast_assets.monitoring)."""

    skill_factor: float = Field(
        default=RetrainThresholds.skill_factor,
        description="retrain when a target's error against climatology is this many times what "
        "it was in the champion's backtest",
    )
    drift_factor: float = Field(
        default=RetrainThresholds.drift_factor,
        description="retrain when an input's drift ratio exceeds this",
    )
    min_scored_days: int = RetrainThresholds.min_scored_days
    cooldown_hours: float = Field(
        default=72.0, description="no new request within this long after the last model"
    )

    def thresholds(self) -> RetrainThresholds:
        return RetrainThresholds(self.skill_factor, self.drift_factor, self.min_scored_days)


def _secret(name: str) -> dg.EnvVar | None:
    return dg.EnvVar(name) if os.environ.get(name) else None


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "store": ObjectStoreResource(
                url=config.storage_url(), s3_endpoint_url=config.aws_endpoint_url()
            ),
            "kma": KmaResource(base_url=config.kma_base_url(), api_key=_secret("KMA_API_KEY")),
            "mlflow": MlflowResource(
                tracking_uri=config.mlflow_tracking_uri(),
                artifact_location=config.mlflow_artifact_location(),
            ),
            "retrain_policy": RetrainPolicy(),
            "slack": SlackAlerts(
                token=_secret("SLACK_BOT_TOKEN") or "",
                channel=os.environ.get("SLACK_CHANNEL") or "#seoulcast",
                base_url=os.environ.get("SLACK_API_URL") or WebClient.BASE_URL,
            ),
        }
    )

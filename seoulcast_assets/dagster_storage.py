"""The event-log storage of SeoulCast's Dagster instances: Dagster's PostgreSQL storage with one
planned row per asset check and run.

SeoulCast's asset checks judge a run as a whole (``clean_daily``'s missing days over the range,
a raw reply's completeness, the seven days of a forecast): they are declared without a
partitions definition and their results carry no partition. Dagster 1.13 nevertheless writes the
"planned" record of every check once per partition of a partitioned run (it takes the run's
partition subset, whatever the check's partitions definition), and the run's result, having no
partition, matches none of them: it is inserted beside them, and the per-partition rows stay
"planned" for ever. For a range run that is all cost and no information: ``clean_daily`` over
the whole record (43,528 days, 34 checks) made 1.48 M such rows, 4.3 GB and 11.5 minutes before
the run started.

:class:`RunScopedCheckEventLogStorage` stores the planned record of a check without partitions,
one row per check and run, which the check's result then completes, as Dagster does for an
unpartitioned run. Events themselves are stored unchanged. Used by ``deploy/dagster.yaml`` and
the local instance (``local_dagster.yaml``). The storage cannot see a check's definition: a
partitioned check would lose its per-partition planned rows, so a test keeps every check of the
code location unpartitioned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationPlanned,
)
from dagster._core.events import DagsterEventType
from dagster._core.events.log import EventLogEntry
from dagster._serdes import ConfigurableClassData
from dagster_postgres import PostgresEventLogStorage
from dagster_postgres.utils import get_token_provider_from_config, pg_url_from_config


class RunScopedCheckEventLogStorage(PostgresEventLogStorage):
    """Dagster's PostgreSQL event log, with run-scoped planned rows for unpartitioned checks."""

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> RunScopedCheckEventLogStorage:
        return cls(
            inst_data=inst_data,
            postgres_url=pg_url_from_config(config_value),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
            token_provider=get_token_provider_from_config(config_value),
        )

    def store_asset_check_event(self, event: EventLogEntry, event_id: int | None) -> None:
        super().store_asset_check_event(run_scoped_planned_event(event), event_id)


def run_scoped_planned_event(event: EventLogEntry) -> EventLogEntry:
    """``event`` with the partition subset dropped from an asset check's planned record (any
    other event is returned as it is)."""
    dagster_event = event.dagster_event
    if (
        dagster_event is None
        or dagster_event.event_type != DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED
    ):
        return event
    planned = dagster_event.event_specific_data
    assert isinstance(planned, AssetCheckEvaluationPlanned)
    if planned.partitions_subset is None:
        return event
    run_scoped = AssetCheckEvaluationPlanned(
        asset_key=planned.asset_key, check_name=planned.check_name, partitions_subset=None
    )
    return event._replace(dagster_event=dagster_event._replace(event_specific_data=run_scoped))

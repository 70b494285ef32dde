"""Tell people when a run fails.

A run-failure sensor of our own rather than ``make_slack_on_run_failure_sensor``: the factory
takes the token as a plain string when the definitions load (it cannot take ``dg.EnvVar``) and
builds its client there, while this sensor gets the ``slack`` resource like every asset does —
token from ``SLACK_BOT_TOKEN`` at run time, log-only without one.
"""

import dagster as dg

from seoulcast_assets.alerts import run_failure_text
from seoulcast_assets.defs.resources import SlackAlerts

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def partitions_of(run: dg.DagsterRun) -> str | None:
    tags = run.tags
    if RANGE_START in tags:
        return f"{tags[RANGE_START]}..{tags[RANGE_END]}"
    return tags.get("dagster/partition")


def assets_of(run: dg.DagsterRun, instance: dg.DagsterInstance) -> list[str]:
    """The run's assets: its selection, or every asset its plan produces (ad-hoc runs)."""
    keys = set(run.asset_selection or [])
    if not keys and run.execution_plan_snapshot_id:
        plan = instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
        keys = {
            output.properties.asset_key
            for step in plan.steps
            for output in step.outputs
            if output.properties and output.properties.asset_key
        }
    return sorted(key.to_user_string() for key in keys)


def step_errors(context: dg.RunFailureSensorContext) -> list[str]:
    errors = []
    for event in context.get_step_failure_events():
        error = event.step_failure_data.error
        if error is None:
            continue
        root = error.cause or error  # Dagster wraps the asset's own exception
        message = root.message.strip()
        qualified, _, rest = message.partition(": ")
        if qualified.endswith(root.cls_name):  # "package.module.Error: text" -> "text"
            message = rest
        errors.append(f"{event.step_key}: {root.cls_name}: {message}")
    return errors


@dg.run_failure_sensor(
    name="slack_on_run_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Posts every failed run (asset, partition, error) to Slack.",
)
def slack_on_run_failure(context: dg.RunFailureSensorContext, slack: SlackAlerts) -> None:
    run = context.dagster_run
    text = run_failure_text(
        job=run.job_name,
        assets=assets_of(run, context.instance),
        partitions=partitions_of(run),
        errors=step_errors(context) or [context.failure_event.message],
    )
    slack.post(text, context.log)

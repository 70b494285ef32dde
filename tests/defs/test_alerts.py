"""Failure alerts go through the real slack_sdk client; Slack trouble never fails anything."""

from __future__ import annotations

import logging

import dagster as dg
import pytest

from seoulcast_assets.defs.alerts.sensors import slack_on_run_failure
from seoulcast_assets.defs.ingestion.assets import raw_pm10
from seoulcast_assets.defs.resources import SlackAlerts
from seoulcast_assets.kma_emulator import Fault
from tests.defs.conftest import range_tags
from tests.support.slack_recorder import slack_recorder


@pytest.fixture
def recorder():
    with slack_recorder() as recorder:
        yield recorder


def failed_run(instance, kma, store, emulator):
    emulator.inject(Fault("quota", endpoint="kma_pm10.php"))
    result = dg.materialize(
        [raw_pm10],
        resources={"kma": kma, "store": store},
        instance=instance,
        tags=range_tags("2024-03-01", "2024-03-07"),
        raise_on_error=False,
    )
    assert not result.success
    run = instance.get_run_by_id(result.run_id)
    failure = (
        instance.get_records_for_run(result.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
        .records[0]
        .event_log_entry.dagster_event
    )
    return run, failure


def test_a_failed_run_is_posted_with_asset_partition_and_error(
    recorder, kma, emulator, local_store_resource
):
    with dg.instance_for_test() as instance:
        run, failure = failed_run(instance, kma, local_store_resource, emulator)
        context = dg.build_run_status_sensor_context(
            sensor_name="slack_on_run_failure",
            dagster_event=failure,
            dagster_instance=instance,
            dagster_run=run,
        ).for_run_failure()
        slack = SlackAlerts(token="xoxb-test-token", channel="#ops", base_url=recorder.base_url)
        slack_on_run_failure(context, slack=slack)

    [call] = recorder.calls
    assert call.method == "chat.postMessage"
    assert call.token == "xoxb-test-token"
    assert call.payload["channel"] == "#ops"
    text = call.payload["text"]
    assert "`raw_pm10`" in text
    assert "partition: 2024-03-01..2024-03-07" in text
    assert "KmaQuotaExceeded" in text and "일일 최대 호출 용량" in text


def test_without_a_token_alerts_go_to_the_log(caplog):
    slack = SlackAlerts(channel="#ops")
    logger = logging.getLogger("seoulcast.test")
    with caplog.at_level(logging.INFO, logger="seoulcast.test"):
        assert slack.post("model promoted", logger) is False
    assert "model promoted" in caplog.text


def test_a_slack_error_is_logged_not_raised(recorder, caplog):
    recorder.fail_with = "invalid_auth"
    slack = SlackAlerts(token="xoxb-bad", base_url=recorder.base_url)
    logger = logging.getLogger("seoulcast.test")
    with caplog.at_level(logging.WARNING, logger="seoulcast.test"):
        assert slack.post("hello", logger) is False
    assert "invalid_auth" in caplog.text


def test_an_unreachable_slack_is_logged_not_raised(caplog):
    slack = SlackAlerts(token="xoxb-x", base_url="http://127.0.0.1:9/api/", timeout_seconds=2)
    logger = logging.getLogger("seoulcast.test")
    with caplog.at_level(logging.WARNING, logger="seoulcast.test"):
        assert slack.post("hello", logger) is False
    assert "could not post to Slack" in caplog.text


def test_the_deployed_failure_sensor_posts_to_the_configured_slack(
    recorder, kma, emulator, local_store_resource, monkeypatch
):
    """The sensor as the daemon runs it: from the code location's definitions, with the Slack
    resource configured by the environment (SLACK_BOT_TOKEN, SLACK_API_URL, SLACK_CHANNEL)."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")
    monkeypatch.setenv("SLACK_API_URL", recorder.base_url)
    monkeypatch.setenv("SLACK_CHANNEL", "#seoulcast-ops")
    from seoulcast_assets.definitions import defs

    definitions = defs()
    sensor = definitions.get_sensor_def("slack_on_run_failure")
    with dg.instance_for_test() as instance:
        run, failure = failed_run(instance, kma, local_store_resource, emulator)
        context = dg.build_run_status_sensor_context(
            sensor_name=sensor.name,
            dagster_event=failure,
            dagster_instance=instance,
            dagster_run=run,
            resources={"slack": definitions.resources["slack"]},
        ).for_run_failure()
        sensor(context)
    [call] = recorder.calls
    assert call.token == "xoxb-from-the-environment"
    assert call.payload["channel"] == "#seoulcast-ops"
    assert "`raw_pm10`" in call.payload["text"] and "KmaQuotaExceeded" in call.payload["text"]

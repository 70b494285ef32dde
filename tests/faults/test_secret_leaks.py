"""No configured secret reaches a log line or a message, through the one redaction mechanism
(the log-record factory of seoulcast_assets.secrets), whoever logs it."""

from __future__ import annotations

import logging
import secrets

import dagster as dg
import pytest

from seoulcast_assets.defs.resources import SlackAlerts
from tests.support.slack_recorder import slack_recorder


def _run_log(instance: dg.DagsterInstance, run_id: str) -> str:
    return "\n".join(entry.user_message or "" for entry in instance.all_logs(run_id))


def test_a_slack_error_echoing_the_token_never_reaches_the_run_log(capfd, caplog):
    token = f"xoxb-{secrets.token_hex(12)}"
    with slack_recorder() as recorder:
        recorder.fail_with, recorder.echo_authorization = "invalid_auth", True

        @dg.asset
        def announces(context, slack: SlackAlerts) -> None:
            slack.post("model promoted", context.log)

        instance = dg.DagsterInstance.ephemeral()
        slack = SlackAlerts(token=token, base_url=recorder.base_url)
        result = dg.materialize([announces], resources={"slack": slack}, instance=instance)
    assert result.success and recorder.calls[0].token == token  # Slack did get the token
    logged = "\n".join([_run_log(instance, result.run_id), *capfd.readouterr(), caplog.text])
    assert "invalid_auth" in logged and "Bearer ***" in logged
    assert token not in logged and token[5:] not in logged


SECRETS = ("KMA_API_KEY", "SLACK_BOT_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


@pytest.mark.parametrize("variable", SECRETS)
def test_every_configured_secret_is_redacted_wherever_it_is_logged(
    variable, monkeypatch, capfd, caplog
):
    value = secrets.token_urlsafe(18)
    monkeypatch.setenv(variable, value)

    @dg.asset
    def leaky(context) -> None:
        context.log.error(f"connecting with {value}")  # a Dagster run-log line
        logging.getLogger("botocore.endpoint").warning("signing with %s", value)  # a library's
        try:
            raise RuntimeError(f"refused credentials {value}")
        except RuntimeError:
            logging.getLogger("seoulcast.test").exception("request failed")  # a traceback

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([leaky], instance=instance)
    assert result.success
    logged = "\n".join([_run_log(instance, result.run_id), *capfd.readouterr(), caplog.text])
    assert "connecting with ***" in logged and "signing with ***" in logged
    assert "refused credentials ***" in logged
    assert value not in logged

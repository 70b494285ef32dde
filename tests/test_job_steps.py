"""The step runner of `seoulcast demo` and `seoulcast bootstrap`: commands launched together,
each logged to its own file, a failure named with its log; the executor config per instance."""

from __future__ import annotations

import io
import sys

import pytest

from seoulcast_assets.job_steps import (
    Launch,
    StepFailed,
    Terminal,
    execution_config,
    history_stages,
    run_logged_together,
)


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_commands_run_together_each_into_its_log(tmp_path):
    sleep_then_print = "import sys, time; time.sleep(2); print(sys.argv[1])"
    launches = [
        Launch("first", "a", [*python(sleep_then_print), "one"], tmp_path / "1.log"),
        Launch("second", "b", [*python(sleep_then_print), "two"], tmp_path / "2.log"),
    ]
    seconds = run_logged_together(Terminal(io.StringIO()), launches, env={})
    assert set(seconds) == {"first", "second"}
    assert max(seconds.values()) < 3.5  # side by side: one after the other is over 4 s
    assert (tmp_path / "1.log").read_text().splitlines()[-1] == "one"
    assert (tmp_path / "2.log").read_text().splitlines()[-1] == "two"


def test_a_failing_command_is_named_with_its_log_after_the_others_end(tmp_path):
    launches = [
        Launch("fails", "a", python("print('what went wrong'); raise SystemExit(3)"),
               tmp_path / "fails.log"),
        Launch("works", "b", python("import time; time.sleep(0.5); print('done')"),
               tmp_path / "works.log"),
    ]  # fmt: skip
    with pytest.raises(StepFailed) as failure:
        run_logged_together(Terminal(io.StringIO()), launches, env={})
    message = str(failure.value)
    assert "step fails failed (exit 3)" in message and str(tmp_path / "fails.log") in message
    assert "what went wrong" in message
    assert (tmp_path / "works.log").read_text().splitlines()[-1] == "done"


def test_runs_execute_in_process_unless_the_celery_executor_is_configured():
    assert execution_config({}) == {"execution": {"config": {"in_process": {}}}}
    assert execution_config({"SEOULCAST_CELERY_BROKER": "amqp://guest@localhost//"}) == {}


def test_history_loads_both_raw_assets_together_then_cleans():
    from datetime import date

    stages = history_stages(date(2000, 1, 1), date(2020, 12, 31))
    assert [[step.asset for step in stage] for stage in stages] == [
        ["raw_asos", "raw_pm10"],
        ["clean_daily"],
    ]
    assert stages[0][1].first == date(2008, 4, 28)  # PM10's first day
    before_pm10 = history_stages(date(1950, 1, 1), date(1950, 12, 31))
    assert [[step.asset for step in stage] for stage in before_pm10] == [
        ["raw_asos"],
        ["clean_daily"],
    ]


def test_why_the_steps_stopped_is_one_line_and_an_exit_code(tmp_path):
    from seoulcast_assets.job_steps import report_stop
    from seoulcast_assets.local_postgres import LocalPostgresError

    def said(error: BaseException) -> tuple[int, str]:
        out = io.StringIO()
        code = report_stop(Terminal(out), error, tmp_path)
        return code, out.getvalue().strip()

    assert said(StepFailed("step raw_asos failed (exit 1)")) == (
        1, "FAILED: step raw_asos failed (exit 1)"
    )  # fmt: skip
    assert said(LocalPostgresError("port in use")) == (1, "FAILED: step postgres: port in use")
    assert said(KeyboardInterrupt()) == (130, f"Stopped; logs in {tmp_path}")

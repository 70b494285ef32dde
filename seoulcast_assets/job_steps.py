"""Running SeoulCast's named Dagster jobs from the command line, as ``seoulcast demo`` and
``seoulcast bootstrap`` do: each step one run (``run_launch.py``) with its output in a log
file, shown on the terminal as one line with what it covered, its counts and seconds.

``local_environment()`` is the environment of the local instance (``$SEOULCAST_HOME``:
Dagster on the embedded PostgreSQL, MLflow, the object store); ``range_steps`` launches
daily assets' jobs over the days of a range not materialized yet, one range run each;
``history_stages`` are the range steps that load history (``raw_asos`` beside ``raw_pm10``,
then ``clean_daily``).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from seoulcast_assets import config, local_postgres
from seoulcast_assets.dagster_settings import apply_range_run_settings
from seoulcast_assets.defs.partitions import PM10_START, TEMPERATURE_START

LOG_TAIL_LINES = 25


def project_root() -> Path:
    root = Path(__file__).resolve().parents[1]
    if not (root / "pyproject.toml").is_file():
        raise SystemExit("seoulcast runs its jobs from a source checkout (no pyproject.toml)")
    return root


def local_environment() -> dict[str, str]:
    """The environment of the local instance's steps: homes under ``$SEOULCAST_HOME`` for
    Dagster (on the embedded PostgreSQL, or ``SEOULCAST_DAGSTER_PG_URL``), MLflow and the
    store."""
    home = config.seoulcast_home()
    dagster_home = home / "dagster_home"
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(local_postgres.INSTANCE_CONFIG, dagster_home / "dagster.yaml")
    env = dict(os.environ)
    env.update(
        SEOULCAST_HOME=str(home),
        DAGSTER_HOME=str(dagster_home),
        SEOULCAST_STORAGE=config.storage_url(),
        MLFLOW_TRACKING_URI=config.mlflow_tracking_uri(),
        DAGSTER_PG_URL=local_postgres.dagster_pg_url(home),
    )
    if sys.prefix != sys.base_prefix:  # the steps run this virtualenv's tools; dg checks it
        env["VIRTUAL_ENV"] = sys.prefix
    apply_range_run_settings(env)
    return env


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


RUN_LAUNCH = [sys.executable, "-m", "seoulcast_assets.run_launch"]
"""Launches a named job's run in its own process, filed under the job in the UI
(``run_launch.py``; ``dg launch`` gives its runs no code-location origin)."""


# -- the terminal ------------------------------------------------------------------------------


class StepFailed(Exception):
    """A step failed: the message names it, its log and the log's last lines."""


STOPPING_ERRORS = (StepFailed, local_postgres.LocalPostgresError, KeyboardInterrupt)
"""What ends a command's steps early: a failed step, the embedded PostgreSQL not starting,
Ctrl-C or SIGTERM (``Services`` turns SIGTERM into KeyboardInterrupt)."""


def report_stop(terminal: Terminal, error: BaseException, logs: Path) -> int:
    """Say on the terminal why the steps stopped (no traceback); the command's exit code."""
    if isinstance(error, KeyboardInterrupt):
        terminal.line(f"\nStopped; logs in {logs}")
        return 130
    if isinstance(error, local_postgres.LocalPostgresError):
        error = f"step postgres: {error}"
    terminal.line(f"\nFAILED: {error}")
    return 1


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "    (no log)"
    return "\n".join(f"    {line}" for line in text[-lines:])


class Terminal:
    """One line per step: name, what it covered, counts and seconds. On a terminal, a step
    that takes more than a moment shows its elapsed seconds while it runs."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty()

    def line(self, text: str) -> None:
        self._clear()
        print(text, file=self.stream, flush=True)

    def progress(self, text: str) -> None:
        if self.live:
            self.stream.write("\r\033[K" + text)
            self.stream.flush()

    def _clear(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")


def step_line(name: str, what: str, count: str, seconds: float | None) -> str:
    took = "" if seconds is None else f"{seconds:6.1f} s"
    return f"  {name:15s} {what:24s} {count:>30s}  {took}".rstrip()


@dataclass
class Launch:
    """One command of a step, its output in ``log``."""

    name: str
    what: str
    command: list[str]
    log: Path


def run_logged(
    terminal: Terminal, name: str, what: str, command: list[str], env: dict, log: Path
) -> float:
    """Run ``command`` with its output in ``log``, showing elapsed seconds; raise StepFailed
    naming the step and the log when it fails. Returns the seconds it took."""
    return run_logged_together(terminal, [Launch(name, what, command, log)], env)[name]


def run_logged_together(terminal: Terminal, launches: list[Launch], env: dict) -> dict[str, float]:
    """Run the commands at the same time (steps that do not depend on each other: on 2 cores
    each is mostly one process's work), each with its output in its log, showing the elapsed
    seconds; when all have ended, raise StepFailed naming the first that failed and its log.
    Returns each one's seconds."""
    started = time.monotonic()
    running: dict[str, subprocess.Popen] = {}
    seconds: dict[str, float] = {}
    outputs = []
    try:
        for launch in launches:
            launch.log.parent.mkdir(parents=True, exist_ok=True)
            out = open(launch.log, "w")  # noqa: SIM115 (closed below, after the process)
            outputs.append(out)
            shown = " ".join([Path(launch.command[0]).name, *launch.command[1:]])
            out.write(f"$ {shown}\n")
            out.flush()
            running[launch.name] = subprocess.Popen(
                launch.command,
                cwd=project_root(),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        names = " + ".join(launch.name for launch in launches)
        what = launches[0].what
        spinner = itertools.cycle("|/-\\")
        while len(seconds) < len(running):
            for name, process in running.items():
                if name not in seconds and process.poll() is not None:
                    seconds[name] = time.monotonic() - started
            elapsed = time.monotonic() - started
            terminal.progress(f"  {names:15s} {what:24s} {next(spinner)} {elapsed:5.0f} s")
            time.sleep(0.5)
    except BaseException:
        for process in running.values():
            if process.poll() is None:
                process.terminate()
                process.wait()
        raise
    finally:
        for out in outputs:
            out.close()
    for launch in launches:
        code = running[launch.name].returncode
        if code != 0:
            raise StepFailed(
                f"step {launch.name} failed (exit {code}); its log is {launch.log}:\n"
                f"{log_tail(launch.log)}"
            )
    return seconds


def execution_config(env: dict[str, str]) -> dict:
    """Run config that executes a launched run's steps in the launching process (Dagster's
    in-process executor): a step process per step costs some 4 s of start-up each, for
    nothing on one host. Empty when the code location's executor is Celery's
    (``SEOULCAST_CELERY_BROKER``), whose workers are the point."""
    if env.get("SEOULCAST_CELERY_BROKER"):
        return {}
    return {"execution": {"config": {"in_process": {}}}}


# -- the Dagster instance ----------------------------------------------------------------------


@contextmanager
def dagster_instance(env: dict[str, str]) -> Iterator[object]:
    """The Dagster instance of ``env``, read from this process (warnings and logs kept
    quiet)."""
    for name in ("DAGSTER_HOME", "DAGSTER_PG_URL", *_range_setting_names()):
        if name in env:
            os.environ[name] = env[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import dagster as dg

        with dg.DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
            yield instance


def _range_setting_names() -> list[str]:
    from seoulcast_assets.dagster_settings import RANGE_RUN_SETTINGS

    return list(RANGE_RUN_SETTINGS)


def days(first: date, last: date) -> list[str]:
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def materialized(instance, asset: str) -> set[str]:
    import dagster as dg

    return set(instance.get_materialized_partitions(dg.AssetKey(asset)))


def latest_run(instance, job: str):
    import dagster as dg

    runs = instance.get_runs(filters=dg.RunsFilter(job_name=job), limit=1)
    return runs[0] if runs else None


def failed_checks(instance, run_id: str) -> list[str]:
    """What the asset checks of ``run_id`` that did not pass mean for the terminal: each
    failed ERROR check in full, the warnings as one line naming them (details in the UI)."""
    from dagster import AssetCheckSeverity, DagsterEventType

    errors, warned = [], []
    for record in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = record.dagster_event.event_specific_data
        if evaluation.passed:
            continue
        if evaluation.severity == AssetCheckSeverity.ERROR:
            errors.append(f"check {evaluation.check_name} failed: {evaluation.description}")
        else:
            warned.append(evaluation.check_name)
    lines = errors
    if warned:
        names = ", ".join(warned[:3]) + (f" +{len(warned) - 3} more" if len(warned) > 3 else "")
        checks = "check" if len(warned) == 1 else "checks"
        lines.append(f"{len(warned)} {checks} warned ({names}); see the asset's Checks tab")
    return lines


@dataclass
class RangeStep:
    """A daily asset collected or cleaned through its named job over ``first..last``."""

    asset: str
    job: str
    first: date
    last: date

    @property
    def what(self) -> str:
        return f"{self.first}..{self.last}"


def range_steps(
    terminal: Terminal, steps: list[RangeStep], env: dict[str, str], logs: Path
) -> dict[str, float]:
    """Launch each step's job over the days of its range not materialized yet (one range run
    from the first missing day to the last), the steps together (they must not depend on each
    other); then report each one's days and those without observations. Returns each launched
    step's seconds."""
    wanted = {step.asset: days(step.first, step.last) for step in steps}
    with dagster_instance(env) as instance:
        missing = {
            step.asset: sorted(set(wanted[step.asset]) - materialized(instance, step.asset))
            for step in steps
        }
    config = json.dumps(execution_config(env))
    launches = [
        Launch(step.asset, step.what,
               [*RUN_LAUNCH, "--job", step.job, "--config-json", config,
                "--partition-range", f"{missing[step.asset][0]}...{missing[step.asset][-1]}"],
               logs / f"{step.asset}.log")
        for step in steps
        if missing[step.asset]
    ]  # fmt: skip
    seconds = run_logged_together(terminal, launches, env) if launches else {}
    for step in steps:
        _report_range(terminal, step, wanted[step.asset], missing[step.asset], seconds, env, logs)
    return seconds


def _report_range(
    terminal: Terminal,
    step: RangeStep,
    wanted: list[str],
    missing: list[str],
    seconds: dict[str, float],
    env: dict[str, str],
    logs: Path,
) -> None:
    with dagster_instance(env) as instance:
        done = materialized(instance, step.asset)
        left = sorted(set(wanted) - done)
        run = latest_run(instance, step.job) if missing else None
        warnings_ = failed_checks(instance, run.run_id) if run is not None else []
        empty = _days_without_observations(instance, step.asset) if missing else None
    if left:
        raise StepFailed(
            f"step {step.asset}: {len(left):,} days still not materialized "
            f"({left[0]}..{left[-1]}); its log is {logs / f'{step.asset}.log'}"
        )
    if missing:
        count = f"{len(missing):,} days"
        if len(missing) < len(wanted):
            count += f" new ({len(wanted):,} in all)"
        if empty:
            count += f", {empty:,} without data"
    else:
        count = f"{len(wanted):,} days already materialized"
    terminal.line(step_line(step.asset, step.what, count, seconds.get(step.asset)))
    for warning in warnings_:
        terminal.line(f"    {warning}")


def _days_without_observations(instance, asset: str) -> int | None:
    """``missing_days`` of the asset's newest materialization (its run's range)."""
    import dagster as dg

    event = instance.get_latest_materialization_event(dg.AssetKey(asset))
    if event is None or event.asset_materialization is None:
        return None
    value = event.asset_materialization.metadata.get("missing_days")
    return getattr(value, "value", value)


def job_step(
    terminal: Terminal,
    name: str,
    job: str,
    what: str,
    env: dict[str, str],
    logs: Path,
    partition: str | None = None,
    config: dict | None = None,
    in_process: bool = True,
) -> float:
    """Launch ``job`` (one partition, or none) and report it. ``in_process=False`` keeps
    Dagster's step processes: training ran 6 s slower in the launching process."""
    run_config = {**(execution_config(env) if in_process else {}), **(config or {})}
    command = [*RUN_LAUNCH, "--job", job, "--config-json", json.dumps(run_config)]
    if partition is not None:
        command += ["--partition", partition]
    log = logs / f"{name}.log"
    seconds = run_logged(terminal, name, what, command, env, log)
    with dagster_instance(env) as instance:
        run = latest_run(instance, job)
        warnings_ = failed_checks(instance, run.run_id) if run is not None else []
    terminal.line(step_line(name, what, f"job {job}", seconds))
    for warning in warnings_:
        terminal.line(f"    {warning}")
    return seconds


def history_stages(first: date, last: date) -> list[list[RangeStep]]:
    """The range steps that load ``first..last``, in stages whose steps run together:
    ``raw_asos`` (from its first partition at the earliest) beside ``raw_pm10`` (from PM10's
    first day, if the range reaches it), then ``clean_daily``, which reads both."""
    first = max(first, date.fromisoformat(TEMPERATURE_START))
    collection = [RangeStep("raw_asos", "collect_temperature", first, last)]
    pm10_first = max(first, date.fromisoformat(PM10_START))
    if pm10_first <= last:
        collection.append(RangeStep("raw_pm10", "collect_pm10", pm10_first, last))
    return [collection, [RangeStep("clean_daily", "clean_observations", first, last)]]

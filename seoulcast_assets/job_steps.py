"""Running SeoulCast's named Dagster jobs from the command line, as ``seoulcast demo`` and
``seoulcast bootstrap`` do: each step one ``dg launch`` with its output in a log file, shown
on the terminal as one line with what it covered, its counts and seconds.

``local_environment()`` is the environment of the local instance (``$SEOULCAST_HOME``:
Dagster on the embedded PostgreSQL, MLflow, the object store); ``range_step`` launches a
daily asset's job over the days of a range not materialized yet, as one range run;
``history_steps`` are the three range steps that load history (``raw_asos``, ``raw_pm10``,
``clean_daily``).
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


# -- the terminal ------------------------------------------------------------------------------


class StepFailed(Exception):
    """A step failed: the message names it, its log and the log's last lines."""


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


def run_logged(
    terminal: Terminal, name: str, what: str, command: list[str], env: dict, log: Path
) -> float:
    """Run ``command`` with its output in ``log``, showing elapsed seconds; raise StepFailed
    naming the step and the log when it fails. Returns the seconds it took."""
    started = time.monotonic()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        out.write("$ " + " ".join([Path(command[0]).name, *command[1:]]) + "\n")
        out.flush()
        process = subprocess.Popen(
            command,
            cwd=project_root(),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        spinner = itertools.cycle("|/-\\")
        try:
            while process.poll() is None:
                elapsed = time.monotonic() - started
                terminal.progress(f"  {name:15s} {what:24s} {next(spinner)} {elapsed:5.0f} s")
                time.sleep(0.5)
        except BaseException:
            process.terminate()
            process.wait()
            raise
    if process.returncode != 0:
        raise StepFailed(
            f"step {name} failed (exit {process.returncode}); its log is {log}:\n{log_tail(log)}"
        )
    return time.monotonic() - started


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
        lines.append(f"{len(warned)} checks warned ({names}); see the asset's Checks tab")
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


def range_step(
    terminal: Terminal, step: RangeStep, env: dict[str, str], logs: Path
) -> tuple[float, Path]:
    """Launch ``step.job`` over the days of the range not materialized yet (one range run from
    the first missing day to the last), then report the days and those without observations."""
    wanted = days(step.first, step.last)
    with dagster_instance(env) as instance:
        missing = sorted(set(wanted) - materialized(instance, step.asset))
    log = logs / f"{step.asset}.log"
    seconds = 0.0
    if missing:
        command = [tool("dg"), "launch", "--job", step.job,
                   "--partition-range", f"{missing[0]}...{missing[-1]}"]  # fmt: skip
        seconds = run_logged(terminal, step.asset, step.what, command, env, log)
    with dagster_instance(env) as instance:
        done = materialized(instance, step.asset)
        left = sorted(set(wanted) - done)
        run = latest_run(instance, step.job) if missing else None
        warnings_ = failed_checks(instance, run.run_id) if run is not None else []
        empty = _days_without_observations(instance, step.asset) if missing else None
    if left:
        raise StepFailed(
            f"step {step.asset}: {len(left):,} days still not materialized "
            f"({left[0]}..{left[-1]}); its log is {log}"
        )
    if missing:
        count = f"{len(missing):,} days"
        if len(missing) < len(wanted):
            count += f" new ({len(wanted):,} in all)"
        if empty:
            count += f", {empty:,} without data"
    else:
        count = f"{len(wanted):,} days already materialized"
    terminal.line(step_line(step.asset, step.what, count, seconds if missing else None))
    for warning in warnings_:
        terminal.line(f"    {warning}")
    return seconds, log


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
) -> float:
    command = [tool("dg"), "launch", "--job", job]
    if partition is not None:
        command += ["--partition", partition]
    if config is not None:
        command += ["--config-json", json.dumps(config)]
    log = logs / f"{name}.log"
    seconds = run_logged(terminal, name, what, command, env, log)
    with dagster_instance(env) as instance:
        run = latest_run(instance, job)
        warnings_ = failed_checks(instance, run.run_id) if run is not None else []
    terminal.line(step_line(name, what, f"job {job}", seconds))
    for warning in warnings_:
        terminal.line(f"    {warning}")
    return seconds


def history_steps(first: date, last: date) -> list[RangeStep]:
    """The range steps that load ``first..last``: ``raw_asos`` (from its first partition at the
    earliest), ``raw_pm10`` (from PM10's first day, if the range reaches it), ``clean_daily``."""
    first = max(first, date.fromisoformat(TEMPERATURE_START))
    steps = [RangeStep("raw_asos", "collect_temperature", first, last)]
    pm10_first = max(first, date.fromisoformat(PM10_START))
    if pm10_first <= last:
        steps.append(RangeStep("raw_pm10", "collect_pm10", pm10_first, last))
    steps.append(RangeStep("clean_daily", "clean_observations", first, last))
    return steps

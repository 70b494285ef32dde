"""``seoulcast demo``: run the whole platform on embedded defaults, then open it.

No key or account is needed: observations come from the built-in KMA emulator (synthetic Seoul
weather), objects go to a local folder, MLflow keeps its state in local files and Dagster in an
embedded PostgreSQL (``local_postgres.py``; ``SEOULCAST_DAGSTER_PG_URL`` names an external one),
all under ``$SEOULCAST_HOME`` (``./.seoulcast``). Every step is a run of a named job
(``dg launch --job``), so the Dagster UI's Runs, Jobs and Overview show them as they would show
scheduled runs:

1. ``collect_temperature`` and ``collect_pm10``: ``raw_asos`` and ``raw_pm10`` from
   ``--history-since`` (default the whole record: 1907-10-01, PM10 from 2008-04-28) to
   yesterday, each as one range run (the assets'
   single-run backfill); days without observations (the Korean War gap) are materialized with
   metadata that says why;
2. ``clean_observations``: ``clean_daily`` over the same days, one range run;
3. ``train_model``: train, register and promote the forecaster on the days since
   ``--train-since`` (default 2010-01-01: a minute on 2 cores, the whole record nine), skipped
   when a champion exists, unless ``--retrain``;
4. ``forecast`` for today: ``daily_forecast``, then ``model_monitoring``. Past days are not
   backfilled: a champion trained on them would forecast them in-sample and flatter its
   verified accuracy, so verification starts with tomorrow's observation;
5. the forecast API and web page on http://127.0.0.1:8000, the MLflow UI on :5000, and the
   Dagster UI on :3000 (``dg dev``), until Ctrl-C or SIGTERM, which stop all three
   (``services.py``).

What is already materialized is skipped, so a second run does only the new days. The terminal
shows one line per step; the output of every step and service goes to ``$SEOULCAST_HOME/logs``.
"""

from __future__ import annotations

import argparse
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
from seoulcast_assets.kst import today_kst
from seoulcast_assets.services import Services

HELP = __doc__.splitlines()[0].split(": ", 1)[1]
HISTORY_SINCE = date.fromisoformat(TEMPERATURE_START)
"""The default first day: the whole record (raw_pm10 starts on its own first day)."""
TRAIN_SINCE = date(2010, 1, 1)
"""The first day the demo's model learns from: 17 years train in about a minute on 2 cores, the
whole record in about nine (production's retrain reads the whole record)."""
LOG_TAIL_LINES = 25
READY_TIMEOUT = 180.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--history-since",
        type=date.fromisoformat,
        default=HISTORY_SINCE,
        help=f"first day collected and cleaned (default {HISTORY_SINCE}, the whole record; "
        f"PM10 starts {PM10_START} at the earliest)",
    )
    parser.add_argument(
        "--train-since",
        type=date.fromisoformat,
        default=TRAIN_SINCE,
        help=f"first day the model learns from (default {TRAIN_SINCE}; "
        f"{TEMPERATURE_START} trains on the whole record, several minutes longer)",
    )
    parser.add_argument("--retrain", action="store_true", help="train even if a champion exists")
    parser.add_argument("--no-ui", action="store_true", help="run the pipeline, then exit")
    parser.add_argument("--host", default="127.0.0.1", help="host the UIs and the API bind to")
    parser.add_argument("--port", type=int, default=3000, help="Dagster UI port")
    parser.add_argument("--api-port", type=int, default=8000, help="forecast API and page port")
    parser.add_argument("--mlflow-port", type=int, default=5000, help="MLflow UI port")


def project_root() -> Path:
    root = Path(__file__).resolve().parents[1]
    if not (root / "pyproject.toml").is_file():
        raise SystemExit("seoulcast demo runs from a source checkout (pyproject.toml not found)")
    return root


def demo_environment() -> dict[str, str]:
    """The environment every step runs in: local homes for Dagster, MLflow and the store."""
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


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


# -- the terminal ------------------------------------------------------------------------------


class StepFailed(Exception):
    """A step failed: the message names it, its log and the log's last lines."""


def _log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
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
            f"step {name} failed (exit {process.returncode}); its log is {log}:\n{_log_tail(log)}"
        )
    return time.monotonic() - started


# -- the Dagster instance ----------------------------------------------------------------------


@contextmanager
def dagster_instance(env: dict[str, str]) -> Iterator[object]:
    """The demo's Dagster instance, read from this process (warnings and logs kept quiet)."""
    for name in ("DAGSTER_HOME", "DAGSTER_PG_URL", *_range_setting_names()):
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
        command = [_tool("dg"), "launch", "--job", step.job,
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
    command = [_tool("dg"), "launch", "--job", job]
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


def has_champion(env: dict[str, str]) -> bool:
    from seoulcast_assets.storage import open_store

    store = open_store(env["SEOULCAST_STORAGE"], endpoint_url=config.aws_endpoint_url())
    return store.exists("model/champion.json")


# -- the demo ----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    env = demo_environment()
    home = Path(env["SEOULCAST_HOME"])
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    terminal = Terminal()
    with Services(project_root(), env) as services:
        try:
            t0 = time.monotonic()
            local_postgres.start_for_dagster(services, home)
            terminal.line(
                f"SeoulCast demo, {today_kst()} (KST); observations from {config.kma_base_url()}\n"
                f"  home {home}  (logs in {logs})"
            )
            if services.processes:
                terminal.line(
                    step_line("postgres", "Dagster instance", "embedded PostgreSQL",
                              time.monotonic() - t0)
                )  # fmt: skip
            pipeline(terminal, args, env, logs)
            if args.no_ui:
                terminal.line(f"Done in {time.monotonic() - started:.0f} s; logs in {logs}")
                return 0
            return serve(args, env, services=services, started=started, terminal=terminal)
        except StepFailed as failure:
            terminal.line(f"\nFAILED: {failure}")
            return 1
        except local_postgres.LocalPostgresError as error:
            terminal.line(f"\nFAILED: step postgres: {error}")
            return 1
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM during a step: stop it, no traceback
            terminal.line(f"\nStopped; logs in {logs}")
            return 130


def pipeline(terminal: Terminal, args: argparse.Namespace, env: dict[str, str], logs: Path):
    today = today_kst()
    yesterday = today - timedelta(days=1)
    first = max(args.history_since, date.fromisoformat(TEMPERATURE_START))
    steps = [RangeStep("raw_asos", "collect_temperature", first, yesterday)]
    pm10_first = max(first, date.fromisoformat(PM10_START))
    if pm10_first <= yesterday:
        steps.append(RangeStep("raw_pm10", "collect_pm10", pm10_first, yesterday))
    steps.append(RangeStep("clean_daily", "clean_observations", first, yesterday))
    for step in steps:
        range_step(terminal, step, env, logs)

    with dagster_instance(env) as instance:
        trained = bool(materialized_unpartitioned(instance, "lstm_model"))
        issued = today.isoformat() in materialized(instance, "daily_forecast")
    if args.retrain or not (trained and has_champion(env)):
        training = {"history_since": max(args.train_since, first).isoformat()}
        job_step(terminal, "lstm_model", "train_model", f"on days since {training['history_since']}",
                 env, logs, config={"ops": {"lstm_model": {"config": training}}})  # fmt: skip
        issued = False  # a new champion forecasts today again
    else:
        terminal.line(step_line("lstm_model", "champion", "already trained", None))
    if issued:
        terminal.line(step_line("daily_forecast", str(today), "already issued", None))
    else:
        job_step(terminal, "daily_forecast", "forecast", f"{today} + monitoring", env, logs,
                 partition=today.isoformat())  # fmt: skip


def materialized_unpartitioned(instance, asset: str) -> bool:
    import dagster as dg

    return instance.get_latest_materialization_event(dg.AssetKey(asset)) is not None


def serve(
    args: argparse.Namespace,
    env: dict[str, str],
    services: Services | None = None,
    started: float | None = None,
    terminal: Terminal | None = None,
) -> int:
    """The API and page, the MLflow UI, and the Dagster UI, until the Dagster UI exits or the
    demo gets Ctrl-C or SIGTERM; then all three stop, with every process they started. Prints
    "Ready" with the three addresses once all three answer HTTP."""
    if services is None:
        with Services(project_root(), env) as own:
            return serve(args, env, own, started, terminal)
    started = time.monotonic() if started is None else started
    terminal = terminal or Terminal()
    home = Path(env["SEOULCAST_HOME"])
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    local_postgres.start_for_dagster(services, home)  # unless running
    host = args.host
    urls = {
        "api": f"http://{host}:{args.api_port}",
        "mlflow": f"http://{host}:{args.mlflow_port}",
        "dagster": f"http://{host}:{args.port}",
    }
    t0 = time.monotonic()
    processes = {
        "api": _start_logged(
            services, logs / "api.log", env,
            [sys.executable, "-m", "seoulcast_api", "serve", "--host", host,
             "--port", str(args.api_port)],
        ),
        "mlflow": _start_logged(
            services, logs / "mlflow.log",
            # one web worker and no job runner (eight idle consumer processes otherwise)
            {**env, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"},
            [_tool("mlflow"), "ui", "--backend-store-uri", env["MLFLOW_TRACKING_URI"],
             "--host", host, "--port", str(args.mlflow_port), "--workers", "1"],
        ),
        "dagster": _start_logged(
            services, logs / "dagster.log", env,
            [_tool("dg"), "dev", "--host", host, "--port", str(args.port)],
        ),
    }  # fmt: skip
    try:
        wait_until_answering(terminal, urls, processes, logs)
        terminal.line(step_line("services", "UIs and API", "3 answering", time.monotonic() - t0))
        terminal.line(
            f"\nForecast page  {urls['api']}   (API, OpenAPI at /schema)\n"
            f"MLflow UI      {urls['mlflow']}\n"
            f"Dagster UI     {urls['dagster']}\n"
            f"Logs           {logs}   (Ctrl-C stops all three)\n"
            f"Ready in {time.monotonic() - started:.0f}s"
        )
        return processes["dagster"].wait()
    except StepFailed as failure:
        terminal.line(f"\nFAILED: {failure}")
        return 1
    except KeyboardInterrupt:
        terminal.line("\nStopping the Dagster UI, MLflow UI and API ...")
        return 0


def _start_logged(services: Services, log: Path, env: dict, command: list[str]):
    with open(log, "w") as out:
        return services.start(
            command, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )


def wait_until_answering(terminal: Terminal, urls: dict, processes: dict, logs: Path) -> None:
    import httpx

    pending = dict(urls)
    deadline = time.monotonic() + READY_TIMEOUT
    started = time.monotonic()
    while pending:
        for name, url in list(pending.items()):
            if processes[name].poll() is not None:
                log = logs / f"{name}.log"
                raise StepFailed(
                    f"step services: {name} exited ({processes[name].returncode}) before "
                    f"{url} answered; its log is {log}:\n{_log_tail(log)}"
                )
            try:
                httpx.get(url + "/", timeout=2)
            except httpx.TransportError:
                continue
            del pending[name]
        if not pending:
            return
        if time.monotonic() > deadline:
            names = ", ".join(pending)
            raise StepFailed(
                f"step services: {names} did not answer in {READY_TIMEOUT:.0f} s; logs in {logs}"
            )
        terminal.progress(
            f"  {'services':15s} {'UIs and API':24s} waiting for {', '.join(pending)} "
            f"{time.monotonic() - started:5.0f} s"
        )
        time.sleep(0.5)

"""``seoulcast demo``: run the whole platform on embedded defaults, then open it.

No key or account is needed: observations come from the built-in KMA emulator (synthetic Seoul
weather), objects go to a local folder, MLflow keeps its state in local files and Dagster in an
embedded PostgreSQL (``local_postgres.py``; ``SEOULCAST_DAGSTER_PG_URL`` names an external one),
all under ``$SEOULCAST_HOME`` (``./.seoulcast``). Every step is a run of a named job, created
under the code location's origin (``run_launch.py``), so the Dagster UI's Runs, Jobs and
Overview show them as they would show scheduled runs:

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
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from seoulcast_assets import config, local_postgres
from seoulcast_assets.defs.partitions import PM10_START, TEMPERATURE_START
from seoulcast_assets.job_steps import (
    STOPPING_ERRORS,
    StepFailed,
    Terminal,
    dagster_instance,
    history_stages,
    job_step,
    local_environment,
    log_tail,
    materialized,
    project_root,
    range_steps,
    report_stop,
    step_line,
    tool,
)
from seoulcast_assets.kst import today_kst
from seoulcast_assets.services import Services

HELP = __doc__.splitlines()[0].split(": ", 1)[1]
HISTORY_SINCE = date.fromisoformat(TEMPERATURE_START)
"""The default first day: the whole record (raw_pm10 starts on its own first day)."""
TRAIN_SINCE = date(2010, 1, 1)
"""The first day the demo's model learns from: 17 years train in about a minute on 2 cores, the
whole record in about nine (production's retrain reads the whole record)."""
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
        f"{TEMPERATURE_START} trains on the whole record, about 95 s longer)",
    )
    parser.add_argument("--retrain", action="store_true", help="train even if a champion exists")
    parser.add_argument("--no-ui", action="store_true", help="run the pipeline, then exit")
    parser.add_argument("--host", default="127.0.0.1", help="host the UIs and the API bind to")
    parser.add_argument("--port", type=int, default=3000, help="Dagster UI port")
    parser.add_argument("--api-port", type=int, default=8000, help="forecast API and page port")
    parser.add_argument("--mlflow-port", type=int, default=5000, help="MLflow UI port")


def has_champion(env: dict[str, str]) -> bool:
    from seoulcast_assets.storage import open_store

    store = open_store(env["SEOULCAST_STORAGE"], endpoint_url=config.aws_endpoint_url())
    return store.exists("model/champion.json")


# -- the demo ----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    env = local_environment()
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
        except STOPPING_ERRORS as error:
            return report_stop(terminal, error, logs)


def pipeline(terminal: Terminal, args: argparse.Namespace, env: dict[str, str], logs: Path):
    today = today_kst()
    yesterday = today - timedelta(days=1)
    first = max(args.history_since, date.fromisoformat(TEMPERATURE_START))
    for stage in history_stages(first, yesterday):
        range_steps(terminal, stage, env, logs)

    with dagster_instance(env) as instance:
        trained = bool(materialized_unpartitioned(instance, "lstm_model"))
        issued = today.isoformat() in materialized(instance, "daily_forecast")
    if args.retrain or not (trained and has_champion(env)):
        since = max(args.train_since, first).isoformat()
        job_step(terminal, "lstm_model", "train_model", f"on days since {since}", env, logs,
                 config={"ops": {"lstm_model": {"config": {"history_since": since}}}},
                 in_process=False)  # fmt: skip
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
            [tool("mlflow"), "ui", "--backend-store-uri", env["MLFLOW_TRACKING_URI"],
             "--host", host, "--port", str(args.mlflow_port), "--workers", "1"],
        ),
        "dagster": _start_logged(
            services, logs / "dagster.log", env,
            [tool("dg"), "dev", "--host", host, "--port", str(args.port)],
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
                    f"{url} answered; its log is {log}:\n{log_tail(log)}"
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

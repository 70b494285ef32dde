"""Where the steps of Dagster runs execute, chosen by the environment.

Unset (one host, ``seoulcast demo``, ``dg dev``): Dagster's default executor, each step in a
subprocess of its run. With ``SEOULCAST_CELERY_BROKER`` set (``docker-compose.yml`` sets it),
every run hands its steps to Celery workers through that broker (``dagster-celery``), so runs
and their steps spread over as many worker processes and hosts as listen to it::

    SEOULCAST_CELERY_BROKER=pyamqp://seoulcast:secret@rabbitmq:5672//   # or redis://redis:6379/0
    celery --app seoulcast_assets.celery_worker worker --queues dagster --concurrency 1

``SEOULCAST_CELERY_BACKEND`` is where step results go back to the run: by default the broker
itself (``rpc://`` over RabbitMQ, the same database over Redis). The executor's config names the
variables, never their values, so a password in a broker URL stays out of run configs and the
UI.

A worker that dies in the middle of a step (killed, out of memory, its host lost) does not lose
it: a task is acknowledged only once it has finished (``task_acks_late``) and given back when
its worker process is lost (``task_reject_on_worker_lost``), so the broker hands it to another
worker, which runs the step again from its start. The assets write each object atomically and
a re-run rewrites identical objects, so the store never holds a half-written step. RabbitMQ gives
a lost worker's task back as soon as its connection drops; Redis only after the transport's
``visibility_timeout`` (``SEOULCAST_CELERY_VISIBILITY_TIMEOUT``, default 3600 s), which must be
longer than the longest step.
"""

from __future__ import annotations

import os
from typing import Any

import dagster as dg

BROKER_VARIABLE = "SEOULCAST_CELERY_BROKER"
BACKEND_VARIABLE = "SEOULCAST_CELERY_BACKEND"
VISIBILITY_TIMEOUT_VARIABLE = "SEOULCAST_CELERY_VISIBILITY_TIMEOUT"
QUEUE = "dagster"
"""dagster-celery's queue, which its app declares (and the workers listen to)."""


def celery_configured() -> bool:
    return bool(os.environ.get(BROKER_VARIABLE))


def celery_settings() -> dict[str, Any]:
    """Celery settings of both sides, the runs that send steps and the workers."""
    settings: dict[str, Any] = {
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,  # a busy worker takes no second step
        "broker_connection_retry_on_startup": True,
    }
    if os.environ.get(BROKER_VARIABLE, "").startswith(("redis://", "rediss://")):
        timeout = int(os.environ.get(VISIBILITY_TIMEOUT_VARIABLE) or 3600)
        settings["broker_transport_options"] = {"visibility_timeout": timeout}
    return settings


def _backend_source() -> str | dict[str, str]:
    if os.environ.get(BACKEND_VARIABLE):
        return {"env": BACKEND_VARIABLE}
    if os.environ.get(BROKER_VARIABLE, "").startswith(("redis://", "rediss://")):
        return {"env": BROKER_VARIABLE}
    return "rpc://"


def executor_from_environment() -> dg.ExecutorDefinition | None:
    """dagster-celery's executor on ``SEOULCAST_CELERY_BROKER``, or None (Dagster's default)
    when it is unset."""
    if not celery_configured():
        return None
    from dagster_celery import celery_executor

    return celery_executor.configured(
        {
            "broker": {"env": BROKER_VARIABLE},
            "backend": _backend_source(),
            "config_source": celery_settings(),
        },
        name="celery",
    )


def worker_app_args() -> dict[str, Any]:
    """Arguments of the workers' Celery app: the same broker, backend and settings as the
    executor's, read from the same environment."""
    from dagster_celery.config import DEFAULT_CONFIG, dict_wrapper

    if not celery_configured():
        raise RuntimeError(f"a SeoulCast Celery worker needs {BROKER_VARIABLE}")
    backend = _backend_source()
    return {
        "broker": os.environ[BROKER_VARIABLE],
        "backend": os.environ[backend["env"]] if isinstance(backend, dict) else backend,
        "include": [],
        "config_source": dict_wrapper({**DEFAULT_CONFIG, **celery_settings()}),
    }

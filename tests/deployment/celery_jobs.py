"""A job for the Celery tests whose steps can only finish side by side: four independent steps
of a few seconds each. The workers import it from the checkout (``tests.deployment``)."""

import os
import socket
import time

import dagster as dg

from seoulcast_assets.execution import executor_from_environment


@dg.op(out=dg.Out(dg.Nothing))
def wait_a_little(context: dg.OpExecutionContext) -> None:
    time.sleep(3)
    context.log.info(f"ran in process {os.getpid()} on {socket.gethostname()}")


@dg.job(executor_def=executor_from_environment())
def four_steps() -> None:
    for index in range(4):
        wait_a_little.alias(f"step_{index}")()

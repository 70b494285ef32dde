"""Execute one of the code location's named jobs in this process, as a run of that job.

``dg launch`` executes a job in process too, but its runs carry no code-location origin, so
the Dagster UI files them under no job: the Jobs page shows no runs for the job and the
Overview timeline leaves them out. Here the run is created with the origin of the code
location ``seoulcast_assets`` (the name ``dg dev`` and ``workspace.yaml`` give it), so the
UI lists it under its job like a run launched from the UI, and its steps still run here,
without a run worker or step processes to start.

    python -m seoulcast_assets.run_launch --job collect_temperature \\
        --partition-range 1907-10-01...2026-12-01 --config-json '{...}'

Exit code 0 when the run succeeded, 1 when it failed, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

CODE_LOCATION = "seoulcast_assets"
DEFINITIONS_MODULE = "seoulcast_assets.definitions"
DEFINITIONS_ATTRIBUTE = "defs"
REPOSITORY = "__repository__"  # the name Dagster gives the repository of a Definitions


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]


def job_origins(job: str):
    """The reconstructable job (what executes here) and the origin the UI knows it by."""
    from dagster._core.definitions.reconstruct import ReconstructableRepository
    from dagster._core.remote_origin import (
        ManagedGrpcPythonEnvCodeLocationOrigin,
        RemoteJobOrigin,
        RemoteRepositoryOrigin,
    )
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

    root = str(project_root())
    repository = ReconstructableRepository.for_module(
        DEFINITIONS_MODULE, DEFINITIONS_ATTRIBUTE, working_directory=root
    )
    location = ManagedGrpcPythonEnvCodeLocationOrigin(
        LoadableTargetOrigin(
            executable_path=sys.executable, module_name=DEFINITIONS_MODULE, working_directory=root
        ),
        location_name=CODE_LOCATION,
    )
    remote = RemoteJobOrigin(RemoteRepositoryOrigin(location, REPOSITORY), job)
    return repository.get_reconstructable_job(job), remote


def partition_tags(
    job_def, instance, partition: str | None, partition_range: str | None
) -> dict[str, str]:
    """The tags of a one-partition run, or of a single run over ``first...last``."""
    from dagster._core.definitions.partitions.context import partition_loading_context
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    with partition_loading_context(dynamic_partitions_store=instance) as context:
        if partition is not None:
            job_def.validate_partition_key(partition, selected_asset_keys=None, context=context)
            return dict(job_def.get_tags_for_partition_key(partition, selected_asset_keys=None))
        if partition_range is not None:
            first, separator, last = partition_range.partition("...")
            if not separator or not first or not last:
                raise ValueError(f"--partition-range is FIRST...LAST, not {partition_range[:40]!r}")
            for key in (first, last):
                job_def.validate_partition_key(key, selected_asset_keys=None, context=context)
            return {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}
    return {}


def launch(job: str, run_config: dict, partition=None, partition_range=None, instance=None):
    """Create the run under the job's code-location origin and execute it here; the result."""
    import dagster as dg
    from dagster._core.execution.api import execute_run

    recon_job, remote_origin = job_origins(job)
    job_def = recon_job.get_definition()
    owned = instance is None
    instance = instance or dg.DagsterInstance.get()
    try:
        tags = partition_tags(job_def, instance, partition, partition_range)
        run = instance.create_run_for_job(
            job_def=job_def,
            run_config=run_config,
            tags=tags,
            remote_job_origin=remote_origin,
            job_code_origin=recon_job.get_python_origin(),
        )
        return execute_run(recon_job, run, instance)
    finally:
        if owned:
            instance.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seoulcast_assets.run_launch")
    parser.add_argument("--job", required=True, help="a job of the code location")
    parser.add_argument("--config-json", default="{}", help="the run config, as JSON")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--partition", help="one partition key")
    which.add_argument("--partition-range", help="FIRST...LAST, in one run")
    args = parser.parse_args(argv)
    try:
        run_config = json.loads(args.config_json)
    except json.JSONDecodeError as error:
        parser.error(f"--config-json is not JSON: {error}")
    from dagster._core.errors import DagsterError
    from dagster._utils.interrupts import capture_interrupts

    # SIGTERM (a service manager, the demo stopping its steps) ends the run as Ctrl-C does:
    # Dagster marks it failed and stops its step, instead of leaving it started forever
    signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))
    try:
        with capture_interrupts():
            result = launch(args.job, run_config, args.partition, args.partition_range)
    except (ValueError, DagsterError) as error:  # unknown job or partition, malformed range
        parser.error(str(error))
    print(f"run {result.run_id} of job {args.job}: {'success' if result.success else 'FAILURE'}")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())

from pathlib import Path

import dagster as dg

from seoulcast_assets.execution import executor_from_environment


@dg.definitions
def defs() -> dg.Definitions:
    folder = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    executor = executor_from_environment()  # Celery when SEOULCAST_CELERY_BROKER is set
    if executor is None:
        return folder
    return dg.Definitions.merge(folder, dg.Definitions(executor=executor))

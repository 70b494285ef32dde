"""The Celery app SeoulCast's workers run: dagster-celery's step task, on the broker, backend and
settings of :mod:`seoulcast_assets.execution` (the same ones the runs send their steps with)::

    celery --app seoulcast_assets.celery_worker worker --queues dagster --concurrency 1 \\
        --hostname seoulcast-worker-%n@%h

``dagster_celery.app`` is the same app on dagster-celery's defaults (a broker on localhost);
this one reads ``SEOULCAST_CELERY_BROKER`` instead of a config file with the broker's password
in it. A worker needs what every Dagster process of the deployment has: the project installed
(the same image), ``DAGSTER_HOME`` with the instance (``deploy/dagster.yaml``) and its
``DAGSTER_PG_URL``, and the pipeline's own variables (object store, MLflow, KMA).
"""

from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from seoulcast_assets.execution import worker_app_args

app = make_app(worker_app_args())

execute_plan = create_task(app)

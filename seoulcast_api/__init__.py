"""SeoulCast's forecast API: forecasts, observations and verification from the object store.

Build the app with :func:`seoulcast_api.app.create_app`; run it with ``python -m seoulcast_api``.
Imports nothing from Dagster: it only reads what the pipeline wrote (docs/object-store.md).
"""

-- Dagster and MLflow each keep Alembic's `alembic_version` table: give them separate databases.
CREATE DATABASE dagster;
CREATE DATABASE mlflow;

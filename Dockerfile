# One image for every SeoulCast service: Dagster (webserver, daemon, runs), MLflow, the API.
FROM node:20-slim AS page
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DAGSTER_HOME=/opt/dagster/home
WORKDIR /opt/seoulcast
# CPU torch first: a bare requirement would pull a multi-GB CUDA build.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY seoulcast_assets/ seoulcast_assets/
COPY seoulcast_api/ seoulcast_api/
# `--build-arg EXTRAS=[k8s]` for Kubernetes (deploy/helm/values.yaml): the run pods need dagster-k8s
ARG EXTRAS=""
RUN pip install ".${EXTRAS}"
COPY --from=page /src/frontend/dist/ frontend/dist/
COPY workspace.yaml ./
COPY deploy/dagster.yaml ./deploy/dagster.yaml
RUN mkdir -p "$DAGSTER_HOME" && cp deploy/dagster.yaml "$DAGSTER_HOME/dagster.yaml"
ENV SEOULCAST_FRONTEND_DIST=/opt/seoulcast/frontend/dist

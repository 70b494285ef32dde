"""docker-compose.yml and deploy/compose.remote.yml, read (there is no Docker engine here):
what is published where, healthchecks, pinned images, restarts, volumes, documented variables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
REMOTE = ROOT / "deploy" / "compose.remote.yml"

PUBLIC = {("api", 8000), ("proxy", 80), ("proxy", 443)}
"""What may be published on every interface: the forecast page and API, and the
authenticating proxy of deploy/compose.remote.yml."""
ONE_OFF = {"buckets"}
STATEFUL = {
    "postgres": "/var/lib/postgresql/data",
    "seaweedfs": "/data",
    "rabbitmq": "/var/lib/rabbitmq",
    "dagster-webserver": "/opt/dagster/home/storage",
    "worker": "/opt/dagster/home/storage",
}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


@pytest.fixture(scope="module", params=["docker-compose.yml", "with deploy/compose.remote.yml"])
def services(request) -> dict[str, dict]:
    merged = {name: dict(value) for name, value in load(COMPOSE)["services"].items()}
    if request.param != "docker-compose.yml":
        for name, overlay in load(REMOTE)["services"].items():
            merged.setdefault(name, {}).update(
                {k: v for k, v in overlay.items() if k != "environment"}
            )
    return merged


def published(port) -> tuple[str, int, int]:
    """(host address, host port, container port) of a compose ``ports`` entry, short or long
    syntax; an address left out means every interface."""
    if isinstance(port, dict):
        return port.get("host_ip", "0.0.0.0"), int(port["published"]), int(port["target"])
    parts = str(port).split(":")
    if len(parts) == 1:
        return "0.0.0.0", int(parts[0]), int(parts[0])
    if len(parts) == 2:
        return "0.0.0.0", int(parts[0]), int(parts[1])
    return ":".join(parts[:-2]).strip("[]"), int(parts[-2]), int(parts[-1])


def test_reading_a_published_port():
    assert published("8000:8000") == ("0.0.0.0", 8000, 8000)
    assert published("127.0.0.1:3000:3000") == ("127.0.0.1", 3000, 3000)
    assert published({"target": 5000, "published": 5000}) == ("0.0.0.0", 5000, 5000)


def test_operator_uis_are_not_published_on_all_interfaces(services):
    """The Dagster UI can launch runs (run code); MLflow, S3, the broker, the database hold the
    deployment: on the host they listen on the loopback only. Only the page and API, and the
    proxy that asks for a login, face the network."""
    offenders = []
    for name, service in services.items():
        assert service.get("network_mode") != "host", f"{name} shares the host's network"
        for port in service.get("ports") or []:
            address, _, target = published(port)
            if (name, target) in PUBLIC:
                continue
            if address not in ("127.0.0.1", "::1", "localhost"):
                offenders.append(f"{name}: {port}")
    assert offenders == []
    ports = {name: [published(p) for p in s.get("ports") or []] for name, s in services.items()}
    assert ("127.0.0.1", 3000, 3000) in ports["dagster-webserver"]
    assert ("127.0.0.1", 5000, 5000) in ports["mlflow"]
    for infrastructure in ("postgres", "seaweedfs", "rabbitmq", "code-server", "worker"):
        assert ports[infrastructure] == []


def test_every_long_running_service_has_a_healthcheck_a_restart_policy_and_a_pinned_image(
    services,
):
    for name, service in services.items():
        image = service.get("image", "")
        assert re.fullmatch(r"[\w./-]+:[\w.-]+", image), f"{name}: image {image!r} not pinned"
        assert not image.endswith(":latest"), f"{name}: {image}"
        if name in ONE_OFF:
            assert service.get("restart") == "no"
            continue
        assert service.get("restart") == "unless-stopped", name
        test = (service.get("healthcheck") or {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), f"{name} has no healthcheck"


def test_state_lives_on_volumes(services):
    volumes = set(load(COMPOSE)["volumes"])
    for name, target in STATEFUL.items():
        mounts = [str(m) for m in services[name].get("volumes") or []]
        assert any(m.split(":")[1] == target and m.split(":")[0] in volumes for m in mounts), (
            f"{name} keeps {target} on no named volume: {mounts}"
        )


def test_workers_scale(services):
    """``docker compose up --scale worker=N``: nothing that two copies cannot share."""
    worker = services["worker"]
    assert "container_name" not in worker and not worker.get("ports")
    assert "%h" in worker["command"]  # each copy names itself after its container
    assert "--concurrency 1" in " ".join(worker["command"].split())


def test_env_example_documents_every_variable_compose_reads():
    read = set()
    for path in (COMPOSE, REMOTE):
        text = path.read_text().replace("$$", "")
        read |= set(re.findall(r"\$\{(\w+)", text))
    example = (ROOT / "deploy" / "env.example").read_text()
    documented = set(re.findall(r"^(\w+)=", example, re.M))
    assert read - documented == set()
    assert documented - read == set()
    secrets = (
        "POSTGRES_PASSWORD",
        "S3_ACCESS_KEY",
        "S3_SECRET_KEY",
        "RABBITMQ_PASSWORD",
        "MLFLOW_ADMIN_PASSWORD",
        "MLFLOW_FLASK_SERVER_SECRET_KEY",
        "KMA_API_KEY",
    )
    for secret in secrets:
        assert re.search(rf"^{secret}=$", example, re.M), f"{secret} has a value in env.example"


def test_secrets_reach_containers_only_from_the_environment():
    for path in (COMPOSE, REMOTE):
        for line in path.read_text().splitlines():
            match = re.match(r"\s*(\w*(PASSWORD|SECRET|TOKEN)\w*):\s*(\S+)", line)
            if match:
                assert match.group(3).startswith("${"), f"{path.name}: {line.strip()}"


def test_the_remote_overlay_puts_both_operator_uis_behind_a_login():
    remote = load(REMOTE)["services"]
    assert "--app-name basic-auth" in remote["mlflow"]["command"]
    for client in ("code-server", "dagster-webserver", "dagster-daemon", "worker"):
        assert "MLFLOW_TRACKING_PASSWORD" in remote[client]["environment"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    dagster_site = caddyfile[caddyfile.index("{$DAGSTER_SITE}") : caddyfile.index("{$MLFLOW_SITE}")]
    assert "basic_auth" in dagster_site and "reverse_proxy" in dagster_site
    mounted = {m.split(":")[0] for m in remote["proxy"]["volumes"]}
    assert "./deploy/Caddyfile" in mounted

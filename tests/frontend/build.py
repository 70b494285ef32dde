"""Building the page for the browser tests: ``npm ci`` when needed, ``npm run build`` when stale."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
DIST = FRONTEND / "dist"
SOURCES = ("src", "public", "index.html", "package-lock.json", "vite.config.ts", "tsconfig.json")


def npm_run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed, so the page cannot be built or tested")
    command = [npm, *args] if args[0] == "ci" else [npm, "run", *args]
    return subprocess.run(
        command, cwd=FRONTEND, capture_output=True, text=True, timeout=timeout, check=False
    )


def _newest_source_change() -> float:
    times = []
    for name in SOURCES:
        path = FRONTEND / name
        files = path.rglob("*") if path.is_dir() else [path]
        times.extend(file.stat().st_mtime for file in files if file.is_file())
    return max(times)


def build_frontend() -> Path:
    """``frontend/dist``, built first if it is missing or older than the sources."""
    index = DIST / "index.html"
    if index.is_file() and index.stat().st_mtime >= _newest_source_change():
        return DIST
    if not (FRONTEND / "node_modules").is_dir():
        installed = npm_run("ci")
        assert installed.returncode == 0, installed.stdout + installed.stderr
    built = npm_run("build")
    assert built.returncode == 0, built.stdout + built.stderr
    return DIST

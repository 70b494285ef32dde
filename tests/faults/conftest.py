"""Fixtures that break things for real: a full disk (a tiny tmpfs)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def tiny_filesystem(tmp_path: Path) -> Path:
    """A 256 KiB tmpfs mounted for the test: writes beyond that fail with ENOSPC.

    Mounting needs root (or CAP_SYS_ADMIN); where the machine does not allow it, the test is
    skipped rather than faked."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)

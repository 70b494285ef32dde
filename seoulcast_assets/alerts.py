"""The words of SeoulCast's alerts and notices (no Dagster, no Slack: just text)."""

from __future__ import annotations

from seoulcast_assets.secrets import redact

MAX_ERROR_CHARS = 600


def shorten(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run_failure_text(
    job: str,
    assets: list[str],
    partitions: str | None,
    errors: list[str],
    run_url: str | None = None,
) -> str:
    """One Slack message for a failed run: what failed, for which days, and why."""
    lines = [f":x: *SeoulCast run failed* — job `{job}`"]
    if assets:
        lines.append(f"assets: {', '.join(f'`{asset}`' for asset in assets)}")
    lines.append(f"partition: {partitions or 'none (unpartitioned)'}")
    for error in errors or ["no step error was recorded (see the run's logs)"]:
        lines.append(f"error: {shorten(redact(error))}")
    if run_url:
        lines.append(run_url)
    return "\n".join(lines)

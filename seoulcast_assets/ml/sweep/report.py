"""The sweep's ranked table: one row per configuration, best score first, as CSV, markdown and
a plot on the parent MLflow run."""

from __future__ import annotations

import pandas as pd

from seoulcast_assets.ml.inputs.variables import TARGETS

RANK_HORIZONS: tuple[int, ...] = (1, 3, 7)
"""The horizons whose MAE the printed table shows (every horizon is in the CSV and MLflow)."""


def ranked_table(rows: list[dict]) -> pd.DataFrame:
    """Completed configurations by score, then pruned and failed ones (which were not scored on
    every fold, so their scores are not comparable)."""
    table = pd.DataFrame(rows)
    order = {"complete": 0, "reference": 0, "pruned": 1, "failed": 2}
    table = table.assign(_order=table["state"].map(order).fillna(3))
    table = table.sort_values(["_order", "score"], na_position="last").drop(columns="_order")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)


def display_columns() -> list[str]:
    return [
        "rank",
        "family",
        "config",
        "state",
        "score",
        *(f"mae/{t}/d{h}" for t in TARGETS for h in RANK_HORIZONS),
        "coverage80/mean",
        "seconds",
    ]


def printable(table: pd.DataFrame, width: int = 44) -> str:
    """The table as a terminal reads it: the ranking columns, configs cut to ``width``."""
    shown = table.reindex(columns=display_columns()).copy()
    shown["config"] = shown["config"].str.slice(0, width)
    shown.columns = [_short_heading(c) for c in shown.columns]
    return shown.to_string(index=False, na_rep="", float_format=lambda v: f"{v:.3f}")


def markdown(table: pd.DataFrame) -> str:
    shown = table.reindex(columns=display_columns())
    headings = [_short_heading(c) for c in shown.columns]
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    for row in shown.itertuples(index=False):
        cells = [f"{v:.3f}" if isinstance(v, float) else ("" if v is None else str(v))
                 for v in row]  # fmt: skip
        lines.append("| " + " | ".join(c.replace("nan", "") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def figure(table: pd.DataFrame):
    """Horizontal bars of the score of every scored configuration, coloured by family."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scored = table[table["score"].notna()].iloc[::-1]
    families = sorted(set(scored["family"]))
    colours = {f: plt.cm.tab10(i) for i, f in enumerate(families)}
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(scored) + 1.5))
    ax.barh(
        [f"{r.family} #{r.rank} ({r.state})" for r in scored.itertuples()],
        scored["score"],
        color=[colours[f] for f in scored["family"]],
    )
    ax.axvline(1.0, color="grey", linewidth=0.8)
    ax.set_xlabel("mean MAE relative to persistence (lower is better)")
    ax.set_xlim(left=max(0.0, scored["score"].min() - 0.05))
    ax.set_title("Model sweep: walk-forward score by configuration")
    fig.tight_layout()
    return fig


def _short_heading(column: str) -> str:
    if column.startswith("mae/"):
        _, target, horizon = column.split("/")
        return f"{target} {horizon.upper()}"
    return {"coverage80/mean": "cov80", "seconds": "s"}.get(column, column)

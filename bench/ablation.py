"""Which weather elements help which target: the forecaster on the inner years without each group.

    python bench/ablation.py                 # all groups, inner years (trained through 2010)
    python bench/ablation.py --groups wind,pressure
    python bench/ablation.py --groups humidity+ground   # two groups left out together

Each run is ``seoulcast backtest`` on the inner years (trained through 2010, tested 2011–2012,
never the final test years) with the forecaster reading every element but one group (and two
reference runs: every element, and none). To keep nine runs affordable on two cores each is one
fit (``--refit never``) rather than the benchmark's yearly refits, so its figures are a little
worse than the yearly-refit inner run's; the comparison between runs is what counts.

The table gives the forecaster's MAE at D+1..D+3 per target for each run, and the change when
the group is left out (positive: the group helped).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backtest import ASOS, PM10, TEMPERATURE  # noqa: E402

from seoulcast_assets.ml.inputs.variables import WEATHER_ELEMENTS  # noqa: E402

GROUPS: dict[str, tuple[str, ...]] = {
    "wind": ("ws_avg", "ws_max", "ws_max_u", "ws_max_v"),
    "humidity": ("hm_avg", "hm_min", "td_avg", "pv_avg"),
    "pressure": ("pa_avg", "ps_avg", "ps_max", "ps_min", "ps_tendency"),
    "cloud_sun": ("ca_tot", "ss_day", "si_day"),
    "rain_snow": ("rn_day", "sd_new", "sd_max"),
    "ground": ("ts_avg", "tg_min", "te_05", "te_10", "te_15", "te_30", "te_50"),
    "times_of_day": ("ta_max_tm", "ta_min_tm", "hm_min_tm", "ws_max_tm", "ps_max_tm", "ps_min_tm"),
}
assert sorted(e for group in GROUPS.values() for e in group) == sorted(WEATHER_ELEMENTS)


def run(name: str, inputs: tuple[str, ...], folder: Path) -> pd.DataFrame:
    from seoulcast_assets.cli import main as seoulcast

    out = folder / f"{name}.csv"
    if not out.exists():
        command = ["backtest", "--temperature", str(TEMPERATURE), "--pm10", str(PM10),
                   "--asos", str(ASOS), "--train-end", "2010-12-31", "--test-end", "2012-12-31",
                   "--out", str(out), "--inputs", ",".join(inputs) or "none",
                   "--refit", "never"]  # fmt: skip
        start = time.perf_counter()
        seoulcast(command)
        print(f"{name}: {time.perf_counter() - start:.0f} s", flush=True)
    table = pd.read_csv(out)
    rows = table[(table.model == "lstm") & (table.horizon <= 3)]
    return rows.set_index(["target", "horizon"])["mae"].rename(name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", default=",".join(GROUPS))
    parser.add_argument("--folder", default="ablation", help="where each run's metrics go")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    columns = [run("all", WEATHER_ELEMENTS, folder), run("none", (), folder)]
    for group in args.groups.split(","):  # "humidity+ground": both groups left out
        left_out = {e for name in group.split("+") for e in GROUPS[name]}
        kept = tuple(e for e in WEATHER_ELEMENTS if e not in left_out)
        columns.append(run(f"without_{group.replace('+', '_')}", kept, folder))
    table = pd.concat(columns, axis=1)
    change = table.drop(columns=["all"]).sub(table["all"], axis=0).div(table["all"], axis=0)
    with pd.option_context("display.width", 160, "display.max_columns", None):
        print("\nForecaster MAE, inner years (2011–2012), D+1..D+3:")
        print(table.round(3).to_string())
        print("\nChange when left out, % of the all-element MAE (positive: the group helped):")
        print((100 * change).round(1).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())

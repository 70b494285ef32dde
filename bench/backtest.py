"""Benchmark of the forecasting layer: the walk-forward backtest and a full retrain, with targets.

    python bench/backtest.py                  # test 2013–2018, trained through 2012 (yearly refits)
    python bench/backtest.py --inner          # model selection: test 2011–2012, through 2010
    python bench/backtest.py --full-retrain   # time train_forecaster on all of 1907–2018

The backtest is exactly ``seoulcast backtest`` (same defaults); this script adds the target
check and 90 % block-bootstrap intervals: per cell for the served forecaster's MAE gap to the best
baseline, and for the D+1 ta_avg MAE and PM10 grade accuracy. Hyper-parameters are chosen
with ``--inner``, which never looks past 2012; the main run (2013–2018) is for reporting only.

Targets: at D+1..D+3 every target beats every baseline (persistence, climatology, the linear
model on lagged anomalies and the one on every element) on MAE, and at D+4..D+7 no cell is worse
beyond doubt (the block bootstrap); D+1 MAE ta_avg <= 1.43 °C, ta_max <= 2.05, ta_min <= 1.33,
pm10_avg <= 11.9 µg/m³; PM10 grade accuracy at D+1 >= 75 %; 80 % intervals cover 78–82 % in
every cell; a full retrain in <= 120 s on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TEMPERATURE = DATA / "seoul_temp_daily.csv"
PM10 = DATA / "seoul_pm10_daily.csv"
ASOS = DATA / "seoul_asos_daily.csv"
BASELINES = ("persistence", "climatology", "linear", "linear_all")


def _candidate() -> str:
    from seoulcast_assets.ml.sweep.choice import read_chosen_model

    return read_chosen_model().spec.table_name


CANDIDATE = _candidate()
"""The served forecaster's rows: the chosen-model file's family (``seoulcast backtest``)."""
D1_TARGETS = (("ta_avg", 1.43, "°C"), ("ta_max", 2.05, "°C"), ("ta_min", 1.33, "°C"),
              ("pm10_avg", 11.9, "µg/m³"))  # fmt: skip


def baselines_in(table: pd.DataFrame) -> list[str]:
    return [name for name in BASELINES if name in set(table["model"])]


def check_targets(table: pd.DataFrame) -> list[str]:
    """Human-readable verdicts, one line per target (``PASS``/``FAIL``)."""
    mae = table.pivot_table(index=["target", "horizon"], columns="model", values="mae")
    best_baseline = mae[baselines_in(table)].min(axis=1)
    beaten = (mae[CANDIDATE] < best_baseline)[lambda b: b.index.get_level_values("horizon") <= 3]
    served = table[table.model == CANDIDATE].set_index(["target", "horizon"])
    lines = []
    lost = [f"{t} D+{h} ({mae.loc[(t, h), CANDIDATE]:.3f} vs {best_baseline[(t, h)]:.3f})"
            for (t, h), ok in beaten.items() if not ok]  # fmt: skip
    not_in = f"; not in {', '.join(lost)}" if lost else ""
    lines.append(_verdict(not lost, f"D+1..D+3: beats every baseline in {beaten.sum()}/"
                          f"{len(beaten)} cells{not_in}"))  # fmt: skip
    for target, limit, unit in D1_TARGETS:
        value = served.loc[(target, 1), "mae"]
        lines.append(_verdict(value <= limit, f"D+1 {target} MAE {value:.3f} {unit} "
                              f"(target <= {limit})"))  # fmt: skip
    grade1 = served.loc[("pm10_avg", 1), "grade_accuracy"]
    lines.append(_verdict(grade1 >= 0.75, f"D+1 PM10 grade accuracy {grade1:.3f} (>= 0.75)"))
    coverage = served["coverage80"]
    outside = coverage[(coverage < 0.78) | (coverage > 0.82)]
    named = ", ".join(f"{t} D+{h} {v:.3f}" for (t, h), v in outside.items())
    lines.append(_verdict(
        outside.empty,
        f"80% coverage {coverage.min():.3f}–{coverage.max():.3f}, mean {coverage.mean():.3f} "
        f"(78–82%; outside in {len(outside)} cells"
        + (f": {named}" if len(outside) else "")
        + ")",
    ))  # fmt: skip
    return lines


def _verdict(ok: bool, text: str) -> str:
    return f"{'PASS' if ok else 'FAIL'}  {text}"


def skill_table(table: pd.DataFrame) -> pd.DataFrame:
    """MAE per target and horizon: the served forecaster, the compared models, the baselines,
    and the served forecaster's skill (1 - ratio) against the best baseline."""
    mae = table.pivot_table(index=["target", "horizon"], columns="model", values="mae")
    compared = [c for c in mae.columns if c != CANDIDATE and c not in BASELINES]
    out = mae[[CANDIDATE, *compared, *baselines_in(table)]].copy()
    out["skill_vs_best"] = 1 - out[CANDIDATE] / out[baselines_in(table)].min(axis=1)
    return out


def grade_ceiling(predictions: pd.DataFrame, horizon: int = 1) -> dict[str, float]:
    """Per model, the best D+``horizon`` PM10 grade accuracy that *any* pair of cut points
    between good/moderate and moderate/bad could get from its p50, chosen in hindsight on the
    test period itself. Not a result: an upper bound on what re-thresholding the same
    forecasts could reach, to tell a threshold problem from a forecast problem."""
    import numpy as np

    from seoulcast_assets.ml.evaluation.metrics import grade_index

    ceilings = {}
    rows = predictions[(predictions.target == "pm10_avg") & (predictions.horizon == horizon)]
    for model, group in rows.dropna(subset=["actual", "p50"]).groupby("model"):
        actual = grade_index(group["actual"])
        p50 = group["p50"].to_numpy()
        best = 0.0
        for good_moderate in np.arange(15.0, 50.0, 1.0):
            for moderate_bad in np.arange(55.0, 110.0, 1.0):
                grade = np.searchsorted([good_moderate, moderate_bad, 150.0], p50, side="left")
                best = max(best, float(np.mean(grade == actual)))
        ceilings[model] = best
    return ceilings


def gap_table(predictions: pd.DataFrame) -> pd.DataFrame:
    """Per cell, the served forecaster's MAE minus the best baseline's, with a 90 % paired
    moving-block bootstrap interval (30-day blocks): whether a win or a loss is more than the
    luck of the test period (``seoulcast_assets.ml.evaluation.uncertainty``)."""
    from seoulcast_assets.ml.evaluation.uncertainty import gaps_to_best_baseline

    present = [name for name in BASELINES if name in set(predictions["model"])]
    return gaps_to_best_baseline(predictions, CANDIDATE, present)


def headline_intervals(predictions: pd.DataFrame) -> list[str]:
    """The two point targets with their 90 % block-bootstrap intervals."""
    from seoulcast_assets.ml.evaluation.metrics import grade_index
    from seoulcast_assets.ml.evaluation.uncertainty import mean_interval

    def d1(target: str) -> pd.DataFrame:
        rows = predictions[(predictions.model == CANDIDATE) & (predictions.target == target)]
        return rows[(rows.horizon == 1) & rows.actual.notna()].sort_values("date")

    ta_avg, pm10 = d1("ta_avg"), d1("pm10_avg")
    mae = mean_interval((ta_avg.p50 - ta_avg.actual).abs())
    hits = grade_index(pm10.p50) == grade_index(pm10.actual)
    grade = mean_interval(hits.astype(float))
    return [
        f"D+1 ta_avg MAE {mae[0]:.3f} °C, 90% interval {mae[1]:.3f}–{mae[2]:.3f}",
        f"D+1 PM10 grade accuracy {grade[0]:.3f}, 90% interval {grade[1]:.3f}–{grade[2]:.3f}",
    ]


def full_retrain(asos: str | None) -> float:
    """Time a fit of the chosen model (what ``lstm_model`` trains) on the whole record."""
    from seoulcast_assets.ml.inputs.history import load_history
    from seoulcast_assets.ml.sweep.choice import read_chosen_model

    history = load_history(TEMPERATURE, PM10, asos)
    spec = read_chosen_model().spec
    start = time.perf_counter()
    forecaster = spec.build().fit(history)
    elapsed = time.perf_counter() - start
    print(f"model: {spec.label()}")
    print(f"full retrain on {history.index.min().date()}..{history.index.max().date()}: "
          f"{elapsed:.1f} s, {forecaster.report.train_windows} training windows, "
          f"members {forecaster.report.members}")  # fmt: skip
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inner", action="store_true", help="model-selection period 2011–2012")
    parser.add_argument("--full-retrain", action="store_true", help="time a full retrain only")
    parser.add_argument("--out", default="metrics.csv")
    parser.add_argument("--predictions", default=None)
    parser.add_argument("--ensemble", type=int, default=None)
    parser.add_argument(
        "--asos", default=str(ASOS), help="weather elements (default: seoul_asos_daily.csv)"
    )
    parser.add_argument(
        "--no-asos", action="store_true", help="temperatures and PM10 only (the earlier setup)"
    )
    parser.add_argument("--inputs", default=None, help="weather elements the forecaster reads")
    parser.add_argument("--set", action="append", default=[], help="ForecasterConfig FIELD=VALUE")
    parser.add_argument(
        "--compare", action="append", default=[], help="NAME=SPEC.json, another model to backtest"
    )
    args = parser.parse_args(argv)
    if args.full_retrain:
        return 0 if full_retrain(None if args.no_asos else args.asos) <= 120 else 1

    from seoulcast_assets.cli import main as seoulcast

    train_end, test_end = ("2010-12-31", "2012-12-31") if args.inner else ("2012-12-31",
                                                                          "2018-12-31")  # fmt: skip
    command = ["backtest", "--temperature", str(TEMPERATURE), "--pm10", str(PM10),
               "--train-end", train_end, "--test-end", test_end, "--out", args.out]  # fmt: skip
    predictions = args.predictions or str(Path(args.out).with_suffix(".predictions.csv"))
    command += ["--predictions", predictions]
    if args.ensemble:
        command += ["--ensemble", str(args.ensemble)]
    if not args.no_asos:
        command += ["--asos", args.asos]
    if args.inputs:
        command += ["--inputs", args.inputs]
    for setting in args.set:
        command += ["--set", setting]
    for entry in args.compare:
        command += ["--compare", entry]
    start = time.perf_counter()
    seoulcast(command)
    print(f"\nbacktest {train_end} -> {test_end}: {time.perf_counter() - start:.0f} s")
    table = pd.read_csv(args.out)
    with pd.option_context("display.width", 120, "display.max_rows", None):
        print(skill_table(table).round(3).to_string())
    print("\n".join(check_targets(table)))
    scored = pd.read_csv(predictions, parse_dates=["date"])
    gaps = gap_table(scored)
    print(f"\n{CANDIDATE} MAE minus the best baseline's, 90% block-bootstrap interval (negative = "
          "better; 'tie' = the interval holds 0):")  # fmt: skip
    with pd.option_context("display.width", 120, "display.max_rows", None):
        print(gaps.round(3).to_string(index=False))
    counts = gaps["verdict"].value_counts()
    print(", ".join(f"{verdict} in {counts.get(verdict, 0)}/{len(gaps)} cells"
                    for verdict in ("better", "tie", "worse")))  # fmt: skip
    late_worse = gaps[(gaps["horizon"] >= 4) & (gaps["verdict"] == "worse")]
    print(_verdict(late_worse.empty, f"D+4..D+7: worse beyond doubt in {len(late_worse)} cells"))
    print("\n".join(headline_intervals(scored)) + "\n")
    ceilings = grade_ceiling(scored)
    print("D+1 PM10 grade accuracy with the best cut points in hindsight (an upper bound, not a "
          "result): " + ", ".join(f"{m} {v:.3f}" for m, v in ceilings.items()))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

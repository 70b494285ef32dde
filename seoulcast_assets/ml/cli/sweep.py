"""``seoulcast sweep``: compare model families by the walk-forward backtest, choose the winner.

    seoulcast sweep --temperature T.csv --pm10 P.csv --asos A.csv      # the default sweep
    seoulcast sweep ... --families lstm,lightgbm --trials 3 --train-end 2008-12-31 \\
        --test-end 2010-12-31 --no-write-choice

Every configuration is scored by the backtest of ``seoulcast backtest`` on the inner years
(default: trained through 2010, scored on 2011–2012), never on the final test years. Runs go to
the MLflow experiment ``seoulcast-sweeps`` (``MLFLOW_TRACKING_URI``, else the local store): a
parent run with the ranked table and plot, a nested run per configuration. The ranked table is
printed (and written with ``--out``); the winner is written to the chosen-model file that
``lstm_model`` trains (``seoulcast_assets/ml/chosen_model.json``) unless ``--no-write-choice``.
"""

from __future__ import annotations

import argparse

from seoulcast_assets.ml.cli.backtest import _day

HELP = "compare model families by walk-forward backtest on inner years; write the winner"


def _trials(text: str) -> dict[str, int] | int:
    """``6`` (every family) or ``lstm=6,gru=4``."""
    try:
        if "=" not in text:
            return int(text)
        return {name.strip(): int(n) for name, n in (part.split("=") for part in text.split(","))}
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected N or FAMILY=N,...: {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from seoulcast_assets.ml.families.catalog import FAMILIES

    parser.add_argument("--temperature", required=True, help="CSV: date,ta_avg,ta_max,ta_min")
    parser.add_argument("--pm10", required=True, help="CSV: date,pm10_avg[,pm10_max,pm10_min]")
    parser.add_argument("--asos", default=None, help="CSV with the columns of seoul_asos_daily.csv")
    parser.add_argument(
        "--families", default=",".join(FAMILIES), help=f"comma-separated, of {', '.join(FAMILIES)}"
    )
    parser.add_argument(
        "--trials", type=_trials, default=None,
        help="trials per family: N, or FAMILY=N,... (default: lstm=6,gru=4,lightgbm=4,linear=6)",
    )  # fmt: skip
    parser.add_argument("--train-end", type=_day, default=None, help="default 2010-12-31")
    parser.add_argument("--test-end", type=_day, default=None, help="default 2012-12-31")
    parser.add_argument("--refit", default="yearly", choices=["yearly", "quarterly", "never"])
    parser.add_argument("--epochs", type=int, default=None, help="max epochs of every network")
    parser.add_argument(
        "--timeout-minutes", type=float, default=None, help="stop starting trials of a family after"
    )
    parser.add_argument("--out", default=None, help="also write the ranked table to this CSV")
    parser.add_argument(
        "--no-write-choice", action="store_true", help="do not rewrite the chosen-model file"
    )
    parser.add_argument("--choice-file", default=None, help="write the winner here instead")
    parser.add_argument("--seed", type=int, default=0)


def settings_from(args: argparse.Namespace):
    from seoulcast_assets.ml.sweep.objective import BacktestWindow
    from seoulcast_assets.ml.sweep.runner import SweepSettings
    from seoulcast_assets.ml.sweep.space import DEFAULT_TRIALS

    families = tuple(f.strip() for f in args.families.split(",") if f.strip())
    trials = dict(DEFAULT_TRIALS)
    if isinstance(args.trials, int):
        trials = dict.fromkeys(trials, args.trials)
    elif args.trials:
        trials.update(args.trials)
    window = BacktestWindow()
    window = BacktestWindow(
        str(args.train_end or window.train_end), str(args.test_end or window.test_end), args.refit
    )
    fixed = {}
    if args.epochs is not None:
        fixed = {"lstm": {"max_epochs": args.epochs}, "gru": {"max_epochs": args.epochs}}
    return SweepSettings(
        families=families,
        trials=trials,
        window=window,
        fixed=fixed,
        timeout_minutes_per_family=args.timeout_minutes,
        seed=args.seed,
    )


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from seoulcast_assets.ml.families.recurrent.training import quiet_lightning
    from seoulcast_assets.ml.inputs.history import load_history
    from seoulcast_assets.ml.sweep.choice import write_chosen_model
    from seoulcast_assets.ml.sweep.report import printable
    from seoulcast_assets.ml.sweep.runner import finish_sweep, run_family, start_sweep
    from seoulcast_assets.ml.tracking.runs import configure_tracking

    try:
        settings = settings_from(args)
    except ValueError as error:
        raise SystemExit(f"seoulcast sweep: {error}") from None
    quiet_lightning()
    uri = configure_tracking()
    history = load_history(args.temperature, args.pm10, args.asos)
    print(f"sweep: {', '.join(settings.families)}; {settings.window.label()}; MLflow {uri}")
    start = start_sweep(history, settings)
    print("references scored: " + ", ".join(
        f"{row['config']} {row['score']:.3f}" for row in start.references.rows))  # fmt: skip
    total = sum(settings.trials_of(f) for f in settings.families)
    results = []
    with tqdm(total=total, unit="config", desc="sweep", dynamic_ncols=True) as bar:

        def done(result) -> None:
            bar.update(1)
            best = min((r.score for r in results if r.state == "complete"), default=None)
            bar.set_postfix_str(
                f"{result.family} {result.state} {result.score:.3f}"
                + (f", best {best:.3f}" if best is not None else "")
            )

        for family in settings.families:

            def collect(result, done=done) -> None:
                results.append(result)
                done(result)

            run_family(history, start, family, on_trial=collect)
            bar.total = (
                bar.n
                + sum(  # a family that stopped early (timeout) frees its share
                    settings.trials_of(f)
                    for f in settings.families[settings.families.index(family) + 1 :]
                )
            )
            bar.refresh()
    rows = [*start.references.rows, *(result.row() for result in results)]
    outcome = finish_sweep(start.parent_run_id, settings, rows)
    print()
    print(printable(outcome.table))
    print("\nscore: mean MAE relative to persistence over 4 targets x 7 horizons (lower is better)")
    if args.out:
        outcome.table.drop(columns=["spec"]).to_csv(args.out, index=False)
        print(f"wrote {args.out}")
    if outcome.winner is None:
        print("no configuration completed: the chosen model is unchanged")
        return 1
    print(f"winner: {outcome.winner.spec.label()} (score {outcome.winner.chosen_by['score']})")
    if not args.no_write_choice:
        path = write_chosen_model(outcome.winner, args.choice_file)
        print(f"wrote the chosen model to {path}: lstm_model trains it from now on")
    print(f"MLflow parent run {outcome.parent_run_id} (experiment seoulcast-sweeps)")
    return 0

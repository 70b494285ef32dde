"""``seoulcast backtest``: walk-forward backtest of the served forecaster and the baselines.

    seoulcast backtest --temperature T.csv --pm10 P.csv [--asos A.csv] \\
        --train-end 2012-12-31 --test-end 2018-12-31 --out metrics.csv

The inputs have the columns of the tidy observation files (``date,ta_avg,ta_max,ta_min`` and
``date,pm10_avg,…``); ``--asos`` adds the weather elements of a file with the columns of
``seoul_asos_daily.csv`` (any subset beyond ``date``; a blank precipitation or snow cell is a
dry day), which the forecaster then reads and the all-element linear baseline ``linear_all``
joins the baselines. Without it the run is the temperature-and-PM10 one. The test period is the
day after ``--train-end`` through ``--test-end``. ``metrics.csv`` has the columns
``model,target,horizon,mae,rmse,coverage80,grade_accuracy,n`` (empty where a column does not
apply) for the served forecaster, ``persistence, climatology, linear`` (and ``linear_all``), the
four targets and horizons 1–7. The served forecaster is the one ``lstm_model`` trains: the
family and configuration of the chosen-model file (``ml/chosen_model.json``, written by
``seoulcast sweep``), named by its family (``lstm``, ``gru``, ``lightgbm``, ``linear_tuned``),
with ``--set``/``--epochs``/… applied; ``--compare NAME=SPEC.json`` adds other specs (e.g. the
previous forecaster, or a sweep's runner-up) under their own names.
"""

from __future__ import annotations

import argparse
from datetime import date

HELP = "walk-forward backtest of the LSTM forecaster and the baselines (writes metrics.csv)"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def _config_settings(settings: list[str]) -> dict:
    import json
    from dataclasses import fields

    from seoulcast_assets.ml.families.recurrent.forecaster import ForecasterConfig

    known = {field.name for field in fields(ForecasterConfig)}
    values = {}
    for setting in settings:
        name, separator, text = setting.partition("=")
        if not separator or name not in known:
            raise SystemExit(f"--set {setting!r}: expected FIELD=VALUE with FIELD one of "
                             f"{', '.join(sorted(known))}")  # fmt: skip
        try:
            values[name] = json.loads(text)
        except json.JSONDecodeError:
            values[name] = text
    return values


def _compared(entry: str):
    from seoulcast_assets.ml.sweep.choice import read_chosen_model

    name, separator, path = entry.partition("=")
    if not separator or not name or name in {"persistence", "climatology", "linear",
                                             "linear_all"}:  # fmt: skip
        raise SystemExit(f"--compare {entry!r}: expected NAME=SPEC.json with a new NAME")
    try:
        return name, read_chosen_model(path).spec
    except ValueError as error:
        raise SystemExit(f"--compare: {error}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--temperature", required=True, help="CSV: date,ta_avg,ta_max,ta_min")
    parser.add_argument("--pm10", required=True, help="CSV: date,pm10_avg[,pm10_max,pm10_min]")
    parser.add_argument(
        "--asos", default=None, help="CSV with the columns of seoul_asos_daily.csv (elements)"
    )
    parser.add_argument(
        "--inputs",
        default=None,
        help="comma-separated weather elements the forecaster reads (default: all it has; "
        "'none' for temperatures and PM10 only)",
    )
    parser.add_argument("--train-end", required=True, type=_day, help="last training day")
    parser.add_argument("--test-end", required=True, type=_day, help="last test day")
    parser.add_argument("--out", required=True, help="where to write metrics.csv")
    parser.add_argument(
        "--refit",
        default="yearly",
        choices=["yearly", "quarterly", "monthly", "never"],
        help="refit cadence of the expanding window (default: yearly)",
    )
    parser.add_argument("--seed", type=int, default=None, help="base seed of the network")
    parser.add_argument("--epochs", type=int, default=None, help="maximum epochs per network")
    parser.add_argument("--ensemble", type=int, default=None, help="networks per refit")
    parser.add_argument(
        "--predictions", default=None, help="also write every forecast with its actual to this CSV"
    )
    parser.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="NAME=SPEC.json",
        help="also backtest the model of a spec file ({family, params}, like chosen_model.json) "
        "as NAME; repeatable",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a ForecasterConfig field (JSON value), e.g. --set calibrate=true "
        "--set 'boosted_horizons=[1,2]'; repeatable",
    )


def run(args: argparse.Namespace) -> int:
    import pandas as pd
    from tqdm import tqdm

    from seoulcast_assets.ml.cli.progress import EpochProgress
    from seoulcast_assets.ml.evaluation.backtest import refit_dates, walk_forward_backtest
    from seoulcast_assets.ml.evaluation.metrics import METRICS_COLUMNS
    from seoulcast_assets.ml.families.baselines import BASELINES, TEMPERATURE_AND_PM10_BASELINES
    from seoulcast_assets.ml.families.recurrent.forecaster import Forecaster, ForecasterConfig
    from seoulcast_assets.ml.families.recurrent.network_groups import NETWORK_GROUPS
    from seoulcast_assets.ml.inputs.history import load_history

    changes = {"seed": args.seed, "max_epochs": args.epochs, "ensemble_size": args.ensemble}
    if args.asos is None or args.inputs == "none":
        changes["weather_inputs"] = ()
    elif args.inputs:
        changes["weather_inputs"] = tuple(name.strip() for name in args.inputs.split(","))
    changes.update(_config_settings(args.set))
    from seoulcast_assets.ml.families.catalog import RECURRENT_FAMILIES
    from seoulcast_assets.ml.sweep.choice import read_chosen_model

    chosen, _ = read_chosen_model().spec.with_applicable(**changes)
    recurrent = chosen.family in RECURRENT_FAMILIES
    config = (
        ForecasterConfig.from_dict({**chosen.params, "cell": chosen.family})
        if recurrent
        else ForecasterConfig()
    )
    compared = dict(_compared(entry) for entry in args.compare)
    history = load_history(args.temperature, args.pm10, args.asos)
    baselines = (
        BASELINES
        if args.asos
        else {name: BASELINES[name] for name in TEMPERATURE_AND_PM10_BASELINES}
    )
    refits = refit_dates(args.train_end, args.test_end, args.refit)
    networks_per_fit = len(NETWORK_GROUPS) * config.ensemble_size if recurrent else 0
    total = max(len(refits) * networks_per_fit * config.max_epochs, 1)
    with tqdm(total=total, unit="epoch", desc="training", dynamic_ncols=True) as bar:
        progress = EpochProgress(bar, config.max_epochs)

        def lstm():
            return Forecaster(config).with_callbacks([progress]) if recurrent else chosen.build()

        def fitted(name, model, refit_date) -> None:
            if name == chosen.table_name:
                bar.set_postfix_str(f"trained through {refit_date.date()}")

        result = walk_forward_backtest(
            history,
            args.train_end,
            args.test_end,
            {
                chosen.table_name: lstm,
                **baselines,
                **{name: spec.build for name, spec in compared.items()},
            },  # fmt: skip
            refit=args.refit,
            on_fit=fitted,
        )
    table = result.metrics[list(METRICS_COLUMNS)]
    table.to_csv(args.out, index=False, float_format="%.4f")
    if args.predictions:
        result.predictions.to_csv(args.predictions, index=False, float_format="%.3f")
    with pd.option_context("display.max_rows", None, "display.width", 120):
        print(table.to_string(index=False, na_rep="", float_format=lambda v: f"{v:.3f}"))
    print(f"wrote {len(table)} rows to {args.out}")
    return 0

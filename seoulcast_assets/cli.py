"""The ``seoulcast`` command line.

Each sub-command lives in the module of the layer it belongs to and exposes ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. Modules are imported only when their
command runs, so ``seoulcast --help`` stays fast and never imports torch.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("seoulcast_assets.demo", "run the pipeline on embedded defaults and open the UI"),
    "dev": ("seoulcast_assets.dev", "dg dev on the demo's Dagster instance (embedded PostgreSQL)"),
    "emulator": ("seoulcast_assets.kma_emulator.cli", "serve a KMA-compatible API on localhost"),
    "import-portal": ("seoulcast_assets.cleaning.portal_cli", "load a KMA data-portal CSV export"),
    "bootstrap": (
        "seoulcast_assets.bootstrap",
        "load years of history through the collection and cleaning jobs",
    ),
    "backtest": (
        "seoulcast_assets.ml.cli.backtest",
        "walk-forward backtest of the forecaster and baselines",
    ),
    "sweep": (
        "seoulcast_assets.ml.cli.sweep",
        "compare model families by backtest on inner years, choose the winner",
    ),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="seoulcast", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, summary) in COMMANDS.items():
        commands.add_parser(name, help=summary, add_help=False)
    chosen = next((arg for arg in argv if not arg.startswith("-")), None)
    if chosen not in COMMANDS:
        parser.parse_args(argv)  # prints usage or the error and exits
        return 2
    module = importlib.import_module(COMMANDS[chosen][0])
    command_parser = argparse.ArgumentParser(prog=f"seoulcast {chosen}", description=module.HELP)
    module.add_arguments(command_parser)
    args = command_parser.parse_args(argv[argv.index(chosen) + 1 :])
    return int(module.run(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())

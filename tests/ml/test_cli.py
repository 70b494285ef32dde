import subprocess
import sys

import pandas as pd
import pytest

from seoulcast_assets.cli import main
from seoulcast_assets.ml.evaluation.metrics import METRICS_COLUMNS
from seoulcast_assets.ml.sweep.choice import read_chosen_model


def test_cli_module_does_not_import_torch_until_it_runs():
    code = (
        "import sys, argparse, seoulcast_assets.ml.cli.backtest as c; "
        "c.add_arguments(argparse.ArgumentParser()); "
        "assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_backtest_cli_writes_the_metrics_contract(shared_data, tmp_path, capsys):
    temperature = pd.read_csv(shared_data / "seoul_temp_daily.csv")
    pm10 = pd.read_csv(shared_data / "seoul_pm10_daily.csv")
    temperature = temperature[temperature.date.between("2006-01-01", "2012-06-30")]
    pm10 = pm10[pm10.date <= "2012-06-30"]
    temperature.to_csv(tmp_path / "t.csv", index=False)
    pm10.to_csv(tmp_path / "p.csv", index=False)
    out = tmp_path / "metrics.csv"
    code = main([
        "backtest", "--temperature", str(tmp_path / "t.csv"), "--pm10", str(tmp_path / "p.csv"),
        "--train-end", "2011-12-31", "--test-end", "2012-06-30", "--out", str(out),
        "--epochs", "1", "--ensemble", "1",
    ])  # fmt: skip
    assert code == 0
    table = pd.read_csv(out)
    assert tuple(table.columns) == METRICS_COLUMNS
    assert len(table) == 4 * 4 * 7
    served = read_chosen_model().spec.table_name  # the family lstm_model trains
    assert list(table.model.drop_duplicates()) == [served, "persistence", "climatology", "linear"]
    assert set(table.target) == {"ta_avg", "ta_max", "ta_min", "pm10_avg"}
    assert set(table.horizon) == set(range(1, 8))
    assert table.loc[table.target == "pm10_avg", "grade_accuracy"].notna().all()
    assert table.loc[table.target != "pm10_avg", "grade_accuracy"].isna().all()
    assert table[["mae", "rmse", "coverage80"]].notna().all().all()
    h1 = table[(table.horizon == 1) & (table.target == "ta_avg")]
    assert (h1.n == len(pd.date_range("2012-01-01", "2012-06-30"))).all()
    # the empty grade_accuracy cells are empty strings in the file, not "nan"
    assert ",," in out.read_text().splitlines()[1]
    printed = capsys.readouterr()
    assert "persistence" in printed.out and "epoch" in printed.err


def test_backtest_cli_compares_a_spec_file_and_refuses_a_baseline_name(shared_data, tmp_path):
    temperature = pd.read_csv(shared_data / "seoul_temp_daily.csv")
    pm10 = pd.read_csv(shared_data / "seoul_pm10_daily.csv")
    temperature[temperature.date.between("2006-01-01", "2012-03-31")].to_csv(
        tmp_path / "t.csv", index=False
    )
    pm10[pm10.date <= "2012-03-31"].to_csv(tmp_path / "p.csv", index=False)
    spec = tmp_path / "trees.json"
    spec.write_text('{"family": "lightgbm", "params": {"rounds": 20, "training_years": 5}}')
    common = ["backtest", "--temperature", str(tmp_path / "t.csv"), "--pm10",
              str(tmp_path / "p.csv"), "--train-end", "2011-12-31", "--test-end", "2012-03-31",
              "--epochs", "1"]  # fmt: skip
    out = tmp_path / "metrics.csv"
    assert main([*common, "--out", str(out), "--compare", f"trees={spec}"]) == 0
    assert "trees" in set(pd.read_csv(out).model)
    with pytest.raises(SystemExit, match="a new NAME"):
        main([*common, "--out", str(out), "--compare", f"linear={spec}"])

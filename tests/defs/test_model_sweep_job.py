"""The ``model_sweep`` job: one step per family fanned out from the UI's config, nested MLflow
runs under one parent, the winner written where ``lstm_model`` reads it."""

from datetime import date

import dagster as dg
import mlflow
import pytest
from mlflow.tracking import MlflowClient

from seoulcast_assets.cleaning import clean_days
from seoulcast_assets.collection import collect_asos, collect_pm10
from seoulcast_assets.defs.resources import MlflowResource, ObjectStoreResource
from seoulcast_assets.defs.sweep.jobs import model_sweep
from seoulcast_assets.kma import KmaClient
from seoulcast_assets.kma_emulator import KmaEmulator, ObservedWeather
from seoulcast_assets.ml.sweep.choice import CHOICE_ENV, read_chosen_model


@pytest.mark.slow
def test_the_sweep_job_fans_families_out_as_steps_and_writes_the_winner(
    tmp_path, mlflow_tracking, shared_data, monkeypatch
):
    weather = ObservedWeather.from_files(
        asos_csv=shared_data / "seoul_asos_daily.csv", pm10_csv=shared_data / "seoul_pm10_daily.csv"
    )
    store = ObjectStoreResource(url=(tmp_path / "store").as_uri())
    objects = store.open()
    with KmaEmulator(weather).running() as emulator:
        client = KmaClient(emulator.base_url)
        collect_asos(client, objects, date(2007, 1, 1), date(2012, 12, 31))
        collect_pm10(client, objects, date(2008, 4, 28), date(2012, 12, 31))
    clean_days(objects, date(2007, 1, 1), date(2012, 12, 31))

    choice_file = tmp_path / "chosen_model.json"
    monkeypatch.setenv(CHOICE_ENV, str(choice_file))
    config = {"families": ["linear", "lightgbm"], "trials": 1, "write_choice": True,
              "train_end": "2011-12-31", "test_end": "2012-12-31"}  # fmt: skip
    with dg.instance_for_test() as instance:
        result = model_sweep.execute_in_process(
            run_config={"ops": {"start_model_sweep": {"config": config}}},
            resources={"store": store, "mlflow": MlflowResource(
                tracking_uri=mlflow_tracking.tracking_uri, experiment="test-sweep-job")},
            instance=instance,
        )  # fmt: skip
    assert result.success
    steps = {e.step_key for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
    assert {"sweep_family[linear]", "sweep_family[lightgbm]", "finish_model_sweep"} <= steps

    winner = result.output_for_node("finish_model_sweep")
    assert winner["family"] in {"linear", "lightgbm"}
    assert read_chosen_model(choice_file).spec.to_dict() == {
        "family": winner["family"], "params": winner["params"]}  # fmt: skip
    mlflow.set_tracking_uri(mlflow_tracking.tracking_uri)
    tracking = MlflowClient()
    parent_id = winner["chosen_by"]["sweep_run_id"]
    parent = tracking.get_run(parent_id)
    assert parent.info.status == "FINISHED"
    assert parent.data.tags["dagster_run_id"] == result.run_id
    children = tracking.search_runs(
        [parent.info.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{parent_id}'"
    )
    assert sorted(c.data.tags["sweep.family"] for c in children) == [
        "baseline", "baseline", "baseline", "baseline", "lightgbm", "linear"]  # fmt: skip

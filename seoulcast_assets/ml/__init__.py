"""Forecasting layer: daily history -> D+1..D+7 quantile forecasts of Seoul temperature and PM10.

Pure Python (PyTorch Lightning, LightGBM, MLflow client code); nothing here imports Dagster.
The folders say what each part is for:

``inputs/``      what a model reads: the history contract and loader (``history``), targets,
                 horizons and quantiles (``variables``), climatologies, anomaly features and
                 training windows
``families/``    the models. ``interface`` holds :class:`ForecastModel`, the fit/predict
                 interface every family implements; ``baselines`` (persistence, climatology,
                 the linear models), ``recurrent/`` (the LSTM/GRU forecaster: network, anchor,
                 Lightning training, boosted medians, calibration), ``gbm`` (LightGBM quantile
                 trees), ``catalog`` (family name -> builder, save and load)
``evaluation/``  walk-forward ``backtest``, ``metrics``, block-bootstrap ``uncertainty`` and the
                 ``holdout`` evaluation used for promotion
``tracking/``    MLflow: ``runs`` (runs, losses, tables), ``plots``, the ``pyfunc`` model,
                 the ``registry`` rule and the ``lifecycle`` of one training
``sweep/``       the model-family sweep: search space, walk-forward objective, Optuna study,
                 the ranked table and the chosen-model file
``cli/``         ``seoulcast backtest`` and ``seoulcast sweep``

See ``README.md`` beside this file for the API, the saved-model layout and the benchmarks.

Importing this package does not import torch.
"""

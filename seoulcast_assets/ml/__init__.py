"""Forecasting layer: daily history -> D+1..D+7 quantile forecasts of Seoul temperature and PM10.

Pure Python (PyTorch Lightning, MLflow client code); nothing here imports Dagster. Modules:

``data``          the history contract and the tidy-CSV loader
``variables``     targets, horizons, quantiles, model space (log1p for PM10)
``climatology``   seasonal normal + trend, fit on a training period
``features``      standardised anomalies and calendar/context features
``windows``       training windows cut on the calendar (gaps and masking rule)
``anchor``        the closed-form ridge forecast the network starts from and corrects
``model``         the ``QuantileLSTM`` LightningModule and the pinball loss
``datamodule``    the ``LightningDataModule`` of windows
``training``      one seeded, early-stopped Lightning fit
``calibration``   conformal scaling of the 80% interval on held-out training days
``forecast_model`` the fit/predict interface every model shares, the forecast frame
``forecaster``    ``Forecaster`` / ``train_forecaster``: fit, predict, save, load
``baselines``     persistence, climatology with trend, lagged-anomaly linear model
``metrics``       MAE, RMSE, coverage, PM10 grades and grade probabilities
``backtest``      walk-forward backtest with periodic refits
``evaluation``    held-out evaluation used for promotion
``tracking``      MLflow runs, losses, tables, plots (``plots``: the figures)
``pyfunc``        the forecaster as an MLflow pyfunc model
``registry``      versions, aliases, the promotion rule
``lifecycle``     evaluate, retrain, register and decide promotion in one MLflow run
``cli``           ``seoulcast backtest`` (``progress``: its tqdm bar)

See ``README.md`` beside this file for the API, the saved-model layout and the benchmark.

Importing this package does not import torch.
"""

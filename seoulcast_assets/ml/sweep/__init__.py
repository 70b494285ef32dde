"""The model-family sweep: which family and configuration forecasts best, by measurement.

``space``      each family's search space (Optuna) and the configuration it starts from
``objective``  a configuration scored by the walk-forward backtest on the inner years
``study``      one family's Optuna study, every trial a nested MLflow run
``report``     the ranked table, its markdown and plot, logged on the parent run
``choice``     the chosen-model file ``ml/chosen_model.json`` that ``lstm_model`` trains
``runner``     the whole sweep: parent run, references, the families, the winner
"""

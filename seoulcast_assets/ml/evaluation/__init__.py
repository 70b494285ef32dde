"""Scoring forecasts: walk-forward backtest, metrics, block-bootstrap intervals, holdout."""

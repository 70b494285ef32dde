"""The forecasting sub-commands of ``seoulcast``: ``backtest`` and ``sweep``."""

"""The model families. Each implements :class:`~.interface.ForecastModel` (``fit``/``predict``);
:mod:`.catalog` names them for the sweep and saves and loads any of them for the registry."""

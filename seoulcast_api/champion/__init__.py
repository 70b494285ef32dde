"""The model version serving forecasts, and its measured accuracy."""

"""MLflow: runs, logged tables and plots, the pyfunc model, the registry and promotion."""

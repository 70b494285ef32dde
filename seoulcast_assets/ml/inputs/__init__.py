"""What a model reads: the history contract, the variables, climatologies, features, windows."""

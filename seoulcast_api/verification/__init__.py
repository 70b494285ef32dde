"""Past forecasts against what was then observed, and the running error per target."""

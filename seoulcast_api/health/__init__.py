"""Whether the API can reach its store and whether the newest forecast is recent."""

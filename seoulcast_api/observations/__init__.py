"""Cleaned daily observations, read from the yearly tables the pipeline consolidates."""

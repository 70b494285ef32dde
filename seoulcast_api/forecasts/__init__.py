"""Forecast documents: the latest and any past one, exactly as the pipeline wrote them."""

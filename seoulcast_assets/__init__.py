"""SeoulCast: Seoul daily temperature and PM10 forecasts on Dagster."""

"""SeoulCast: Seoul daily temperature and PM10 forecasts on Dagster.

Importing the package makes every log record of the process redact the configured secrets
(:mod:`seoulcast_assets.secrets`), whichever entry point started it: Dagster, the API, the CLI.
"""

from seoulcast_assets.secrets import install_log_redaction

install_log_redaction()

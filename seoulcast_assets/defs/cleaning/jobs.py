"""Manual runs and backfills of the cleaning step."""

import dagster as dg

from seoulcast_assets.defs.cleaning.assets import clean_daily

clean_observations = dg.define_asset_job(
    "clean_observations",
    selection=[clean_daily],
    description="Clean the selected days again from the raw layer (e.g. the last week, to fill "
    "values that could not be interpolated before the next day was collected).",
)

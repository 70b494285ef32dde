"""Cleaning: from raw KMA days to the validated, flagged daily table (no Dagster here).

The rules are the original system's, done right: sentinels and implausible temperatures become
missing, short interior gaps are interpolated (never at the edges, never into the Korean War
gap), PM10 readings are screened before the daily aggregation, and the old outlier fences flag
days instead of deleting them. ``docs/cleaning.md`` documents the default policy and why.

* :mod:`.policy` - the thresholds (:class:`CleaningPolicy`) and :func:`recompute_fences`
* :mod:`.temperature`, :mod:`.pm10` - the rules
* :mod:`.flags` - the flag vocabulary
* :mod:`.schemas` - the pandera schema of the cleaned table
* :mod:`.raw`, :mod:`.tables` - reading the raw layer, writing the clean layer's CSVs
* :mod:`.pipeline` - :func:`clean_days`, the entry point
* :mod:`.checks` - cross-row checks of a run (missing days, flag rates, year tables)
* :mod:`.portal` - importing a KMA data-portal export into the raw and clean layers
"""

from seoulcast_assets.cleaning.flags import FLAG_VOCABULARY
from seoulcast_assets.cleaning.pipeline import CleaningReport, clean_day_table, clean_days
from seoulcast_assets.cleaning.policy import (
    DEFAULT_POLICY,
    CleaningPolicy,
    PolicyError,
    recompute_fences,
    tukey_upper_fence,
)
from seoulcast_assets.cleaning.schemas import CleanDayTable, CleanTableInvalid, validate_clean_days

__all__ = [
    "DEFAULT_POLICY",
    "FLAG_VOCABULARY",
    "CleanDayTable",
    "CleanTableInvalid",
    "CleaningPolicy",
    "CleaningReport",
    "PolicyError",
    "clean_day_table",
    "clean_days",
    "recompute_fences",
    "tukey_upper_fence",
    "validate_clean_days",
]

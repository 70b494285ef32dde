"""The pandera schema of the cleaned day table, and a validator whose errors name the day.

Every cleaning run validates its table before anything is written, so the store only ever holds
days that pass. The rules hold whatever the policy: one row per date, temperatures within the
physical limits of :data:`~seoulcast_assets.cleaning.policy.TEMPERATURE_LIMITS`,
``ta_min <= ta_avg <= ta_max`` and ``0 <= pm10_min <= pm10_avg <= pm10_max`` where present,
``0 <= pm10_n_valid <= 288``, PM10 values only with readings behind them and never before the
series starts, and flags from the known vocabulary. The weather elements must pass every
:data:`~seoulcast_assets.cleaning.weather.RULES` check (the very checks whose failures the
cleaning flagged; a time such as ``ta_max_tm`` must be a time of day), the wind components must
be those of ``ws_max`` and ``wd_max``, and ``source`` one of the known sources or empty.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from seoulcast_assets.cleaning.flags import FLAG_VOCABULARY, PM10_COLUMNS
from seoulcast_assets.cleaning.policy import READINGS_PER_DAY, TEMPERATURE_LIMITS
from seoulcast_assets.cleaning.sources import SOURCES
from seoulcast_assets.cleaning.weather import RULES, Rule, with_wind_components
from seoulcast_assets.kma.coverage import PM10_START

_KNOWN_FLAGS = frozenset(FLAG_VOCABULARY)
WIND_COMPONENTS_RULE = "ws_max_u, ws_max_v are the components of ws_max from wd_max"
_LOW, _HIGH = TEMPERATURE_LIMITS


def _temperature() -> pa.Field:
    return pa.Field(nullable=True, ge=_LOW, le=_HIGH)


def _pm10() -> pa.Field:
    return pa.Field(nullable=True, ge=0)


def _element() -> pa.Field:
    return pa.Field(nullable=True)  # ranges and relations: the RULES checks added below


class _CleanDayColumns(pa.DataFrameModel):
    """The columns of a cleaned day and every rule but the weather elements' (added to
    :class:`CleanDayTable` from :data:`~seoulcast_assets.cleaning.weather.RULES`)."""

    date: Series[pa.DateTime] = pa.Field(unique=True)
    ta_avg: Series[float] = _temperature()
    ta_max: Series[float] = _temperature()
    ta_min: Series[float] = _temperature()
    pm10_avg: Series[float] = _pm10()
    pm10_max: Series[float] = _pm10()
    pm10_min: Series[float] = _pm10()
    pm10_n_valid: Series[float] = pa.Field(nullable=True, ge=0, le=READINGS_PER_DAY)
    ws_avg: Series[float] = _element()
    ws_max: Series[float] = _element()
    wd_max: Series[float] = _element()
    ws_max_u: Series[float] = _element()
    ws_max_v: Series[float] = _element()
    hm_avg: Series[float] = _element()
    hm_min: Series[float] = _element()
    td_avg: Series[float] = _element()
    pv_avg: Series[float] = _element()
    pa_avg: Series[float] = _element()
    ps_avg: Series[float] = _element()
    ps_max: Series[float] = _element()
    ps_min: Series[float] = _element()
    ca_tot: Series[float] = _element()
    ss_day: Series[float] = _element()
    ss_dur: Series[float] = _element()
    si_day: Series[float] = _element()
    rn_day: Series[float] = _element()
    sd_new: Series[float] = _element()
    sd_max: Series[float] = _element()
    ts_avg: Series[float] = _element()
    tg_min: Series[float] = _element()
    te_05: Series[float] = _element()
    te_10: Series[float] = _element()
    te_15: Series[float] = _element()
    te_30: Series[float] = _element()
    te_50: Series[float] = _element()
    ta_max_tm: Series[float] = _element()  # times of day (hhmi): the time-of-day rules below
    ta_min_tm: Series[float] = _element()
    hm_min_tm: Series[float] = _element()
    ws_max_tm: Series[float] = _element()
    ps_max_tm: Series[float] = _element()
    ps_min_tm: Series[float] = _element()
    source: Series[str] = pa.Field(nullable=True, isin=[*SOURCES, ""])
    flags: Series[str]

    class Config:
        strict = True
        ordered = True

    @pa.check("date", name="whole_days")
    def _whole_days(cls, dates: Series[pd.Timestamp]) -> Series[bool]:
        return dates == dates.dt.normalize()

    @pa.check("flags", name="known_flags")
    def _known_flags(cls, flags: Series[str]) -> Series[bool]:
        return flags.map(lambda text: all(t in _KNOWN_FLAGS for t in text.split(";") if t))

    @pa.dataframe_check(name="ta_min <= ta_avg <= ta_max", ignore_na=False)
    def _temperature_order(cls, table: pd.DataFrame) -> Series[bool]:
        return _ordered(table, ["ta_min", "ta_avg", "ta_max"])

    @pa.dataframe_check(name="0 <= pm10_min <= pm10_avg <= pm10_max", ignore_na=False)
    def _pm10_order(cls, table: pd.DataFrame) -> Series[bool]:
        return _ordered(table, ["pm10_min", "pm10_avg", "pm10_max"])

    @pa.dataframe_check(name="PM10 values all present or all empty", ignore_na=False)
    def _pm10_complete(cls, table: pd.DataFrame) -> Series[bool]:
        present = table[list(PM10_COLUMNS)].notna().sum(axis=1)
        return (present == 0) | (present == len(PM10_COLUMNS))

    @pa.dataframe_check(name="PM10 values need kept readings", ignore_na=False)
    def _pm10_counted(cls, table: pd.DataFrame) -> Series[bool]:
        return table["pm10_avg"].isna() | (table["pm10_n_valid"] >= 1)

    @pa.dataframe_check(name="no PM10 before 2008-04-28", ignore_na=False)
    def _pm10_series_start(cls, table: pd.DataFrame) -> Series[bool]:
        before = table["date"] < pd.Timestamp(PM10_START)
        empty = table[[*PM10_COLUMNS, "pm10_n_valid"]].isna().all(axis=1)
        no_flags = ~table["flags"].str.contains("pm10", regex=False)
        return ~before | (empty & no_flags)

    @pa.dataframe_check(name=WIND_COMPONENTS_RULE, ignore_na=False)
    def _wind_components(cls, table: pd.DataFrame) -> Series[bool]:
        expected = with_wind_components(table[["ws_max", "wd_max"]])
        ok = pd.Series(True, index=table.index)
        for column in ("ws_max_u", "ws_max_v"):
            both_empty = table[column].isna() & expected[column].isna()
            ok &= both_empty | ((table[column] - expected[column]).abs() < 0.051)
        return ok


def _rule_check(rule: Rule):
    def check(cls, table: pd.DataFrame) -> Series[bool]:
        return rule.passes(table)

    return pa.dataframe_check(name=rule.name, ignore_na=False)(check)


CleanDayTable = type(
    "CleanDayTable",
    (_CleanDayColumns,),
    {
        "__doc__": "One cleaned day per row, as written to ``result/`` (docs/object-store.md).",
        **{f"_rule_{number}": _rule_check(rule) for number, rule in enumerate(RULES)},
    },
)


@dataclass(frozen=True)
class Violation:
    """One failed rule on one day (``day`` is None for a rule about the whole table)."""

    day: date | None
    rule: str
    detail: str

    def __str__(self) -> str:
        where = self.day.isoformat() if self.day else "table"
        return f"{where}: {self.rule} ({self.detail})"


class CleanTableInvalid(ValueError):
    """The cleaned table breaks the schema; nothing was written. Names each day and rule."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        shown = "; ".join(str(v) for v in violations[:10])
        more = f" and {len(violations) - 10} more" if len(violations) > 10 else ""
        super().__init__(f"cleaned days break the schema: {shown}{more}")


def validate_clean_days(table: pd.DataFrame) -> pd.DataFrame:
    """Validate against :class:`CleanDayTable` (all rules, lazily); raise
    :class:`CleanTableInvalid` naming every failing day and rule."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # raised inside pandera's reporting
            return CleanDayTable.validate(table, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise CleanTableInvalid(_violations(table, errors.failure_cases)) from None


# Every table-wide check handles empty cells itself: pandera's ignore_na, which would pass a row
# whose every cell is empty (never a cleaned day: it has a date), costs a pass over the table.


def _ordered(table: pd.DataFrame, columns: list[str]) -> pd.Series:
    """True where the present values of ``columns`` never decrease (NaN is skipped)."""
    values = table[columns].to_numpy(dtype=float)
    ok = np.ones(len(table), dtype=bool)
    with np.errstate(invalid="ignore"):
        for lower, upper in itertools.combinations(range(len(columns)), 2):
            ok &= ~(values[:, lower] > values[:, upper])
    return pd.Series(ok, index=table.index)


# The columns each table-wide rule reads, shown when it fails.
_RULE_COLUMNS = {
    "ta_min <= ta_avg <= ta_max": ["ta_min", "ta_avg", "ta_max"],
    "0 <= pm10_min <= pm10_avg <= pm10_max": ["pm10_min", "pm10_avg", "pm10_max"],
    "PM10 values all present or all empty": list(PM10_COLUMNS),
    "PM10 values need kept readings": ["pm10_avg", "pm10_n_valid"],
    "no PM10 before 2008-04-28": [*PM10_COLUMNS, "pm10_n_valid", "flags"],
    WIND_COMPONENTS_RULE: ["ws_max", "wd_max", "ws_max_u", "ws_max_v"],
    **{rule.name: list(rule.reads) for rule in RULES},
}


def _violations(table: pd.DataFrame, failures: pd.DataFrame) -> list[Violation]:
    """One violation per day and rule (pandera lists a table-wide rule once per column)."""
    found: dict[tuple[date | None, str], Violation] = {}
    for failure in failures.itertuples(index=False):
        row = table.loc[failure.index] if failure.index in table.index else None
        day = _day_of(row)
        rule = str(failure.check)
        if rule in _RULE_COLUMNS and row is not None:
            detail = ", ".join(f"{c}={_show(row[c])}" for c in _RULE_COLUMNS[rule] if c in row)
        else:
            if isinstance(failure.column, str) and failure.column in table.columns:
                rule = f"{failure.column} {rule}"
            detail = f"found {_show(failure.failure_case)}"
        found.setdefault((day, rule), Violation(day, rule, detail))
    return sorted(found.values(), key=lambda v: (v.day or date.min, v.rule))


def _day_of(row: pd.Series | None) -> date | None:
    if row is None or not isinstance(row, pd.Series) or "date" not in row:
        return None
    stamp = row["date"]
    return stamp.date() if isinstance(stamp, pd.Timestamp) and pd.notna(stamp) else None


def _show(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (float, np.floating)):
        return "empty" if np.isnan(value) else f"{float(value):g}"
    return repr(value)

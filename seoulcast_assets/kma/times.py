"""KMA time stamps (``YYYYMMDD`` and ``YYYYMMDDHHMI``, KST) to numpy datetimes, vectorised.

``pd.to_datetime(format=...)`` takes tens of milliseconds for a month of 5-minute readings;
splitting the digits arithmetically and building ``datetime64`` values takes well under one.
"""

from __future__ import annotations

import numpy as np


def kma_times(stamps: np.ndarray, *, with_time: bool) -> tuple[np.ndarray, np.ndarray]:
    """``(times, valid)``: naive KST ``datetime64[ns]`` values and a mask of real calendar times.

    ``stamps`` holds the digits as integers (``202607011800`` with ``with_time``, else
    ``20260701``). Invalid stamps (month 13, 30 February, 24:00) get ``valid == False``.
    """
    stamps = np.asarray(stamps, dtype=np.int64)
    if with_time:
        minute, hour, days_part = stamps % 100, stamps // 100 % 100, stamps // 10_000
    else:
        minute = hour = np.zeros_like(stamps)
        days_part = stamps
    day, month, year = days_part % 100, days_part // 100 % 100, days_part // 10_000
    valid = (
        (year >= 1000)
        & (year <= 9999)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (hour < 24)
        & (minute < 60)
    )
    months = np.where(valid, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + np.where(valid, day - 1, 0).astype("timedelta64[D]")
    valid &= days.astype("datetime64[M]") == months  # day 31 of a 30-day month spills over
    minutes = np.where(valid, hour * 60 + minute, 0).astype("timedelta64[m]")
    return (days.astype("datetime64[m]") + minutes).astype("datetime64[ns]"), valid

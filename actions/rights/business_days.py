"""Business days: Monday to Friday, less California holidays.

Which holidays count is not settled in law; we use what the `holidays` package
lists for US/CA with its default categories, and always show the ones skipped.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _california_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.US(subdiv="CA", years=year).items())


def holiday_name(day: dt.date) -> str | None:
    return _california_holidays(day.year).get(day)


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def add_business_days(start: dt.date, count: int) -> dt.date:
    """The `count`-th business day after `start` (start itself not counted)."""
    day = start
    while count > 0:
        day += ONE_DAY
        if is_business_day(day):
            count -= 1
    return day


def business_days_between(after: dt.date, until: dt.date) -> int:
    """Business days in the half-open range (after, until]; 0 if until <= after."""
    days = 0
    day = after + ONE_DAY
    while day <= until:
        days += is_business_day(day)
        day += ONE_DAY
    return days


def weekday_holidays_between(after: dt.date, until: dt.date) -> list[tuple[dt.date, str]]:
    """Holidays on weekdays in (after, until]: the ones that moved a deadline."""
    found = []
    for year in range(after.year, until.year + 1):
        for day, name in sorted(_california_holidays(year).items()):
            if after < day <= until and day.weekday() < 5:
                found.append((day, name))
    return found

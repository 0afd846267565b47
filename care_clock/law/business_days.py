"""Business days: Monday to Friday, less the holidays in seeds/holidays.yml.

No rule defines which holidays a "business day" skips, so there are two
calendars. The deadline calendar skips only days closed under every schedule
(federal and California state offices alike); the latest calendar skips a day
closed under any of them, which gives the latest deadline a plan could argue.
A weekday closed under one schedule only is a disputed day.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from care_clock.facts import Guidance, Holiday, Schedule, load_guidance

ONE_DAY = dt.timedelta(days=1)
SATURDAY, SUNDAY = 5, 6


def holiday_date(holiday: Holiday, year: int) -> dt.date | None:
    """The holiday itself in `year`, before any weekend move; None for a one-off of another year."""
    if holiday.year is not None and holiday.year != year:
        return None
    if holiday.day is not None:
        day = dt.date(year, holiday.month, holiday.day)
    else:
        # The nth weekday of the month: facts._holiday_date sets both when it sets no day.
        assert holiday.weekday is not None and holiday.nth is not None
        if holiday.nth > 0:
            first = dt.date(year, holiday.month, 1)
            day = first + dt.timedelta(days=(holiday.weekday - first.weekday()) % 7 + 7 * (holiday.nth - 1))
        else:
            last = dt.date(year, holiday.month, month_calendar.monthrange(year, holiday.month)[1])
            day = last - dt.timedelta(days=(last.weekday() - holiday.weekday) % 7 + 7 * (-holiday.nth - 1))
    return day + dt.timedelta(days=holiday.days_after)


def observed_date(holiday: Holiday, schedule: Schedule, year: int) -> dt.date | None:
    """The day `schedule`'s offices close for the holiday of `year` (None: not a holiday that year)."""
    day = holiday_date(holiday, year)
    if day is None or not holiday.counts_on(day):
        return None
    if day.weekday() == SUNDAY and schedule.sunday_to_monday:
        return day + ONE_DAY
    moves = holiday.saturday_to_friday
    if day.weekday() == SATURDAY and (schedule.id in moves if moves is not None else schedule.saturday_to_friday):
        return day - ONE_DAY
    return day


def _closures(holidays: tuple[Holiday, ...], schedule: Schedule, year: int) -> dict[dt.date, str]:
    closed = {}
    for holiday in holidays:
        if schedule.id not in holiday.closes:
            continue
        for of_year in (year, year + 1):  # New Year's Day can be observed on December 31
            day = observed_date(holiday, schedule, of_year)
            if day is not None and day.year == year:
                moved = day != holiday_date(holiday, of_year)
                closed[day] = holiday.name + (" (observed)" if moved else "")
    return closed


@dataclass(frozen=True)
class Calendar:
    """Closures under every schedule (`need_all`, the deadline) or under any (the latest deadline)."""

    holidays: tuple[Holiday, ...]
    schedules: tuple[Schedule, ...]
    need_all: bool
    _years: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def _closed(self, year: int) -> list[dict[dt.date, str]]:
        if year not in self._years:
            self._years[year] = [_closures(self.holidays, s, year) for s in self.schedules]
        return self._years[year]

    def closed_by(self, day: dt.date) -> list[Schedule]:
        return [s for s, closed in zip(self.schedules, self._closed(day.year)) if day in closed]

    def holiday_name(self, day: dt.date) -> str | None:
        names = [closed[day] for closed in self._closed(day.year) if day in closed]
        if not names or (self.need_all and len(names) < len(self.schedules)):
            return None
        return names[0]


@lru_cache(maxsize=8)
def _calendar(holidays: tuple[Holiday, ...], schedules: tuple[Schedule, ...], need_all: bool) -> Calendar:
    return Calendar(holidays, schedules, need_all)


def deadline_calendar(guidance: Guidance | None = None) -> Calendar:
    """Days every office schedule closes for: the deadline we judge by."""
    guidance = guidance or load_guidance()
    return _calendar(guidance.holidays, tuple(s for s in guidance.schedules if s.closes_offices), True)


def latest_calendar(guidance: Guidance | None = None) -> Calendar:
    """Days any schedule names, the state's list of holidays with open offices included: the latest a plan
    could argue, so that "late under any count" holds whatever a plan counts."""
    guidance = guidance or load_guidance()
    return _calendar(guidance.holidays, guidance.schedules, False)


def holiday_name(day: dt.date, calendar: Calendar | None = None) -> str | None:
    return (calendar or deadline_calendar()).holiday_name(day)


def is_business_day(day: dt.date, calendar: Calendar | None = None) -> bool:
    return day.weekday() < SATURDAY and holiday_name(day, calendar) is None


def add_business_days(start: dt.date, count: int, calendar: Calendar | None = None) -> dt.date:
    """The `count`-th business day after `start` (start itself not counted)."""
    calendar = calendar or deadline_calendar()
    day = start
    while count > 0:
        day += ONE_DAY
        if is_business_day(day, calendar):
            count -= 1
    return day


def business_days_between(after: dt.date, until: dt.date, calendar: Calendar | None = None) -> int:
    """Business days in the half-open range (after, until]; 0 if until <= after."""
    calendar = calendar or deadline_calendar()
    days = 0
    day = after + ONE_DAY
    while day <= until:
        days += is_business_day(day, calendar)
        day += ONE_DAY
    return days


def _weekdays(after: dt.date, until: dt.date):
    day = after + ONE_DAY
    while day <= until:
        if day.weekday() < SATURDAY:
            yield day
        day += ONE_DAY


def weekday_holidays_between(
    after: dt.date, until: dt.date, calendar: Calendar | None = None
) -> list[tuple[dt.date, str]]:
    """Holidays on weekdays in (after, until]: the ones that moved a deadline."""
    calendar = calendar or deadline_calendar()
    return [(day, name) for day in _weekdays(after, until) if (name := calendar.holiday_name(day))]


def disputed_days_between(
    after: dt.date, until: dt.date, guidance: Guidance | None = None
) -> list[tuple[dt.date, str]]:
    """Weekdays in (after, until] closed under some schedules but not all, named with who closes:
    'Juneteenth, federal offices only'."""
    everyone, anyone = deadline_calendar(guidance), latest_calendar(guidance)
    disputed = []
    for day in _weekdays(after, until):
        name = anyone.holiday_name(day)
        if name and everyone.holiday_name(day) is None:
            schedules = anyone.closed_by(day)
            offices = " and ".join(s.label for s in schedules if s.closes_offices)
            laws = [s.label for s in schedules if not s.closes_offices]
            who = ", ".join(([f"{offices} only"] if offices else []) + laws)
            disputed.append((day, f"{name.replace(' (observed)', ' observed')}, {who}"))
    return disputed

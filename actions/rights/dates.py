"""Reading dates the way a patient writes them.

parsedatetime finds and reads the date phrases ("Oct 28", "10/28/24", "last
Monday", "2 weeks ago"); its accuracy flags tell us whether a year or month was
written. What it leaves open, the year of "Oct 28" or the month of "the 4th",
we settle the way a person would: a visit that already happened is the most
recent such day, an offered date is the first such day after the visit.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import parsedatetime
from dateutil import parser as dateutil_parser

from .errors import InputError

_CALENDAR = parsedatetime.Calendar(parsedatetime.Constants("en_US"), version=parsedatetime.VERSION_CONTEXT_STYLE)
_ACU = parsedatetime.pdtContext
_ORDINAL_DAY = re.compile(r"\b(?:the\s+)(\d{1,2})(?:st|nd|rd|th)?\b|\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_WEEKDAYS = {name.lower() for name in calendar.day_name} | {name.lower() for name in calendar.day_abbr}
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
EXAMPLE = 'for example "Oct 28", "10/28/2024" or "last Monday"'


@dataclass(frozen=True)
class DateMention:
    """One date phrase found in a message, before its role is known."""

    start: int
    end: int
    text: str
    value: dt.datetime | None  # as read relative to now; None if it names no real day
    year_given: bool = True
    month_given: bool = True
    relative: bool = False  # "yesterday", "2 weeks ago": fixed by today, not by role
    bare_weekday: bool = False  # "Monday": which Monday depends on the role
    time_given: bool = False


def _mention(start, end, text, value, accuracy) -> DateMention:
    if not accuracy:
        return DateMention(start, end, text.strip(), None)
    has = lambda flag: bool(accuracy & flag)  # noqa: E731
    return DateMention(
        start,
        end,
        text.strip(),
        value,
        year_given=has(_ACU.ACU_YEAR),
        month_given=has(_ACU.ACU_MONTH),
        relative=not has(_ACU.ACU_MONTH),
        bare_weekday=text.strip().lower() in _WEEKDAYS,
        time_given=has(_ACU.ACU_HOUR) or has(_ACU.ACU_MIN) or has(_ACU.ACU_HALFDAY),
    )


def find_dates(text: str, now: dt.datetime) -> list[DateMention]:
    """Every date phrase in `text`, in order of appearance."""
    mentions = []
    for value, context, start, end, phrase in _CALENDAR.nlp(text, sourceTime=now) or ():
        mentions.append(_mention(start, end, phrase, value, context.accuracy))
    covered = [(m.start, m.end) for m in mentions]
    for match in _ORDINAL_DAY.finditer(text):
        if any(s <= match.start() < e or s < match.end() <= e for s, e in covered):
            continue
        day = int(match.group(1) or match.group(2))
        if 1 <= day <= 31:
            value = dt.datetime(now.year, now.month, 1).replace(day=min(day, 28))
            mentions.append(DateMention(match.start(), match.end(), match.group(0), value, False, False))
    return sorted(mentions, key=lambda m: m.start)


def _month_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_in_months(day: int, start: dt.date, step: int) -> dt.date:
    """The first date with this day of the month, walking month by month from `start`."""
    year, month = start.year, start.month
    for _ in range(14):
        candidate = _month_day(year, month, day)
        if candidate and (candidate <= start if step < 0 else candidate >= start):
            return candidate
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    raise InputError(f"No month has a day {day}; please write the date in full, {EXAMPLE}.")


def resolve(mention: DateMention, today: dt.date, after: dt.date | None = None) -> dt.date:
    """The calendar day a mention means.

    after=None: something that already happened: the most recent such day up to today.
    after=<date>: something that comes after that date: the first such day on or after it.
    """
    if mention.value is None:
        raise InputError(f'"{mention.text}" is not a real date; please check it, {EXAMPLE}.')
    value = mention.value.date()
    if mention.year_given or mention.relative and not mention.bare_weekday:
        resolved = value
    elif mention.bare_weekday:
        base = today if after is None else max(after, today)
        shift = (value.weekday() - base.weekday()) % 7
        resolved = base - dt.timedelta(days=(7 - shift) % 7) if after is None else base + dt.timedelta(days=shift)
    elif not mention.month_given:
        resolved = _day_in_months(value.day, today if after is None else after, -1 if after is None else 1)
    else:
        base = today if after is None else after
        step = -1 if after is None else 1
        resolved = None
        for year in range(base.year, base.year + 9 * step, step):
            candidate = _month_day(year, value.month, value.day)
            if candidate and (candidate <= base if step < 0 else candidate >= base):
                resolved = candidate
                break
        if resolved is None:
            raise InputError(f'"{mention.text}" is not a real date; please check it, {EXAMPLE}.')
    if not EARLIEST_YEAR <= resolved.year <= LATEST_YEAR:
        raise InputError(f"{resolved.year} is outside the years I can check ({EARLIEST_YEAR} to {LATEST_YEAR}).")
    return resolved


def resolve_datetime(mention: DateMention, today: dt.date, after: dt.date | None = None) -> dt.datetime:
    """Like resolve, keeping the time of day when one was written (else midnight)."""
    day = resolve(mention, today, after)
    clock = mention.value.time() if mention.time_given else dt.time(0, 0)
    return dt.datetime.combine(day, clock)


def read_date(text: str, now: dt.datetime, after: dt.date | None = None) -> dt.date:
    """The single date in a short answer such as "Oct 28" or "last Monday"."""
    mentions = find_dates(text, now)
    if not mentions:
        raise InputError(f"I could not find a date in that; please write it like {EXAMPLE}.")
    return resolve(mentions[0], now.date(), after)


def parse_cli_date(text: str) -> dt.date:
    """A date written in full on the command line: 2024-10-28, 10/28/2024 or Oct 28 2024."""
    try:
        parsed = dateutil_parser.parse(text, dayfirst=False, yearfirst=False, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError):
        raise InputError(f"{text!r} is not a date; write it as 2024-10-28, 10/28/2024 or Oct 28 2024.") from None
    if parsed.year == 1:
        raise InputError(f"{text!r} has no year; write it as 2024-10-28, 10/28/2024 or Oct 28 2024.")
    return parsed.date()


def parse_cli_datetime(text: str) -> dt.datetime:
    """A date and time for urgent requests: '2024-11-04 15:00' (midnight if no time)."""
    try:
        parsed = dateutil_parser.parse(text, dayfirst=False, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError):
        raise InputError(f"{text!r} is not a date and time; write it as '2024-11-04 15:00'.") from None
    if parsed.year == 1:
        raise InputError(f"{text!r} has no year; write it as '2024-11-04 15:00'.")
    return parsed.replace(tzinfo=None)

"""Reading dates the way a patient writes them.

parsedatetime finds and reads the date phrases ("Oct 28", "10/28/24", "last
Monday", "2 weeks ago"); its accuracy flags tell us whether a year or month was
written. What it leaves open, the year of "Oct 28" or the month of "the 30th",
we settle the way a person would: a visit that already happened is the most
recent such day, an offered date is the first such day after the visit.

parsedatetime alone misreads patients' messages in a few known ways, so the
text is prepared first (same length, so every offset still points into the
patient's words):
- what it gets wrong we read ourselves: ISO dates (it reads "0001-01-01" as
  2001 and "2024-10-28T25:61" as 20:24 today), "the 30th", "this week";
- numbers that are not dates are blanked: phone numbers, dollar amounts,
  member ids, durations ("10 business days", "48 hours"), and a year written
  alone ("in 2024"), which it reads as the time 20:24; such a year instead
  sets the year of the message's other dates;
- it is run on one clause at a time: on a whole message it joins dates across
  clauses ("11/16 at 9am, they said earliest is 11/19" became one moment) and
  its cost grows with the square of the text's length.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeGuard

import parsedatetime
from dateutil import parser as dateutil_parser

from care_clock.errors import InputError
from care_clock.reading.named_days import find_named_days
from care_clock.writing.wording import Worded

_CALENDAR = parsedatetime.Calendar(parsedatetime.Constants("en_US"), version=parsedatetime.VERSION_CONTEXT_STYLE)
_ACU = parsedatetime.pdtContext
_DAY_FLAGS = _ACU.ACU_YEAR | _ACU.ACU_MONTH | _ACU.ACU_WEEK | _ACU.ACU_DAY | _ACU.ACU_NOW
_TIME_FLAGS = _ACU.ACU_HALFDAY | _ACU.ACU_HOUR | _ACU.ACU_MIN | _ACU.ACU_SEC
EARLIEST_YEAR, YEARS_AHEAD = 2000, 2  # a sane window: 2000 to two years after today
EXAMPLE = 'for example "Oct 28", "10/28/2024" or "last Monday"'
# Past this many clauses with a date word, or this many dates, a message is not a patient's story: stop reading.
MAX_CLAUSES_READ, MAX_DATES_READ = 40, 40
_CLAUSE_LENGTH = 100  # a clause with no punctuation is cut near this length, between words

MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
WEEKDAYS = r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
MONTH_NUMBER = {name[:3].lower(): i for i, name in enumerate(calendar.month_abbr) if name}
WEEKDAY_NUMBER = {name[:3].lower(): i for i, name in enumerate(calendar.day_abbr)}
# How far "Wednesday 13" looks for a month where the 13th is a Wednesday before it takes the 13th alone.
WEEKDAY_MONTHS = 4

_ISO = re.compile(r"(?<![\w/.-])(\d{3,6})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?(?!\d)")
# A part of the day is no time of day ("yesterday morning" is not 6:00); "this morning" is today.
_PART_OF_TODAY = re.compile(r"\b(?:this\s+(?:morning|afternoon|evening)|tonight|(last)\s+night)\b", re.IGNORECASE)
_PART_OF_DAY = re.compile(
    r"\b(?:in\s+the\s+)?(?:morning|afternoon|evening|night)\b"
    r"|\b(?:(?:around|at|after|before|by|right\s+(?:before|after))\s+)?lunch(?:\s*time)?\b",  # "around lunch": no hour
    re.IGNORECASE,
)
# "this Wednesday" (not "this Wednesday the 20th", read whole elsewhere)
_THIS_WEEKDAY = re.compile(
    r"\bthis\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?!\s*,?\s*(?:the\s+)?\d)", re.IGNORECASE
)
_NOT_THIS_WEEK = re.compile(r"\bnot\s+(?:this|last|next|that)\s+week\b", re.IGNORECASE)
_WEEK = re.compile(r"\b(this|last|next|past|previous)\s+week\b", re.IGNORECASE)
_ORDINAL = re.compile(
    rf"\b(3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)\b(?:\s+of\s+({MONTHS})\b\.?(?:,?\s+((?:19|20)\d{{2}})\b)?)?"
    # an ordinal that counts things is not a day: "my 10th session", "the 10th business day"
    r"(?!\s+(?:business|calendar|working|days?|sessions?|appointments?|visits?|times?|weeks?|months?|years?|"
    r"floor|grade|birthday|place|call|attempt|try|request|referral|opinion|option|therapist|doctor|one))",
    re.IGNORECASE,
)
# "Wednesday 13", "martes 19" once in English: a weekday with the day of the month, and no month. Not
# "Friday 3pm", "Monday 11/18", "Tuesday 5 December" (those are read whole elsewhere), nor "sat 2 hours".
_WEEKDAY_DAY = re.compile(
    rf"\b({WEEKDAYS})\.?\s*,?\s+(?:the\s+)?(3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b"
    rf"(?!\s*(?:[ap]\.?m\b|:\d|[/.-]\d|%|(?:{MONTHS})\b|of\b|business|calendar|working|days?\b|hours?|hrs?\b|"
    r"weeks?|months?|minutes?|mins?\b|years?|times?))",
    re.IGNORECASE,
)
_AFTER_MONTH = re.compile(rf"\b(?:{MONTHS})\.?\s*$", re.IGNORECASE)
_NUMBER = (
    r"\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty[- ]?eight|seventy[- ]?two|few|couple(?: of)?"
)
_DURATION = re.compile(
    rf"(?P<pre>\bin\s+)?\b(?:{_NUMBER})\s*-?\s*(?P<kind>business|calendar|working)?\s*-?\s*"
    r"(?P<unit>days?|hours?|hrs?|weeks?|wks?|months?|minutes?|mins?|years?|yrs?)\b"
    r"(?P<post>\s+(?:ago|back|from (?:now|today)|later))?",
    re.IGNORECASE,
)
_NOT_DATES = re.compile(
    r"(?<!\d)(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])?\d{3}[\s.-]\d{4}(?!\d)"  # phone numbers
    r"|\$\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?(?:dollars|bucks|usd)\b"  # money
    r"|\b(?:member|subscriber|policy|mrn|record|account|case|claim|reference|confirmation|id)\s*"
    r"(?:number|no\.?|num|id|#)?\s*[:#]?\s*(?=[\w-]*\d)[\w-]+"  # "member id 1234"
    r"|#\s?\d+"
    rf"|\b(?:every|each|cada)\s+(?:other\s+)?(?:{WEEKDAYS})s?\b"  # "every thursday since": a rhythm, not a day
    rf"|\b(?:on\s+)?(?:a|one|some)\s+(?:{WEEKDAYS})\b(?!\s*,?\s*(?:the\s+)?\d)"  # "on a Saturday": which one is not said
    r"|(?<![\w/.:-])(?=[a-z]*\d)(?![01]?\d{3}[ap]m\b)[a-z\d]{5,}(?![\w/])",  # long ids: "M12345678", "98765"
    re.IGNORECASE,
)
_YEAR_ALONE = re.compile(r"(?<![\w/.:-])(?:1[89]|2\d)\d{2}(?![\w/:-]|\.\d)")
_YEAR_IN_DATE = re.compile(rf"(?:\b(?:{MONTHS})\.?|\d(?:st|nd|rd|th)?)\s*,?\s*$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(
    r"[;!?\n]|,(?!\s*\d{4}\b)|\.(?=\s)|\b(?:and|but|then|so|because|when|while)\b", re.IGNORECASE
)
_WORD_START = re.compile(r"(?<=\s)[^\W\d]")
_NO_BREAK_AFTER = re.compile(rf"\b(?:{MONTHS}|{WEEKDAYS})$", re.IGNORECASE)  # "Dec. 3", "Tuesday, Nov 5"
_DATE_WORD = re.compile(
    rf"\b(?:{MONTHS}|{WEEKDAYS}|today|tonight|yesterday|tomorrow|weeks?|days?|months?|ago)\b"
    r"|\d\s*[/.-]\s*\d|\d\s*[ap]m\b|\d:\d\d",
    re.IGNORECASE,
)
_LOOKS_LIKE_DATE = re.compile(rf"\b(?:{MONTHS})\b|\d\s*[/.-]\s*\d", re.IGNORECASE)
_AM_PM = re.compile(r"\b([ap])\.m\.", re.IGNORECASE)
# "tomorrow June 3", "mañana 3 de junio": the written date says the same day; read apart, the
# written one is kept (parsedatetime reads the pair as the day after June 3)
_RELATIVE_THEN_DATE = re.compile(rf"\b(today|tomorrow|yesterday|tonight)\s(?=(?:{MONTHS})\b|\d)", re.IGNORECASE)
_SEPT = re.compile(r"\b(sep)t(\.?)(?![a-z])", re.IGNORECASE)  # "sept 8": parsedatetime knows only "sep"
_CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])")
_TIME_JOINS_DATE = re.compile(r"[\s,]*(?:at|around|about|by|@)?\s*")
_DATE_JOINS_TIME = re.compile(r"\s*,?\s*(?:on|,)?\s*")
_WEEKDAY_BEFORE_DATE = re.compile(r"\s*,?\s*(?:the\s+)?")
_DOB_BEFORE = re.compile(r"\b(?:dob|d\.o\.b|date of birth|birth ?date|birthday|born)\b[^.;!?\n]{0,25}$", re.IGNORECASE)
_DOB_AFTER = re.compile(
    r"^[\s,]*(?:is|was|=)?\s*(?:my|his|her|their)\s+(?:birthday|dob|date of birth|birth ?date)", re.IGNORECASE
)
_WEEKDAY_WORD = re.compile(rf"\b(?:{WEEKDAYS})\b", re.IGNORECASE)
_WEEKDAY_FIXED = re.compile(r"\b(?:last|next|this|past|coming|ago|after|before)\b", re.IGNORECASE)
_ENGLISH_WORDS = {"sat", "sun"}  # "I sat down" is not a Saturday


@dataclass(frozen=True)
class DateMention:
    """One date phrase found in a message, before its role is known."""

    start: int
    end: int
    text: str
    value: dt.datetime | None  # as read relative to now; None if it names no real day (see `problem`)
    year_given: bool = True
    month_given: bool = True
    relative: bool = False  # "yesterday", "2 weeks ago": fixed by today, not by role
    bare_weekday: bool = False  # "Monday": which Monday depends on the role
    time_given: bool = False  # a time of day was written ("at 9am"); else the value's time means nothing
    day_of_month: int | None = None  # "the 30th": the month depends on the role
    weekday: int | None = None  # "Wednesday 13": a month in which the 13th is a Wednesday, when one is near
    year_hint: int | None = None  # a year written alone in the message ("in 2024"), tried first
    approximate: bool = False  # a range read as one day ("this week"): worth confirming with the patient
    last_day: dt.date | None = None  # the range's last day when approximate; value is its first day
    problem: str | None = None  # why value is None, in one line for the patient
    named: bool = False  # told by a named day ("the Thursday before Thanksgiving"): exact, weekday or not


def _year_problem(year: int, today: dt.date, text: str) -> Worded | None:
    latest = today.year + YEARS_AHEAD
    if EARLIEST_YEAR <= year <= latest:
        return None
    return Worded(
        "year_outside",
        '"{text}": the year {year} is outside the years I can check ({earliest} to {latest}); please check the date.',
        text=text,
        year=year,
        earliest=EARLIEST_YEAR,
        latest=latest,
    )


def _clock_problem(text: str) -> str | None:
    """Why a time written in `text` cannot be ("25:61"), or None."""
    for clock in _CLOCK.finditer(text):
        hour, minute, second = (int(clock.group(i) or 0) for i in (1, 2, 3))
        if not (hour < 24 and minute < 60 and second < 60):
            return Worded("not_a_time", '"{text}" is not a time of day; please check it.', text=clock.group(0))
    return None


def _not_real(text: str) -> Worded:
    # The Spanish words leave out the text: in a Spanish chat it is the English rewrite of what was written.
    return Worded(
        "not_a_real_date", '"{text}" is not a real date; please check it, {example}.', text=text, example=EXAMPLE
    )


def _iso_mention(match: re.Match, now: dt.datetime) -> DateMention:
    """2024-10-28 or 2024-10-28T09:30, checked field by field (parsedatetime guesses instead)."""
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    hour, minute, second = (int(match.group(i) or 0) for i in (4, 5, 6))
    text, start, end = match.group(0), match.start(), match.end()
    problem = _year_problem(year, now.date(), text) or _clock_problem(text)
    if problem is None:
        try:
            value = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            problem = _not_real(text)
    if problem:
        return DateMention(start, end, text, None, problem=problem)
    return DateMention(start, end, text, value, time_given=match.group(4) is not None)


def _week_mention(match: re.Match, now: dt.datetime) -> DateMention:
    """ "this week", "last week": a range; resolve picks a day in it and flags it approximate."""
    shift = {"this": 0, "next": 1}.get(match.group(1).lower(), -1)
    monday = now.date() - dt.timedelta(days=now.weekday()) + dt.timedelta(weeks=shift)
    return DateMention(
        match.start(),
        match.end(),
        match.group(0),
        dt.datetime.combine(monday, dt.time()),
        approximate=True,
        last_day=monday + dt.timedelta(days=6),
    )


def _day_fixed_by_today(match: re.Match, day: dt.date) -> DateMention:
    """A phrase that names one day counted from today, like "yesterday"."""
    return DateMention(
        match.start(),
        match.end(),
        match.group(0),
        dt.datetime.combine(day, dt.time()),
        year_given=False,
        month_given=False,
        relative=True,
    )


def _this_weekday(match: re.Match, now: dt.datetime) -> DateMention:
    """ "this Wednesday", "este miércoles": that day of the current week (Monday to Sunday), gone or coming."""
    monday = now.date() - dt.timedelta(days=now.weekday())
    return _day_fixed_by_today(match, monday + dt.timedelta(days=WEEKDAY_NUMBER[match.group(1)[:3].lower()]))


def _part_of_today(match: re.Match, now: dt.datetime) -> DateMention:
    """ "this morning", "tonight": today; "last night": yesterday. A time written with it joins it."""
    return _day_fixed_by_today(match, now.date() - dt.timedelta(days=1 if match.group(1) else 0))


def _weekday_day_mention(match: re.Match, now: dt.datetime) -> DateMention | None:
    """ "Wednesday 13": the 13th, in the nearest month where it is a Wednesday."""
    word, day = match.group(1).lower(), int(match.group(2))
    if word in _ENGLISH_WORDS:
        return None
    weekday = WEEKDAY_NUMBER[word[:3]]
    latest = _day_in_months(day, now.date(), -1, weekday)
    return DateMention(
        match.start(),
        match.end(),
        match.group(0),
        dt.datetime.combine(latest, dt.time()),
        year_given=False,
        month_given=False,
        day_of_month=day,
        weekday=weekday,
    )


def _ordinal_mention(match: re.Match, now: dt.datetime) -> DateMention:
    """ "the 30th" (month open), or "the 4th of December" (year open unless written)."""
    day, month_name, year = int(match.group(1)), match.group(2), match.group(3)
    text, start, end = match.group(0), match.start(), match.end()
    if month_name is None:
        latest = _day_in_months(day, now.date(), -1)
        return DateMention(
            start,
            end,
            text,
            dt.datetime.combine(latest, dt.time()),
            year_given=False,
            month_given=False,
            day_of_month=day,
        )
    month = MONTH_NUMBER[month_name[:3].lower()]
    try:
        value = dt.datetime(int(year) if year else now.year, month, day)
    except ValueError:
        return DateMention(start, end, text, None, problem=_not_real(text))
    return DateMention(start, end, text, value, year_given=bool(year))


# "In August I asked for a psychiatrist (on the 12th)": a month named alone gives "the 12th" its month.
_MONTH_ALONE = re.compile(
    rf"\b(?:in|during|back in|early|late|mid|en|desde)\s+({MONTHS})\b\.?(?!\s*(?:\d|the\s+\d))", re.IGNORECASE
)
MONTH_CONTEXT_CHARS = 100


def _in_named_month(mention: DateMention, text: str, now: dt.datetime) -> DateMention:
    """A day of the month alone takes the month named alone before it in the same sentence."""
    if mention.day_of_month is None:
        return mention
    window = text[max(0, mention.start - MONTH_CONTEXT_CHARS) : mention.start]
    window = re.split(r"[.!?;]\s", window)[-1]
    named = list(_MONTH_ALONE.finditer(window))
    if not named:
        return mention
    month = MONTH_NUMBER[named[-1].group(1)[:3].lower()]
    try:
        value = dt.datetime(now.year, month, mention.day_of_month)
    except ValueError:
        return replace(mention, value=None, problem=_not_real(mention.text))
    return replace(mention, value=value, month_given=True, day_of_month=None, weekday=None)


def _blank(text: str, spans) -> str:
    """`text` with the given spans replaced by spaces (offsets unchanged)."""
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], " " * (end - start)]
        last = end
    return "".join(pieces) + text[last:]


def _keeps_duration(match: re.Match) -> bool:
    """ "2 weeks ago", "in 3 weeks" name a day; "10 business days", "48 hours", "15 days" do not."""
    if match.group("post"):
        return True
    unit = match.group("unit").lower()
    return bool(match.group("pre")) and not match.group("kind") and unit[0] in "dwm" and not unit.startswith("min")


def _years_alone(text: str) -> list[re.Match]:
    """Years written without a day ("in 2024", "back in 2025"), not the year of "Dec 20, 2024"."""
    return [m for m in _YEAR_ALONE.finditer(text) if not _YEAR_IN_DATE.search(text[max(0, m.start() - 14) : m.start()])]


def _own_mentions(text: str, now: dt.datetime) -> tuple[list[DateMention], str, list[tuple[int, int]]]:
    """Mentions read without parsedatetime, the text left for it, and (place, year) of the
    years written alone that are inside the window."""
    mentions = [_iso_mention(m, now) for m in _ISO.finditer(text)]
    text = _blank(text, [(m.start, m.end) for m in mentions])
    named = [
        DateMention(d.start, d.end, d.text, dt.datetime.combine(d.day, dt.time()), relative=True, named=True)
        for d in find_named_days(text, now.date())
    ]  # "the day after Halloween": a day fixed by today, like "yesterday"
    mentions += named
    text = _blank(text, [(m.start, m.end) for m in named])
    text = _blank(text, [m.span() for m in _NOT_THIS_WEEK.finditer(text)])  # "not this week": not meant
    relative_days = [_week_mention(m, now) for m in _WEEK.finditer(text)]
    relative_days += [_part_of_today(m, now) for m in _PART_OF_TODAY.finditer(text)]
    relative_days += [_this_weekday(m, now) for m in _THIS_WEEKDAY.finditer(text)]
    text = _blank(text, [(m.start, m.end) for m in relative_days])
    text = _blank(text, [m.span() for m in _PART_OF_DAY.finditer(text)])
    text = _blank(text, [m.span() for m in _DURATION.finditer(text) if not _keeps_duration(m)])
    text = _blank(text, [m.span() for m in _NOT_DATES.finditer(text)])
    alone = _years_alone(text)
    text = _blank(text, [m.span() for m in alone])
    weekday_days = [m for m in (_weekday_day_mention(m, now) for m in _WEEKDAY_DAY.finditer(text)) if m]
    text = _blank(text, [(m.start, m.end) for m in weekday_days])
    ordinals = [
        _ordinal_mention(m, now)
        for m in _ORDINAL.finditer(text)
        if not _AFTER_MONTH.search(text[max(0, m.start() - 12) : m.start()])
    ]  # "Dec 20th" is parsedatetime's
    ordinals = [_in_named_month(m, text, now) for m in ordinals]
    text = _blank(text, [(m.start, m.end) for m in ordinals])
    text = _AM_PM.sub(lambda m: m.group(1) + "m  ", text)  # "9 a.m." -> "9 am  "
    text = _SEPT.sub(lambda m: m.group(1) + m.group(2) + " ", text)  # same length: places stay
    text = _RELATIVE_THEN_DATE.sub(lambda m: m.group(1) + ",", text)  # a clause break, same length
    hints = [(m.start(), int(m.group(0))) for m in alone if not _year_problem(int(m.group(0)), now.date(), "")]
    return mentions + relative_days + weekday_days + ordinals, text, hints


def _clauses(text: str):
    """(start, end) of each clause: parsedatetime reads one at a time."""
    start = 0
    for brk in _CLAUSE_BREAK.finditer(text):
        if _NO_BREAK_AFTER.search(text[max(0, brk.start() - 12) : brk.start()]):
            continue
        yield from _cut_long(text, start, brk.start())
        start = brk.end()
    yield from _cut_long(text, start, len(text))


def _cut_long(text: str, start: int, end: int):
    """Pieces of at most _CLAUSE_LENGTH, cut before a word (not before "28" in "Oct 28")."""
    while end - start > _CLAUSE_LENGTH:
        window = text[start + _CLAUSE_LENGTH // 2 : start + _CLAUSE_LENGTH]
        words = [m.start() for m in _WORD_START.finditer(window)]
        cut = start + _CLAUSE_LENGTH // 2 + words[-1] if words else start + _CLAUSE_LENGTH
        yield start, cut
        start = cut
    yield start, end


def _parsed(original: str, prepared: str, now: dt.datetime) -> list[tuple[DateMention, int]]:
    """parsedatetime's mentions, clause by clause, with their accuracy flags."""
    found: list[tuple[DateMention, int]] = []
    read = 0
    for start, end in _clauses(prepared):
        clause = prepared[start:end]
        if not _DATE_WORD.search(clause):
            continue
        read += 1
        if read > MAX_CLAUSES_READ or len(found) >= MAX_DATES_READ:
            break
        for value, context, s, e, _ in _CALENDAR.nlp(clause, sourceTime=now) or ():
            phrase = original[start + s : start + e]
            lead = len(phrase) - len(phrase.lstrip())
            s, e = start + s + lead, start + s + len(phrase.rstrip())
            found.append((_pdt_mention(s, e, original[s:e], value, context.accuracy), context.accuracy))
    return found


def _pdt_mention(start, end, text, value, accuracy) -> DateMention:
    if not accuracy:
        return DateMention(start, end, text, None, problem=_not_real(text))
    month_given = bool(accuracy & _ACU.ACU_MONTH)
    return DateMention(
        start,
        end,
        text,
        value,
        year_given=bool(accuracy & _ACU.ACU_YEAR),
        month_given=month_given,
        relative=not month_given,
        bare_weekday=not month_given and _is_bare_weekday(text),
        time_given=bool(accuracy & _TIME_FLAGS),
    )


def _is_bare_weekday(text: str) -> bool:
    """ "Monday", "on monday at 4pm": which Monday depends on the role; "last Monday" does not."""
    return bool(_WEEKDAY_WORD.search(text)) and not _WEEKDAY_FIXED.search(text)


def _is_day(mention: DateMention, accuracy: int | None) -> bool:
    """Drop what parsedatetime reads but is no day: a month alone ("I may call"), "sat", a bare number.

    accuracy None: a mention read without parsedatetime, always a day."""
    if accuracy is None:
        return True
    if not accuracy:
        return bool(_LOOKS_LIKE_DATE.search(mention.text))  # "Feb 30" gets a reason; "988" is no date
    return mention.text not in _ENGLISH_WORDS and bool(accuracy & (_ACU.ACU_DAY | _ACU.ACU_WEEK | _ACU.ACU_NOW))


def _time_only(accuracy: int | None) -> bool:
    return bool(accuracy and not accuracy & _DAY_FLAGS and accuracy & _TIME_FLAGS)


def _with_time(date_mention: DateMention, time_mention: DateMention, text: str) -> DateMention:
    assert date_mention.value is not None and time_mention.value is not None  # both read (_join_times)
    start, end = min(date_mention.start, time_mention.start), max(date_mention.end, time_mention.end)
    value = dt.datetime.combine(date_mention.value.date(), time_mention.value.time())
    return replace(date_mention, start=start, end=end, text=text[start:end], value=value, time_given=True)


def _join_times(parsed: Sequence[tuple[DateMention, int | None]], text: str) -> list[DateMention]:
    """A time alone ("at 3pm") joins the date just before or after it; otherwise it is no date."""
    days: list[DateMention] = []
    pending_time: DateMention | None = None
    for mention, accuracy in parsed:
        if _time_only(accuracy):
            previous = days[-1] if days else None
            if (
                previous
                and previous.value
                and not previous.time_given
                and not previous.approximate
                and _TIME_JOINS_DATE.fullmatch(text[previous.end : mention.start])
            ):
                days[-1] = _with_time(previous, mention, text)
            else:
                pending_time = mention
            continue
        if not _is_day(mention, accuracy):
            continue
        if (
            pending_time
            and mention.value
            and not mention.time_given
            and _DATE_JOINS_TIME.fullmatch(text[pending_time.end : mention.start])
        ):
            mention = _with_time(mention, pending_time, text)
        pending_time = None
        days.append(mention)
    return days


def _checked(mention: DateMention, text: str) -> DateMention | None:
    """None for a date of birth; a problem for an impossible time ("Nov 16 at 25:00")."""
    if _DOB_BEFORE.search(text[max(0, mention.start - 40) : mention.start]) or _DOB_AFTER.search(
        text[mention.end : mention.end + 40]
    ):
        return None
    problem = mention.value is not None and _clock_problem(mention.text)
    return replace(mention, value=None, problem=problem) if problem else mention


_BRACKETS = str.maketrans("()[]", ",,,,")  # same length: offsets stay those of the message
_APPOSITION = re.compile(r"\s*,\s*(?:the|el|on|on the)?\s*", re.IGNORECASE)  # "Wednesday of last week, the 13th"
_NEAR = 45  # characters between a weekday and the date it names ("the Wednesday right after the election (Nov 6)")


def _names_same_day(weekday: DateMention, dated: DateMention | None, text: str) -> bool:
    """Whether `dated` (a month-and-day date near the bare `weekday`) is the day that weekday names."""
    if dated is None or dated.value is None or not (dated.month_given or dated.day_of_month or dated.relative):
        return False
    if dated.bare_weekday or dated.approximate:
        return False
    low, high = sorted((weekday, dated), key=lambda m: m.start)
    if weekday.approximate:  # "Monday of this week (Nov 18)": the written date says which day
        gap = text[low.end : high.start]
        return (
            high is dated
            and ("(" in text[low.end : high.start + 1] or bool(_APPOSITION.fullmatch(gap)))
            and len(gap) <= _NEAR
        )
    gap = text[low.end : high.start]
    if _relative_weekday(weekday) and weekday is high and not weekday.bare_weekday:
        # "yesterday (the 14th) ... my session for next Tuesday": a relative weekday said after a
        # date is read on its own; it is that date only when it falls on it
        value = weekday.value
        return value is not None and (value.month, value.day) == (dated.value.month, dated.value.day)
    # "last wednesday, not this week, the one before, the 13th": in one sentence, the day of the
    # month says which Wednesday a relative weekday meant
    restated = (
        _relative_weekday(weekday) and dated.day_of_month and len(gap) <= _RESTATED and not _SENTENCE_END.search(gap)
    )
    if (
        not restated
        and _CLAUSE_BREAK.search(gap)
        and not _WEEKDAY_BEFORE_DATE.fullmatch(gap)
        and "(" not in text[low.end : high.start + 1]
        and not _APPOSITION.fullmatch(gap)
    ):
        return False
    found = _WEEKDAY_WORD.search(weekday.text)
    assert found is not None  # a bare or relative weekday is written with its name
    named = found.group(0)[:3].lower()
    # the year of a month-and-day date is settled later, by its role: any year near it will do
    years = (dated.value.year - 1, dated.value.year) if not dated.year_given else (dated.value.year,)
    same = any(
        (_month_day(y, dated.value.month, dated.value.day) or dt.date.min).strftime("%a").lower() == named
        for y in years
    )
    return bool(high.start - low.end <= _NEAR or restated) and same


_RESTATED = 60  # characters between a relative weekday and the day of the month that restates it
_SENTENCE_END = re.compile(r"[.!?;]")


def _relative_weekday(mention: DateMention) -> bool:
    """ "last Wednesday", "this past Monday": a weekday a written date beside it may name more exactly."""
    return (
        mention.relative
        and not mention.named
        and bool(_WEEKDAY_WORD.search(mention.text))
        and mention.day_of_month is None
    )


def _drop_weekday_before_date(mentions: list[DateMention], text: str) -> list[DateMention]:
    """ "Tuesday, November 5" is one date: the weekday only names it. So is "the Wednesday right after
    the election (Nov 6)", when Nov 6 is a Wednesday: the written date wins over the weekday's own reading."""
    mentions = list(mentions)
    dropped = set()
    for i, mention in enumerate(mentions):
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        previous = mentions[i - 1] if i else None
        if _relative_weekday(mention) and any(
            _names_same_day(mention, later, text) for later in mentions[i + 1 :] if later.day_of_month
        ):
            dropped.add(i)  # "last wednesday, not this week, the one before, the 13th"
            continue
        if not (mention.bare_weekday or mention.approximate or _relative_weekday(mention)):
            continue
        if (
            following
            and (following.month_given or following.day_of_month)
            and _WEEKDAY_BEFORE_DATE.fullmatch(text[mention.end : following.start])
        ) or _names_same_day(mention, following, text):
            dropped.add(i)
            named = i + 1
        elif _names_same_day(mention, previous, text):
            dropped.add(i)
            named = i - 1
        else:
            continue
        kept = mentions[named]
        if mention.time_given and kept.value and mention.value and not kept.time_given:
            # "during the Super Bowl (Sunday, around 7:30pm)": the hour said with the weekday is the date's
            start, end = min(kept.start, mention.start), max(kept.end, mention.end)
            mentions[named] = replace(
                kept,
                start=start,
                end=end,
                text=text[start:end],
                value=dt.datetime.combine(kept.value.date(), mention.value.time()),
                time_given=True,
            )
    return [mention for i, mention in enumerate(mentions) if i not in dropped]


def _with_year_hints(mentions: list[DateMention], hints: list[tuple[int, int]]) -> list[DateMention]:
    """Each month-and-day date takes the year written alone nearest before it (else after it)."""
    if not hints:
        return mentions
    places = [place for place, _ in hints]
    hinted = []
    for mention in mentions:
        if mention.month_given and not mention.year_given and not mention.relative and mention.value:
            i = bisect.bisect_left(places, mention.start)
            mention = replace(mention, year_hint=hints[i - 1 if i else 0][1])
        hinted.append(mention)
    return hinted


def find_dates(text: str, now: dt.datetime) -> list[DateMention]:
    """Every date phrase in `text`, in order of appearance; dates of birth are left out.

    Linear in the length of `text`: parsedatetime reads one short clause at a
    time, and stops after MAX_CLAUSES_READ clauses or MAX_DATES_READ dates.
    """
    original, text = text, text.translate(_BRACKETS)  # "(Nov 6)": brackets end a clause, as commas do
    own, prepared, hints = _own_mentions(text, now)
    found = sorted([*((m, None) for m in own), *_parsed(text, prepared, now)], key=lambda pair: pair[0].start)
    mentions = _drop_weekday_before_date(_join_times(found, text), original)
    checked = [m for m in (_checked(m, text) for m in mentions) if m is not None]
    return _anchored_to_previous(_with_year_hints(checked, hints), text, now)


# "aug 29, and then the next week", "the following friday", "a week later", "el viernes siguiente":
# counted from the date told before them, not from today.
_ANCHORED = re.compile(
    r"\b(?:the\s+)?following\s+(?P<day>mon|tue|wed|thu|fri|sat|sun)\w*|"
    r"\b(?P<day2>mon|tue|wed|thu|fri|sat|sun)\w*\s+after\s+that\b|"
    r"\bthe\s+(?:next|following)\s+week\b|\bthe\s+week\s+after\b|"
    r"\b(?P<weeks>a|one|two|three|2|3)\s+weeks?\s+later\b|"
    # "school started Wed Aug 12 ... the next day I called": the day after the date told before
    r"\b(?P<next_day>the\s+(?:next|following)\s+day|the\s+day\s+after(?!\s+(?:that|tomorrow)\b)(?=\s*[,.;!?]|\s+(?:i|we|my|they)\b))",
    re.IGNORECASE,
)
_WEEKS_LATER = {"a": 1, "one": 1, "two": 2, "2": 2, "three": 3, "3": 3}


def _anchored_to_previous(mentions: list[DateMention], text: str, now: dt.datetime) -> list[DateMention]:
    out = list(mentions)
    for i in range(1, len(out)):
        mention = out[i]
        found = next(
            (m for m in _ANCHORED.finditer(text, max(0, mention.start - 14)) if m.start() <= mention.start < m.end()),
            None,
        )
        if found is None or out[i - 1].value is None:
            continue
        try:
            anchor = resolve(out[i - 1], now.date())  # told as something that already happened
        except InputError:
            continue
        day_name = found.group("day") or found.group("day2")
        last_day = None
        if day_name:
            shift = (WEEKDAY_NUMBER[day_name.lower()] - anchor.weekday() - 1) % 7 + 1
            day = anchor + dt.timedelta(days=shift)
        elif found.group("next_day"):
            day = anchor + dt.timedelta(days=1)
        elif found.group("weeks"):
            day = anchor + dt.timedelta(weeks=_WEEKS_LATER[found.group("weeks").lower()])
        else:
            day = anchor + dt.timedelta(days=7 - anchor.weekday())
            last_day = day + dt.timedelta(days=6)
        out[i] = replace(
            mention,
            value=dt.datetime.combine(day, mention.value.time() if mention.time_given and mention.value else dt.time()),
            relative=True,
            bare_weekday=False,
            day_of_month=None,
            weekday=None,
            last_day=last_day,
            approximate=last_day is not None,
        )
    return out


def _month_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_in_months(day: int, start: dt.date, step: int, weekday: int | None = None) -> dt.date:
    """The first date with this day of the month, walking month by month from `start`; with a
    weekday, the first such date on that weekday within WEEKDAY_MONTHS, else the first at all."""
    if weekday is not None:
        year, month = start.year, start.month
        for _ in range(WEEKDAY_MONTHS):
            candidate = _month_day(year, month, day)
            if (
                candidate
                and candidate.weekday() == weekday
                and (candidate <= start if step < 0 else candidate >= start)
            ):
                return candidate
            month += step
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    year, month = start.year, start.month
    for _ in range(14):
        candidate = _month_day(year, month, day)
        if candidate and (candidate <= start if step < 0 else candidate >= start):
            return candidate
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    raise InputError(
        Worded(
            "no_month_has_day",
            "No month has a day {day}; please write the date in full, {example}.",
            day=day,
            example=EXAMPLE,
        )
    )


def _in_range(mention: DateMention, today: dt.date, after: dt.date | None) -> dt.date:
    """A day of "this week" that does not overstate a delay: a past start as late as it can
    be (up to today), an offer as early as it can be (from the anchor on)."""
    assert mention.value is not None and mention.last_day is not None  # a range read (resolve)
    first, last = mention.value.date(), mention.last_day
    if after is None:
        return max(first, min(last, today))
    return min(last, max(first, after))


def _month_and_day(mention: DateMention, today: dt.date, after: dt.date | None) -> dt.date:
    base, step = (today, -1) if after is None else (after, 1)

    def fits(day: dt.date | None) -> TypeGuard[dt.date]:
        return day is not None and (day <= base if step < 0 else day >= base)

    value = mention.value
    assert value is not None  # a real day (resolve)
    hinted = _month_day(mention.year_hint, value.month, value.day) if mention.year_hint else None
    if fits(hinted):
        return hinted
    for year in range(base.year, base.year + 9 * step, step):
        candidate = _month_day(year, value.month, value.day)
        if fits(candidate):
            return candidate
    raise InputError(_not_real(mention.text))


def resolve(mention: DateMention, today: dt.date, after: dt.date | None = None, same_week: bool = False) -> dt.date:
    """The calendar day a mention means.

    after=None: something that already happened: the most recent such day up to today.
    after=<date>: something that comes after that date: the first such day on or after it.
    same_week: a bare weekday is the first one after `after` even when that has passed
    ("I called Tuesday, they offered Thursday": that Thursday, not next week's).
    Raises InputError with a one-line reason for an impossible date or a year outside
    EARLIEST_YEAR to YEARS_AHEAD years after today.
    """
    if mention.value is None:
        raise InputError(mention.problem or _not_real(mention.text))
    value = mention.value.date()
    if mention.last_day is not None:
        resolved = _in_range(mention, today, after)
    elif mention.day_of_month is not None:
        resolved = _day_in_months(
            mention.day_of_month, today if after is None else after, -1 if after is None else 1, mention.weekday
        )
    elif mention.year_given or mention.relative and not mention.bare_weekday:
        resolved = value
    elif mention.bare_weekday:
        base = today if after is None else after if same_week else max(after, today)
        shift = (value.weekday() - base.weekday()) % 7
        resolved = base - dt.timedelta(days=(7 - shift) % 7) if after is None else base + dt.timedelta(days=shift)
    elif not mention.month_given:
        resolved = _day_in_months(value.day, today if after is None else after, -1 if after is None else 1)
    else:
        resolved = _month_and_day(mention, today, after)
    problem = _year_problem(resolved.year, today, mention.text)
    if problem:
        raise InputError(problem)
    return resolved


def resolve_datetime(
    mention: DateMention, today: dt.date, after: dt.date | None = None, same_week: bool = False
) -> dt.datetime:
    """Like resolve, keeping the time of day when one was written (else midnight)."""
    day = resolve(mention, today, after, same_week)
    assert mention.value is not None  # resolve raised otherwise
    clock = mention.value.time() if mention.time_given else dt.time(0, 0)
    return dt.datetime.combine(day, clock)


def resolve_moment(
    mention: DateMention, today: dt.date, after: dt.date | None = None, same_week: bool = False
) -> dt.date | dt.datetime:
    """Like resolve, but a datetime when a time of day was written and a plain date when not,
    so an offer given without a time is never shown or counted as midnight."""
    if mention.time_given:
        return resolve_datetime(mention, today, after, same_week)
    return resolve(mention, today, after, same_week)


def read_date(text: str, now: dt.datetime, after: dt.date | None = None) -> dt.date:
    """The single date in a short answer such as "Oct 28" or "last Monday"."""
    mentions = find_dates(text, now)
    if not mentions:
        raise InputError(
            Worded("no_date_found", "I could not find a date in that; please write it like {example}.", example=EXAMPLE)
        )
    return resolve(mentions[0], now.date(), after)


def _parse_cli(text: str, what: str, example: str) -> dt.datetime:
    """dateutil, run with two default years: if they differ, no year was written
    (a single default year of 1 took "0001-01-01" for a date with no year).
    `what` is "date" or "datetime"; the Spanish words have their own examples."""
    try:
        first, second = (dateutil_parser.parse(text, default=dt.datetime(year, 1, 1)) for year in (4, 8))
    except (ValueError, OverflowError):
        english = "{text!r} is not a " + what.replace("datetime", "date and time") + "; write it as {example}."
        raise InputError(Worded(f"cli_not_a_{what}", english, text=text, example=example)) from None
    if first != second:
        english = "{text!r} has no year; write it as {example}."
        raise InputError(Worded(f"cli_{what}_no_year", english, text=text, example=example))
    if first.year < EARLIEST_YEAR:
        english = "{text!r}: the year {year} is before {earliest}, outside the years I can check."
        raise InputError(Worded("cli_year_too_early", english, text=text, year=first.year, earliest=EARLIEST_YEAR))
    return first.replace(tzinfo=None)


def parse_cli_date(text: str) -> dt.date:
    """A date written in full on the command line: 2024-10-28, 10/28/2024 or Oct 28 2024."""
    return _parse_cli(text, "date", "2024-10-28, 10/28/2024 or Oct 28 2024").date()


def parse_cli_datetime(text: str) -> dt.datetime:
    """A date and time for urgent requests: '2024-11-04 15:00' (midnight if no time)."""
    return _parse_cli(text, "datetime", "'2024-11-04 15:00'")


# An hour said alone, in answer to "at about what time?": "10:30 am", "around 4:45", "at 3", "noon".
_HOUR_ALONE = re.compile(
    r"\b(?P<noon>noon|midday|mediod[ií]a)\b"
    r"|(?<![\d/:.-])(?P<h1>\d{1,2})(?::(?P<m1>\d{2}))?\s*(?P<half>a\.?\s?m\b\.?|p\.?\s?m\b\.?|am|pm)"
    r"|(?<![\d/:.-])(?P<h2>\d{1,2}):(?P<m2>\d{2})(?![\d/:])"
    r"|\b(?:at|around|about|like|maybe|a\s+las?|tipo)\s+(?P<h3>\d{1,2})(?![\d/:.]|\s*(?:st|nd|rd|th|de|of)\b)"
    r"|(?<![\d/:.-])(?P<h4>\d{1,2})\s+(?=in the (?:morning|afternoon|evening)|at night|o'?clock|de la (?:ma[nñ]ana|tarde|noche))",
    re.IGNORECASE,
)
_MORNING = re.compile(r"\b(?:in the morning|morning|de la ma[nñ]ana|a\.?m)\b", re.IGNORECASE)
_LATER_IN_DAY = re.compile(r"\b(?:afternoon|evening|at night|tonight|de la tarde|de la noche)\b", re.IGNORECASE)


def find_hour(text: str) -> dt.time | None:
    """The hour of the day a short answer gives, or None. Without a.m. or p.m., office hours decide:
    1 to 6 is the afternoon, 7 to 11 the morning (a plan's phone line is open then)."""
    match = _HOUR_ALONE.search(text)
    if match is None:
        return None
    if match.group("noon"):
        return dt.time(12, 0)
    hour = int(match.group("h1") or match.group("h2") or match.group("h3") or match.group("h4"))
    minute = int(match.group("m1") or match.group("m2") or 0)
    if hour > 23 or minute > 59:
        return None
    half = (match.group("half") or "").lower().replace(".", "").replace(" ", "")
    after = text[match.end() : match.end() + 30]
    if half == "pm" or (not half and hour < 12 and _LATER_IN_DAY.search(after)):
        hour = hour % 12 + 12
    elif half == "am" or _MORNING.search(after):
        hour = hour % 12
    elif 1 <= hour <= 6:
        hour += 12
    return dt.time(hour, minute)


def contradicts_weekday(mention: DateMention, day: dt.date) -> bool:
    """Whether the mention names a weekday ("Friday January 17") that `day` is not: a year taken
    for it is then the wrong one."""
    found = _WEEKDAY_WORD.search(mention.text)
    return found is not None and WEEKDAY_NUMBER[found.group(0)[:3].lower()] != day.weekday()

"""What a patient's message says: the kind of appointment and which date is which.

A message like "my Nov 4 session was canceled, my last one was Oct 28 and they
offered me Nov 20" holds three dates; the words around each one say its role.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from care_clock.errors import InputError
from care_clock.facts import Guidance
from care_clock.paths import SEEDS
from care_clock.reading.dates import MONTH_NUMBER, WEEKDAY_NUMBER, DateMention, find_dates, find_hour, resolve
from care_clock.reading.spanish_dates import to_english

KIND_CUES_FILE = SEEDS / "kind_cues.yml"

# Roles of a date and the words that give them away. Where cues overlap, the
# longest wins: "asked for a new one" is a request, not the offer "new one"
# (so within a pattern, a longer cue comes before a shorter one it starts with).
CANCELED, OFFERED, REQUEST, LAST_VISIT = "canceled", "offered", "request", "last_visit"
ROLE_CUES = {
    CANCELED: r"cancel\w*|called off|postpon\w*|scrapped|dropped|supposed to (?:be|have)|was scheduled|"
    r"was set for|was booked for|never happened|didn'?t happen",
    # "I saw the new one Thursday": the new therapist, seen; not a new date offered
    OFFERED: r"offer\w*|reschedul\w*|moved|pushed|(?<!saw the )(?<!met the )(?<!seen the )new (?:date|appointment|one)|"
    r"earliest|next available|"
    r"gave me|give me|booked|too late|is that ok\w*|is that fine|soonest|(?:can|could|will|would) see me|"
    # "they want me to wait till june 2": the date they gave
    r"(?:want|wants|make|makes|made|told|tell|tells|have|has|had) (?:me|us|him|her|them) (?:to )?wait (?:till|until|til|to)|"
    r"see me (?:on|in)|available|(?:next|first|only) (?:opening|slot)|put me (?:in|down|with|on)|scheduled me|"
    r"(?:set|signed) me up|got (?:me|him|her|us|them|my \w+) (?:in|an?|with)|switched me|"
    r"(?:can|could) (?:do|fit|squeeze)|(?:fit|get|squeeze) (?:me|you) in|"
    # "they just called back today with an intake on october 2": the plan's answer is an offer
    r"(?:they|she|he|someone|kaiser|the (?:office|clinic|plan|scheduler)) (?:\w+ )?(?:called|got|came) (?:me |us )?back",
    REQUEST: r"ask\w* (?:\w+ ){0,3}for (?:a |an )?new (?:one|appointment|date|session|psychiatrist|therapist)|"
    r"(?:did ?n'?t|did not|never) (?:actually |really )?call (?:them |anyone )?until|finally called|"
    r"ask\w*|request\w*|called|phoned|referr\w*|reached out|contacted|put in|first tried|signed up|begged|pleaded|"
    r"tried to (?:get|book|schedule|make)|to call (?:for|about|and ask)",
    # "last" names the visit, not the day: "last Wednesday", "last week" are dates, no cue
    LAST_VISIT: r"last(?!\s+(?:mon|tue|wed|thu|fri|sat|sun)\w*|\s+(?:week|month|night|year|time)\b)|previous|prior(?!\s+(?:auth\w*|approval))|"
    r"saw|seen|attended|went(?!\s+(?:on|out)\b)|(?:had|did have) (?:a|an|my|one|it)(?! (?:call|phone|voicemail|message|text|chat))|"
    r"since|at (?:my|our|the) (?:session|appointment|appt|visit)",
}
_CUES = {role: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) for role, pattern in ROLE_CUES.items()}
CORRECTION = re.compile(
    r"\b(?:sorry|actually|i meant|mean|correction|oops|my bad|typo|wrong|not \w+ but|instead|no,? wait|wait,? no|"
    r"no,? it was|no espera|espera,? no|perd[oó]n|me equivoqu\w*|mejor dicho|en realidad|corrijo|no,? fue|"
    r"misread|misremembered|mixed up|mistake|le[ií] mal|not (?:the |at )?\d{1,2}(?::\d{2})?(?:st|nd|rd|th)?(?=\W*$))\b",
    re.IGNORECASE,
)
# Words between two dates that take the first one back ("the 15th, wait no, the 8th").
_SELF_CORRECTION = re.compile(
    # "wait" as a correction ("the 15th, wait no, the 8th"), not "they want me to wait till june 2"
    r"\b(?:wait(?=\s*[,.!;-]|\s+(?:no|sorry|actually|i mean|i meant|it was)\b)|no wait|sorry|i mean|i meant|actually|oops|"
    r"correction|no(?=\s*,)|perd[oó]n|digo|mejor dicho|no espera)\b",
    re.IGNORECASE,
)
# "I don't know" in the ways patients write it.
DOUBT = (
    r"\b(?:i\s+)?(?:do\s*n[o']?t|dont|can'?t|cannot|don't)\s+(?:even\s+|really\s+|actually\s+)?(?:know|remember|recall|find)|"
    r"\bidk\b|dunno|"
    r"not sure|unsure|no idea|no clue|forgot"
)
_DOUBT = re.compile(DOUBT, re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[.;!?,]|\band\b|\bbut\b|\bthen\b|\bwhile\b", re.IGNORECASE)
_WEEKDAY_TAIL = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\.?\s*,\s*$", re.IGNORECASE
)
# A kind is found in this order: an urgent psychiatry visit is judged as urgent.
KIND_ORDER = ("urgent", "psychiatry", "initial", "followup")


@dataclass
class Reading:
    kind: str | None = None
    kind_inferred: bool = False  # inferred from context, not named by the patient
    kind_guessed: bool = False  # inferred from cue words only ("my therapist"): said to the patient, who may correct it
    dates: dict[str, DateMention] = field(default_factory=dict)
    uncued: list[DateMention] = field(default_factory=list)
    correction: bool = False
    # only "actually" or "en realidad" says it ("today's, actually. 10/15"): in answer to a date not yet
    # known, no correction of another ("perdón, no fue el 24, fue el 27" is one)
    correction_weak: bool = False
    # Roles of the dates the patient says they do not know, each in a clause of its own with no date:
    # "it was on the 4th, no idea if they offered anything".
    doubted: set[str] = field(default_factory=set)


# Month names as patients misspell them, and times told by the part of the day.
_MONTH_TYPOS = (
    (re.compile(r"\b(?:novembre|novmber|novemeber|novemebr|nobember|noviember)\b", re.IGNORECASE), "november"),
    (re.compile(r"\b(?:decmber|decemeber|decemebr|dicember|desember)\b", re.IGNORECASE), "december"),
    (re.compile(r"\b(?:ocotber|octobr|octuber|otober)\b", re.IGNORECASE), "october"),
)
_THIS_MORNING_AT = re.compile(
    r"\b(this morning|this afternoon|this evening|tonight)\s+(?:around|at|about|like)\s+(\d{1,2})(?::(\d{2}))?\b(?!\s*[ap]\.?m)",
    re.IGNORECASE,
)
# "today in the morning at 10", "Monday morning at 9": the part of the day says am or pm.
_PART_OF_DAY_THEN_TIME = re.compile(
    r"\b(?:in\s+the\s+)?(morning|afternoon|evening)\s*,?\s+(?:(?:around|at|about|like)\s+)?(\d{1,2})(?::(\d{2}))?(?!:?\d)(?:ish)?\b"
    r"(?!\s*[ap]\.?m)(?!\s*(?:days?|weeks?|hours?|times?|pills?))",
    re.IGNORECASE,
)
_PART_OF_DAY_TIME = re.compile(
    r"\b(at\s+)?(\d{1,2})(?::(\d{2}))?\s+in the (morning|afternoon|evening)\b", re.IGNORECASE
)
# "tuesday morning like 10am", "around 3pm": an hour said with am or pm is that hour, the rest is talk.
_AROUND_CLOCK = re.compile(
    r"\b(?:(?:in\s+the\s+)?(?:morning|afternoon|evening|night)\s*,?\s+(?:around|about|like|maybe|at)|"
    r"around|about|like|maybe)\s+(?=\d{1,2}(?::\d{2})?\s*[ap]\.?m\b)",
    re.IGNORECASE,
)
# An offer that is not an individual appointment: a group, a class, a short phone check-in.
NOT_INDIVIDUAL = re.compile(
    r"\b(?:group(?: therapy| session| class)?|class(?:es)?|workshop|webinar|support group|"
    r"phone check[- ]?in|check[- ]?in call|check[- ]?in)\b",
    re.IGNORECASE,
)
# "its friday. nobody has called": today named by its weekday is no date of the case.
_TODAY_IS = re.compile(
    r"\b(?:it'?s|it\s+is|today\s+is|today'?s)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"(?!\s*,?\s*(?:the\s+)?\d)",
    re.IGNORECASE,
)
# "yesterday, Thursday the 21st": the written day says the same day, with its hour after it.
_DAY_THEN_WEEKDAY = re.compile(
    r"\b(?:yesterday|today)\s*,?\s*(?=(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+(?:the\s+)?\d)", re.IGNORECASE
)
# "Tuesday 26 in the morning": a day of the month, not an hour.
_DAY_BEFORE = re.compile(
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s*(?:the\s+)?$|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*\.?\s*$|\bthe\s+$",
    re.IGNORECASE,
)
# "called yesterday around 3": a clock hour with no am or pm, just after a day. Offices keep day
# hours, so 7 to 11 is the morning and 12 to 6 the afternoon; said back with the verdict's time.
_BARE_HOUR = re.compile(
    r"\b(last night|last evening|yesterday evening|this evening|yesterday|today|this morning|tonight|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d{1,2}/\d{1,2}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d{1,2}(?:st|nd|rd|th)?)"
    r"(\s*,?\s*(?:at|around|about|like|by|@)\s+|\s+(?=\d{1,2}ish\b))(\d{1,2})(?::(\d{2}))?(?:ish)?\b"
    r"(?!\s*(?:[ap]\.?m\b|:|\d|%|hours?|hrs?|minutes?|mins?|days?|weeks?|times?|pills?|people|of\b|or\b|to\b|-))",
    re.IGNORECASE,
)


_WEEKDAY_POSSESSIVE = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)['’]s\b", re.IGNORECASE)


# "this past Wednesday" is the Wednesday just gone, as "last Wednesday" is read.
_THIS_PAST = re.compile(r"\bthis\s+past\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)


# Words the reader keys on, as patients misspell them ("psyciatrist", "thanksgivng", "therpist"):
# a long word that is not one of them but is very near one, with the same first letter, is read as it.
_KEY_WORDS = [
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "thanksgiving",
    "christmas",
    "halloween",
    "yesterday",
    "tomorrow",
    "psychiatrist",
    "psychiatry",
    "therapist",
    "therapy",
    "counselor",
    "appointment",
    "appointments",
    "canceled",
    "cancelled",
    "cancellation",
    "rescheduled",
    "session",
    "urgent",
    "emergency",
]
_SHORT_KEY_WORDS = {"befor": "before", "bfore": "before", "b4": "before", "aftr": "after", "afer": "after"}
_LONG_WORD = re.compile(r"\b[a-z]{5,}\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _key_word(word: str) -> str:
    lower = word.lower()
    if lower in _SHORT_KEY_WORDS:
        return _SHORT_KEY_WORDS[lower]
    if len(lower) < 6 or lower in _KEY_WORDS:
        return word
    near = difflib.get_close_matches(lower, _KEY_WORDS, n=1, cutoff=0.85)
    return near[0] if near and near[0][0] == lower[0] else word


# Text-speak for the words a case turns on: "my thrpst cxld 2day".
_TEXT_SPEAK = {
    "2day": "today", "tdy": "today", "2morrow": "tomorrow", "2moro": "tomorrow", "tmrw": "tomorrow", "tmr": "tomorrow",
    "tmrrw": "tomorrow", "yday": "yesterday", "ystrdy": "yesterday", "yest": "yesterday",
    "cxl": "cancel", "cxld": "canceled", "cxl'd": "canceled", "cxled": "canceled", "canx": "canceled",
    "canx'd": "canceled", "cancld": "canceled", "cncld": "canceled", "cnclled": "canceled",
    "thrpst": "therapist", "thrpist": "therapist", "therpst": "therapist", "thrpy": "therapy",
}  # fmt: skip
_SPEAK_WORD = re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(w) for w in _TEXT_SPEAK) + r")(?![\w'])", re.IGNORECASE)


def key_words_spelled(text: str) -> str:
    """Misspelled key words written right (stdlib difflib), and text-speak ("cxld 2day"); other words as
    they are."""
    text = _SPEAK_WORD.sub(lambda m: _TEXT_SPEAK[m.group(0).lower()], text)
    return _LONG_WORD.sub(lambda m: _key_word(m.group(0)), text)


# "yesterday, Tuesday January 14", "ayer lunes 7 de julio" (read as "yesterday Monday July 7"): the
# written day says it; read together, the parser took "yesterday" from the date (July 6).
_RELATIVE_BEFORE_DATE = re.compile(
    r"\b(?:yesterday|today|tomorrow)(?=,?\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r",?\s+(?:the\s+)?(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
    re.IGNORECASE,
)


# "2 wks ago", "a couple hrs later": units as people shorten them.
_SHORT_UNIT = re.compile(
    r"\b(\d+|an?|one|two|three|four|five|six|couple(?:\s+of)?|few)\s*(wks?|hrs?|mos|mths?|yrs?|dys)\b(?!')",
    re.IGNORECASE,
)
_UNIT_WORDS = {"wk": "week", "hr": "hour", "mo": "month", "mt": "month", "yr": "year", "dy": "day"}
# "2 days ago Wednesday", "antier miércoles" (the day before yesterday, a Wednesday): the weekday says the
# same day again. Read together, the parser counted back from the weekday instead.
_DAYS_AGO_THEN_WEEKDAY = re.compile(
    r"\b(yesterday|(?:the\s+)?day\s+before\s+yesterday|(\d|two|three|four|five|six)\s+days\s+ago)\s*,?\s*(?:on\s+)?"
    r"(mon|tues|wednes|thurs|fri|satur|sun)day\b",
    re.IGNORECASE,
)
_SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _short_unit(match: re.Match) -> str:
    unit = match.group(2).lower()
    word = _UNIT_WORDS[unit[:2]]
    plural = unit.endswith("s") and match.group(1).lower() not in ("a", "an", "one")
    return f"{match.group(1)} {word}{'s' if plural else ''}"


def _same_day_again(now: dt.datetime):
    def replace(match: re.Match) -> str:
        said = match.group(1).lower()
        back = 1 if said == "yesterday" else 2 if "before" in said else None
        if back is None:
            count = match.group(2).lower()
            back = int(count) if count.isdigit() else _SMALL_NUMBERS[count]
        if (now.date() - dt.timedelta(days=back)).weekday() != WEEKDAY_NUMBER[match.group(3)[:3].lower()]:
            return match.group(0)  # another day: leave it to the parser
        return match.group(1)

    return replace


# "on the last day of April", "el primer dia de mayo" (rewritten "first day of May"): that day
_EDGE_OF_MONTH = re.compile(
    r"\b(?:the\s+)?(last|first|1st)\s+day\s+of\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)


def _edge_of_month(now: dt.datetime):
    def replace(match: re.Match) -> str:
        month = MONTH_NUMBER[match.group(2).lower()]
        day = 1 if match.group(1).lower() != "last" else calendar.monthrange(now.year, month)[1]
        return f"{calendar.month_name[month]} {day}"

    return replace


def plain_dates(text: str, now: dt.datetime | None = None) -> str:
    """Misspelled month names fixed, "Wednesday's session" made "Wednesday session" and "at 4 in the
    afternoon" made "at 4:00pm", so the date reader sees them; read before anything else, so every
    offset is one of this text."""
    for typo, month in _MONTH_TYPOS:
        text = typo.sub(month, text)
    text = _SHORT_UNIT.sub(_short_unit, text)
    if now is not None:
        text = _DAYS_AGO_THEN_WEEKDAY.sub(_same_day_again(now), text)
        text = _EDGE_OF_MONTH.sub(_edge_of_month(now), text)
    text = key_words_spelled(text)
    text = _RELATIVE_BEFORE_DATE.sub(lambda m: " " * len(m.group(0)), text)  # same length: offsets hold
    text = _WEEKDAY_POSSESSIVE.sub(lambda m: m.group(1) + "  ", text)  # same length: offsets hold
    text = _THIS_PAST.sub(lambda m: f"last {m.group(1)}".ljust(len(m.group(0))), text)

    def clock(match: re.Match) -> str:
        hour = int(match.group(2))
        if not match.group(1) and (hour > 12 or _DAY_BEFORE.search(text[: match.start()])):
            return match.group(0)  # "Tuesday 26 in the morning": the 26th, in the morning
        suffix = "am" if match.group(4).lower() == "morning" else "pm"
        return f"at {match.group(2)}:{match.group(3) or '00'}{suffix}"

    def day_hour(match: re.Match) -> str:
        hour = int(match.group(3))
        if not 1 <= hour <= 12:
            return match.group(0)
        evening = re.search(r"night|evening", match.group(1), re.IGNORECASE)
        suffix = "am" if 7 <= hour <= 11 and not evening else "pm"  # "last night at 7:40": 7:40pm
        return f"{match.group(1)}{match.group(2)}{hour}:{match.group(4) or '00'}{suffix}"

    def today_at(match: re.Match) -> str:
        suffix = "am" if match.group(1).lower() == "this morning" else "pm"
        return f"today at {match.group(2)}:{match.group(3) or '00'}{suffix}"

    def part_then_clock(match: re.Match) -> str:
        suffix = "am" if match.group(1).lower() == "morning" else "pm"
        return f"at {match.group(2)}:{match.group(3) or '00'}{suffix}"

    text = _TODAY_IS.sub("", text)
    text = _DAY_THEN_WEEKDAY.sub("", text)  # "yesterday Thursday 21 at 6:30 pm": the weekday and day say it
    text = _AROUND_CLOCK.sub("at ", text)
    text = _THIS_MORNING_AT.sub(today_at, text)
    text = _PART_OF_DAY_THEN_TIME.sub(part_then_clock, text)
    text = _PART_OF_DAY_TIME.sub(clock, text)
    return _BARE_HOUR.sub(day_hour, text)


# "a psychologist (NOT a psychiatrist)": a kind named to be ruled out
_NEGATED_BEFORE = re.compile(r"\b(?:not|no|isn'?t|wasn'?t|rather than|instead of|never)\s+(?:a|an|the|my|with a)?\s*$")


_A_PLACE_BEFORE = re.compile(r"\b(?:in|at|to|from|into)\s+(?:the\s+|an?\s+|local\s+)?$")
_A_PLACE_AFTER = re.compile(r"\s+(?:thing|visit|clinic|center|centre|place|doctor|doc|bill|trip|copay|x-ray)\b")


def find_kind(text: str, guidance: Guidance) -> str | None:
    lowered = text.lower()
    for kind in KIND_ORDER:
        for alias in guidance.standards[kind].aliases:
            for found in re.finditer(rf"\b{re.escape(alias.lower())}\b", lowered):
                before = lowered[max(0, found.start() - 20) : found.start()]
                if _NEGATED_BEFORE.search(before):
                    continue
                if lowered.startswith("urgent care", found.start()) and (
                    _A_PLACE_BEFORE.search(before) or _A_PLACE_AFTER.match(lowered, found.start() + len("urgent care"))
                ):
                    continue  # "I ended up in urgent care", "the urgent care thing": the clinic, not an urgent appointment
                return kind
    return None


@lru_cache(maxsize=1)
def _kind_cues() -> dict[str, re.Pattern]:
    """Per kind, one pattern of its cue words in any language (seeds/kind_cues.yml)."""
    data = yaml.safe_load(KIND_CUES_FILE.read_text(encoding="utf-8"))
    return {
        kind: re.compile("|".join(p for words in by_language.values() for p in words))
        for kind, by_language in data.items()
    }


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(char for char in text if not unicodedata.combining(char)).lower()


def guess_kind(*texts: str) -> str | None:
    """The kind the cue words suggest, when the patient named none ("my therapy got canceled again")."""
    plain = [_plain(text) for text in texts if text]
    return next((kind for kind, cues in _kind_cues().items() if any(cues.search(text) for text in plain)), None)


def _clause_around(text: str, mention: DateMention, previous_end: int, next_start: int) -> tuple[str, str]:
    """Words before the date (back to the last clause break) and after it (to the next)."""
    before = text[previous_end : mention.start]
    # "asked on Friday, November 1": the weekday's comma does not end the clause
    weekday = _WEEKDAY_TAIL.search(before)
    breaks = list(_CLAUSE_BREAK.finditer(before, 0, weekday.start() if weekday else len(before)))
    if breaks:
        before = before[breaks[-1].end() :]
    after = text[mention.end : next_start]
    first_break = _CLAUSE_BREAK.search(after)
    if first_break:
        after = after[: first_break.start()]
    return before, after


# "they called", "kaiser called me": the plan's call, not the patient's request
_OTHERS_CALL = re.compile(
    r"\b(?:they|she|he|someone|somebody|kaiser|the (?:office|clinic|plan|scheduler|front desk)|it)\s+"
    r"(?:\w+\s+)?$",
    re.IGNORECASE,
)
_CALL_WORDS = ("called", "phoned", "contacted", "reached out")


# "nobody has booked me", "they haven't offered anything", "hasta hoy no le dan otra cita" (rewritten
# "no ... offered"): an offer said not to have happened names no date. ("can't see me until the 9th"
# is an offer, so "can't" is not among them.)
_NEGATED_OFFER = re.compile(
    r"\b(?:nobody|no one|noone|not yet|haven'?t|hasn'?t|have not|has not|never|no(?!\s+(?:idea|clue|s[eé])\b)|nadie)"
    r"\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)


def _cues_in(words: str) -> list[tuple[int, int, str]]:
    """(start, end, role) of each cue in `words`, leaving out cues inside a longer one."""
    found = sorted(
        (m.start(), -m.end(), role)
        for role, cue in _CUES.items()
        for m in cue.finditer(words)
        if not (role == REQUEST and m.group(0).lower() in _CALL_WORDS and _OTHERS_CALL.search(words[: m.start()]))
        and not (role == OFFERED and _NEGATED_OFFER.search(words[: m.start()]))
    )
    kept, reach = [], -1
    for start, negative_end, role in found:  # by start, longest first: a later cue ending within `reach` is inside
        if -negative_end > reach:
            kept.append((start, -negative_end, role))
            reach = -negative_end
    return kept


# Prior authorization told in passing ("L.A. Care said it needs prior authorization", "no necesita
# autorización"): the urgent limit is 96 hours with it, 48 without, so the form need not ask.
_PRIOR_AUTH = r"(?:prior\s+auth\w*|pre-?auth\w*|auth(?:orization)?\b|autorizaci[oó]n(?:\s+previa)?)"
_NO_PRIOR_AUTH = re.compile(
    rf"\b(?:no|without|sin|(?:did|does|do)(?:n'?t| not) (?:need|require)|not (?:need|require)\w*|no need for|"
    rf"no (?:se |me |le |nos )?(?:necesit|requier|ocup)\w*|no (?:me |le )?(?:pidieron|piden))\s+(?:a |an |la |una |ninguna )?(?:\w+\s+)?{_PRIOR_AUTH}|"
    rf"{_PRIOR_AUTH}\s+(?:(?:is|was)\s+not|isn'?t|wasn'?t|no (?:es|fue|era))\s+(?:needed|required|necesaria)",
    re.IGNORECASE,
)
_SAYS_PRIOR_AUTH = re.compile(
    rf"\b(?:needs?|needed|requires?|required|requiring|waiting (?:on|for)|pending|necesit\w*|requier\w*|ocup\w*|"
    rf"pidieron|piden|esperando)\s+(?:a |an |la |una )?(?:\w+\s+)?{_PRIOR_AUTH}|"
    rf"{_PRIOR_AUTH}\s+(?:is |was )?(?:needed|required|pending)",
    re.IGNORECASE,
)


def prior_authorization_said(text: str) -> bool | None:
    """True when the message says the plan needs prior authorization, False when it says it does
    not, None when it says neither (or only asks about it)."""
    for sentence in re.split(r"(?<=[.!;\n])\s+", text):
        if "?" in sentence:
            continue
        if _NO_PRIOR_AUTH.search(sentence):
            return False
        if _SAYS_PRIOR_AUTH.search(sentence):
            return True
    return None


# "is that fast enough or not", "so is that legal?", "¿eso es a tiempo?": a question about the verdict
# just given, not a yes or a no (the classifier hears "not" and says no).
_ASKS_VERDICT = re.compile(
    r"\b(?:is|was|are|isn'?t|wasn'?t)\s+(?:that|this|it|they|dec\w*|the (?:date|offer|appointment))\s+"
    r"(?:\w+\s+)?(?:fast|soon|quick|early|legal|allowed|ok(?:ay)?|fine|on time|late|too (?:late|long)|enough|"
    r"within|against|breaking|illegal)\b|"
    r"\b(?:es|est[aá]|fue)\s+(?:eso\s+|esa\s+(?:fecha|cita)\s+)?(?:legal|a tiempo|tarde|suficiente|permitido|ilegal|"
    r"muy tarde|demasiado)\b|\b(?:se vale|est[aá] bien eso|eso est[aá] bien)\b",
    re.IGNORECASE,
)


def asks_about_the_verdict(text: str) -> bool:
    """A short question about whether the date is in time ("is that fast enough or not")."""
    return (
        len(text.split()) <= 15
        and ("?" in text or bool(_ASKS.match(text)) or " or not" in text.lower())
        and bool(_ASKS_VERDICT.search(text))
    )


# "it was 11:30, not 11", "eran las 11:00 en punto", "around 2pm actually": the hour of something
# already told, said again or corrected, with no day.
_HOUR_RESTATED = re.compile(
    r"^\W*(?:no,?\s+|sorry,?\s+|actually,?\s+|wait,?\s+|perd[oó]n,?\s+)?(?:it was|was|it'?s|at|around|about|"
    r"more like|closer to|eran|era|fue|a las|como a las|m[aá]s bien)\b",
    re.IGNORECASE,
)
RESTATED_HOUR_WORDS = 14


def restates_an_hour(text: str, now: dt.datetime) -> dt.time | None:
    """The hour a short message gives again or corrects, with no date in it (else None)."""
    if len(text.split()) > RESTATED_HOUR_WORDS or "?" in text:
        return None
    if not (_HOUR_RESTATED.match(text) or CORRECTION.search(text)) or find_dates(plain_dates(text), now):
        return None
    return find_hour(text)


def says_a_role(text: str) -> bool:
    """Whether the words say which date is meant, with or without the date ("the one before last")."""
    return bool(_cues_in(text))


_PLAN_CALLED = re.compile(
    r"\b(?:they|she|he|someone|somebody|kaiser|the (?:office|clinic|plan|scheduler|front desk))\s+(?:\w+\s+)?"
    r"(?:called|phoned|texted|emailed|messaged)(?:\s+(?:me|us))?(?:\s+back)?\s*(?:on\s+|at\s+)?$",
    re.IGNORECASE,
)


# "since January 14 I've been asking for an appointment", "desde el 14 estoy pidiendo una cita": the
# day the asking began, the request; "since" alone names the last visit ("not seen since Jan 8").
_SINCE_ALONE = re.compile(r"^\W*(?:ever\s+)?since\W*$", re.IGNORECASE)
_ASKING_EVER_SINCE = re.compile(
    r"^\W*(?:(?:i|we)\s*(?:'?ve|'?m|have|am|are|'re)?\s+|i'?ve\s+|ive\s+|im\s+)?(?:been\s+|kept\s+|keep\s+)?"
    r"(?:asking|requesting|trying to get|trying to book|calling (?:for|to get|to book)|begging|been asking)\b",
    re.IGNORECASE,
)

_CUE_RIGHT_AFTER = re.compile(r"\s*,\s*((?:i\s+)?\w+(?:\s+\w+)?)")


def _cue_right_after(text: str, mention: DateMention, next_start: int) -> str | None:
    cue = _CUE_RIGHT_AFTER.match(text, mention.end)
    if cue is None or not _SENTENCE_BREAK.search(text, mention.end, next_start):
        return None
    found = _cues_in(cue.group(1))
    return found[0][2] if found else None


_AFTER_MY_VISIT_BEFORE = re.compile(r"\b(?:after|since|following)\s+(?:my|our|his|her|the)\s+$", re.IGNORECASE)
_VISIT_AFTER = re.compile(r"\s*(?:visit|session|appt|appointment|check-?in)\b", re.IGNORECASE)
_SINCE_WORD = re.compile(r"\bsince\b(?=[^.!?;]*[.!?;]\s)", re.IGNORECASE)
# "since Jan 8 I've been asking for a new date": asking to rebook after a visit, which "since" names
_REBOOKING = re.compile(r"\b(?:new|another|next|other|re-?\w*(?:book|schedul)\w*)\b", re.IGNORECASE)


def _role_of(before: str, after: str) -> str | None:
    """The role whose cue stands nearest the date: before it first, else after it. The day the plan
    called ("they called yesterday and moved me to monday") is no appointment date."""
    if _PLAN_CALLED.search(before):
        return None
    if _SINCE_ALONE.match(before) and _ASKING_EVER_SINCE.match(after) and not _REBOOKING.search(after):
        return REQUEST
    cues_before = _cues_in(before)
    if cues_before:
        return max(cues_before, key=lambda cue: (cue[1], cue[1] - cue[0]))[2]
    cues_after = _cues_in(after)
    return min(cues_after)[2] if cues_after else None


def _cue_names_the_next(text: str, mention: DateMention, after: str, next_start: int, role: str) -> bool:
    """Whether the role's cue after a date stands right before the next date, in the same clause:
    then it names that next date, and the first one only says when it happened."""
    if mention.end + len(after) != next_start or next_start >= len(text):
        return False
    cue_ends = [end for _, end, found in _cues_in(after) if found == role]
    if cue_ends and "(" in after[cue_ends[-1] :]:
        return False  # "the dec 31 session got canceled (new years eve closure)": the bracket explains, names no other
    return bool(cue_ends) and not _cues_in(after[cue_ends[-1] :])


_SENTENCE_BREAK = re.compile(r"[.!?;](?:\s|$)")
# Only a comma, a bracket or "on"/"el" between two dates: the second says the first again.
_APPOSITION = re.compile(r"\s*[,(]?\s*(?:on|el|the)?\s*", re.IGNORECASE)


def _clauses(text: str):
    start = 0
    for found in _CLAUSE_BREAK.finditer(text):
        yield start, found.start()
        start = found.end()
    yield start, len(text)


def _doubted_roles(text: str, mentions: list[DateMention]) -> set[str]:
    """The one role each dateless "I don't know" clause is about (none when it names several)."""
    doubted = set()
    for start, end in _clauses(text):
        clause = text[start:end]
        if any(start <= m.start < end for m in mentions) or not _DOUBT.search(clause):
            continue
        roles = {role for _, _, role in _cues_in(clause)}
        if len(roles) == 1:
            doubted |= roles
    return doubted


# "a 1:1 with my therapist", "one-on-one", "individual": said of an offer, it is no group.
INDIVIDUAL_WORDS = re.compile(
    r"(?<![\d:])1\s?(?::|-on-|on)\s?1(?![\d:])|\bone[- ]on[- ]one\b|\bindividual(?:mente)?\b|\bprivate session\b|"
    r"\ba solas\b|\bsolo yo\b",
    re.IGNORECASE,
)


def _group_then_individual(text: str, first: DateMention, then: DateMention) -> bool:
    """Whether the first offered date was said of a group or class and the next one was not: the
    later date's own sentence decides ("a group is not what I need. Then they gave me a 1:1 on Feb 24")."""
    if not NOT_INDIVIDUAL.search(text[: first.end]):
        return False
    own = _SENTENCE_BREAK.split(text[first.end : then.end])[-1]
    return bool(INDIVIDUAL_WORDS.search(own)) or not NOT_INDIVIDUAL.search(own)


_WEAK_CORRECTIONS = {"actually", "en realidad"}
_TAKEN_BACK = re.compile(r"\b(?:not|wasn'?t|isn'?t|no fue|no era|no es)\s+(?:on\s+|the\s+|el\s+)?$", re.IGNORECASE)


def _later_visit(mention: DateMention, taken: DateMention, now: dt.datetime) -> bool:
    """Whether `mention`, a visit told after `taken`, happened later than it (both in the past)."""
    try:
        return resolve(taken, now.date()) < resolve(mention, now.date())
    except InputError:
        return False


def read_message(text: str, now: dt.datetime, guidance: Guidance, own_words: str = "") -> Reading:
    """Kind, dates by role, and dates with no cue, from one message (`own_words`: the patient's
    message when `text` is its rewrite into English; cue words are looked for in both)."""
    text = plain_dates(text, now)
    corrections = {m.group(0).lower() for m in CORRECTION.finditer(text)}
    reading = Reading(
        kind=find_kind(text, guidance),
        correction=bool(corrections),
        correction_weak=bool(corrections) and corrections <= _WEAK_CORRECTIONS,
    )
    mentions = find_dates(text, now)
    previous_role, plan_called = None, ""
    for i, mention in enumerate(mentions):
        previous_end = mentions[i - 1].end if i else 0
        next_start = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        before, after = _clause_around(text, mention, previous_end, next_start)
        role = _role_of(before, after)
        if _AFTER_MY_VISIT_BEFORE.search(text[: mention.start]) and _VISIT_AFTER.match(text, mention.end):
            role = LAST_VISIT  # "my appt got moved after my March 20 visit": that visit happened
        if role and not _cues_in(before) and _cue_names_the_next(text, mention, after, next_start, role):
            role = None  # "this morning they offered tomorrow": the cue's date is the one after it
        if role is None and not _cues_in(before):
            # "el sábado a las 11:30, pedí cita urgente" (rewritten ", asked"): the cue right after the date,
            # when no other date follows in its sentence
            role = _cue_right_after(text, mention, next_start)
        if role is None and plan_called:
            # "they called back today with an intake on october 2": the call's words name the next date
            role = _role_of(plan_called + text[previous_end : mention.start], "")
        plan_called = before if _PLAN_CALLED.search(before) else ""
        if role is None:
            # "I called to ask for my first appointment the day the strike began, Monday Oct 21",
            # "Last one I went to was the week before, 11/13": an apposition takes the role of the
            # words before it, back to the start of its sentence, unless that role is taken
            sentence = _SENTENCE_BREAK.split(text[previous_end : mention.start])[-1]
            words_before = sentence if reading.dates or i else text[previous_end : mention.start]
            if words_before is not sentence:
                # "seeing a therapist since the spring. On September 9th the office sent a notice": "since"
                # names the date right after it, not one in a later sentence
                words_before = _SINCE_WORD.sub(lambda m: " " * len(m.group(0)), words_before)
            wider = _role_of(words_before, "")
            role = wider if wider not in reading.dates else None
        if (
            role is None
            and previous_role
            and reading.dates[previous_role].relative
            and not mention.relative
            and (previous_role == OFFERED or mention.value is None or mention.value <= now)
            and _APPOSITION.fullmatch(text[previous_end : mention.start])
        ):
            # "two weeks ago, on thursday the 7th": the date itself names the day the words guessed at
            reading.uncued.append(reading.dates.pop(previous_role))
            role = previous_role
        elif role is None and previous_role and _SELF_CORRECTION.search(text[previous_end : mention.start]):
            # "the 15th, wait no sorry, the 8th": the later date takes the earlier one's place
            reading.uncued.append(reading.dates.pop(previous_role))
            role = previous_role
        offered_first = reading.dates.get(OFFERED)
        if role in (OFFERED, None) and offered_first and _group_then_individual(text, offered_first, mention):
            # "a group on Dec 4 or a one-on-one on Dec 5": the individual offer is the one the rule counts
            reading.uncued.append(reading.dates.pop(OFFERED))
            role = OFFERED
        if role == LAST_VISIT and role in reading.dates and _later_visit(mention, reading.dates[role], now):
            # "sessions on the 11th and the 23rd ... I went in on January 8": the last visit is the latest one
            reading.uncued.append(reading.dates.pop(role))
        if role and role not in reading.dates:
            reading.dates[role] = mention
            previous_role = role
        else:
            reading.uncued.append(mention)
            previous_role = None
    offered, last = reading.dates.get(OFFERED), reading.dates.get(LAST_VISIT)
    if offered and last and offered.value and last.value and offered.value.date() == last.value.date():
        # "so we moved it to Tuesday the 12th. My last one was the 12th": the visit that happened, not an offer
        reading.uncued.append(reading.dates.pop(OFFERED))
    if reading.correction and len(reading.uncued) > 1:
        # "no fue el 24. fue el viernes 27/6", "not the 24th, the 27th": the date taken back is no answer
        kept = [m for m in reading.uncued if not _TAKEN_BACK.search(text[max(0, m.start - 14) : m.start])]
        reading.uncued = kept or reading.uncued
    reading.doubted = _doubted_roles(text, mentions)
    if reading.kind is None and LAST_VISIT in reading.dates:
        reading.kind, reading.kind_inferred = "followup", True  # a "last session" means ongoing treatment
    elif reading.kind is None and (guessed := guess_kind(text, own_words)):
        reading.kind, reading.kind_inferred, reading.kind_guessed = guessed, True, True
    return reading


# --- What a message carries, before any intent decides its route -------------------------------
# Words that say a call was made or a complaint filed, not just that the patient asked for care:
# "spoke with Maria, ref 12345", "I filed a grievance". "Called" alone is how people say they
# asked for an appointment ("I called on Nov 4 to get set up"), so it is not one of them.
LOG_CUES = re.compile(
    r"\b(?:spoke|spoken|talked|(?:had|on|got) a call with|member services|customer service|representative|rep\b|agent|ref(?:erence)?\s*(?:#|no\b|number)|ref\b|case (?:number|#|no)|confirmation (?:number|#|no)|"
    r"ticket (?:number|#)|filed|submitted|sent (?:in |off |out )?(?:a|my|the|them|it)|mailed|faxed|emailed|heard back|wrote back|"
    r"habl[eé] con|n[uú]mero de (?:referencia|caso|confirmaci[oó]n)|present[eé]|mand[eé]|envi[eé]|me contestaron)\b",
    re.IGNORECASE,
)
# "she sent it to LA Care", "my doctor faxed the referral", "her office sent it": someone else's contact.
_SOMEONE_ELSE_BEFORE = re.compile(
    r"\b(?:she|he|they|it|(?:the|my|her|his|their|our|\w+'s) (?:\w+'s )?(?:doctor|office|clinic|nurse|therapist|"
    r"provider|pcp|psychiatrist|social worker|case manager|referral \w+)|dr\.?\s*\w+)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
# "submitted a request for a therapist", "sent in the referral": asking for care (the clock's start),
# not a call or a complaint to log.
_ASKS_FOR_CARE_AFTER = re.compile(
    r"\W*(?:(?:in|off|out)\s+)?(?:(?:a|an|the|my|our|her|his|their)\s+)?(?:\w+\s+){0,2}?"
    r"(?:requests?|referrals?|appointment requests?|intake forms?|solicitud|referencia|pase)\b",
    re.IGNORECASE,
)


# "i messaged kaiser ... (so i just sent it online) asking to see a therapist for the first time": a
# message sent that asks for care is the request the clock counts from, not a contact to log.
_SENT = re.compile(r"(?:sent|submitted|mailed|emailed|faxed|mand[eé]|envi[eé])\b", re.IGNORECASE)
# "new to LA Care, asked for a therapist ... through member services ... never had therapy before": a
# first request, whatever office took it, is the clock's start, not a contact to log
_FIRST_TIME = re.compile(
    r"\b(?:for the first time|never (?:had|been to|done|gone to|seen)|first (?:time|ever)|new (?:to|member|patient)|"
    r"por primera vez|nunca (?:he|había) (?:ido|tenido))\b",
    re.IGNORECASE,
)
_ASKING_FOR_CARE = re.compile(
    r"\b(?:ask\w*|request\w*|pid\w*|solicit\w*)\s+(?:\w+\s+){0,2}?(?:to see|for|to get|to book|una?|cita|to make)\s+"
    r"(?:\w+\s+){0,2}?(?:therap\w*|psychiatr\w*|counsel\w*|appointment|appt|intake|terap\w*|psiqui\w*|cita|consulta)|"
    r"\bfor the first time\b|\bpor primera vez\b",
    re.IGNORECASE,
)


_AGAIN = re.compile(r"\b(?:again|another|follow(?:ed)?[\s-]?up|back|otra vez|de nuevo)\b", re.IGNORECASE)


def asks_for_care_first(text: str) -> bool:
    """Words of a first request for care ("sent a message through the portal asking for a therapist"),
    not of a contact made again about a case."""
    return bool(_ASKING_FOR_CARE.search(text)) and not _AGAIN.search(text)


# Words no first request carries: a reference number, a complaint filed.
_STRONG_LOG = re.compile(
    r"\bref(?:erence)?\s*(?:#|no\b|number)|\b(?:case|confirmation|ticket) (?:number|#|no)|\bfiled\b|\bgrievance\b|\bcomplaint\b|"
    r"\bqueja\b|n[uú]mero de (?:referencia|caso|confirmaci[oó]n)",
    re.IGNORECASE,
)


def _logs_own_contact(text: str) -> bool:
    """Words of a call made or a complaint filed by the patient (not by the doctor or the office,
    and not a request for care sent through a portal, a form or a message)."""
    asks_for_care = bool(_ASKING_FOR_CARE.search(text))
    first_request = asks_for_care and bool(_FIRST_TIME.search(text)) and not _STRONG_LOG.search(text)
    return not first_request and any(
        not _SOMEONE_ELSE_BEFORE.search(text[: m.start()])
        and not _ASKS_FOR_CARE_AFTER.match(text, m.end())
        and not (asks_for_care and _SENT.match(m.group(0)))
        for m in LOG_CUES.finditer(text)
    )


APPOINTMENT_WORDS = re.compile(
    r"\b(?:appointments?|appts?|sessions?|therapy|therap\w*|psychiatr\w*|psycholog\w*|counsel\w*|intake|"
    r"visits?|follow.?ups?|urgent\w*|dbt|group|citas?|sesi[oó]n|sesiones|terapia|terapeuta|terapista|"
    r"psiqui\w*|psic[oó]log\w*|consejer\w*|consulta|urgente|appointment)\b",
    re.IGNORECASE,
)
_YES_NO = re.compile(
    r"^\s*(?:(?P<yes>yes|yeah|yep|yup|sure|they did|s[ií](?!\s+(?:me|te|le|nos)\s+\w+\s*\?)|claro|s[ií]mon)|"
    r"(?P<no>no(?=\s*[,.!]|\s*$|\s+(?:they|she|he|it|its|it'?s|i|we|the|my|that|there|not|nothing|new|date|offer|todav|a[uú]n|me han|han|nada|hay|one (?:told|said)))|nope|nah|not yet|they haven'?t|(?:nobody|no one|noone) (?:told|said|mentioned|wrote)|(?:she|he|they|the doctor|my (?:therapist|doctor|psychiatrist)) (?:didn'?t|did not|never) (?:say|tell|mention|write|note)|"
    r"nadie (?:me )?(?:dijo|coment[oó]|anot[oó])|todav[ií]a no|a[uú]n no|nel|nada))\b[\s,.!]",
    re.IGNORECASE,
)


SHORT_WORDS = 4
_ABOUT_RULES = re.compile(r"\b(?:rules?|limits?|laws?|hours|days|regla|l[ií]mite|ley|horas|d[ií]as)\b", re.IGNORECASE)
# "I don't know what to do", "no sé por dónde empezar": lost, not an unknown fact
_LOST = re.compile(
    r"\b(?:know|sure)\s+(?:what to|where to|how to|what i should|what i'?m going to|what else|why|who|if i should)\b|"
    r"\bs[eé]\s+(?:qu[eé] (?:voy a )?ha\w*|qu[eé] preguntar|c[oó]mo|por d[oó]nde|d[oó]nde|a qui[eé]n)",
    re.IGNORECASE,
)
# Asking for something (a step, a person, a letter, the rules), not only telling what happened:
# "i need a manager", "the scheduler refused, who can i ask", "file a grievance about the cancellation".
_WANTS = re.compile(
    r"\b(?:(?:i|we)\s+(?:really\s+|just\s+|still\s+)?(?:want|need|wanna|would like)|ask(?:ing)? for|give me|who|"
    r"rights?|wait(?:ing)? times?|quiero|pedir|presentar|poner una queja|mu[eé]strame|qui[eé]n|derechos?)\b|"
    r"^\W*(?:ask|file|submit|write|draft|send|show|escribe|manda)\b",
    re.IGNORECASE,
)
_ASKS = re.compile(
    r"\s*(?:what|how|when|why|which|who|is|are|does|do|can|could|should|would|will|que|qué|como|cómo|cuando|cuándo|"
    r"por ?qu[eé]|cu[aá]l|qui[eé]n|puedo|pueden|tienen|es|son)\b",
    re.IGNORECASE,
)
_WAITING = re.compile(
    r"\b(?:still waiting|waiting|trying to (?:get|see|book)|need(?:ed)? (?:to see|an?|to get)|never heard|no one (?:called|has)|"
    r"nobody (?:called|has)|haven'?t heard|can'?t get|esperando|nadie me ha|no me han|necesito)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MessageFacts:
    """The appointment facts one message holds, as the reader finds them."""

    roles: frozenset[str]  # roles of the dates it gives ("last_visit", "offered", ...)
    undated_roles: int  # dates given with no word saying their role
    kind: str | None
    names_appointment: bool
    logs_contact: bool  # explicit words of a call made or a complaint filed
    answer: str | None  # "yes" or "no" when the message opens with one and asks nothing
    doubt: bool = False  # "I don't know", "can't remember": an answer, not distress
    reports: bool = False  # tells something that happened (canceled, asked for, waiting), asking nothing
    kind_named: bool = False  # the patient named the kind ("first appointment", "urgent"), not a guess
    short: bool = False  # a few words ("urgent appt question"): a topic, not a question about the rules
    role_words: bool = False  # words that name a date's role, with or without the date ("my last appointment")
    about_rules: bool = False  # "follow-up rule", "48 hours urgent rule": a question about the rules
    asks: bool = False  # a question mark, or a question word first ("cuanto tengo que esperar...")
    date_share: float = 0.0  # how much of the message its dates take up ("wednesday october 30": nearly all)
    corrects: bool = False  # words of a correction with a date ("I misread it, it says February 28")

    @property
    def dates_an_appointment(self) -> bool:
        """A date with an appointment's role (last visit, canceled, offered), not only a request."""
        return bool(self.roles - {REQUEST})

    @property
    def tells_a_case(self) -> bool:
        """Dates with an appointment role, or dates about a named appointment or kind; or, with no
        date, a named kind of appointment the patient reports about."""
        if self.dates_an_appointment:
            return True
        dated = bool(self.roles or self.undated_roles)
        if dated and (self.kind is not None or self.names_appointment):
            return True
        if self.kind_named and self.short and not self.about_rules:
            return True  # "urgent appt question", "first time, new patient"
        if self.names_appointment and (self.kind_named or self.kind is not None) and self.reports:
            return True
        return self.doubt and self.names_appointment and (self.kind is not None or self.role_words)


def message_facts(text: str, now: dt.datetime, guidance: Guidance, spanish: bool = False) -> MessageFacts:
    """What `text` says about an appointment, read the same way the form reads it."""
    english = to_english(text, now.date()).text if spanish else text
    try:
        reading = read_message(english, now, guidance, text)
        kind_named = reading.kind is not None and not reading.kind_inferred  # found by its aliases
    except ValueError:  # a date that cannot be ("Feb 30"): the form will say so
        reading, kind_named = Reading(), find_kind(english, guidance) is not None
    answer = _YES_NO.match(text + " ")
    asks = "?" in text or bool(_ASKS.match(text))
    return MessageFacts(
        doubt=bool(_DOUBT.search(english) or _DOUBT.search(text)) and not _LOST.search(text),
        reports=not asks
        and not _WANTS.search(text)
        and bool(_CUES[CANCELED].search(english) or _CUES[REQUEST].search(english) or _WAITING.search(english)),
        kind_named=kind_named,
        short=len(text.split()) <= SHORT_WORDS and "?" not in text,
        role_words=says_a_role(english),
        about_rules=bool(_ABOUT_RULES.search(text)),
        roles=frozenset(reading.dates),
        undated_roles=len(reading.uncued),
        kind=reading.kind,
        names_appointment=bool(APPOINTMENT_WORDS.search(text)),
        logs_contact=_logs_own_contact(text),
        answer=None if not answer or "?" in text else ("yes" if answer.group("yes") else "no"),
        asks=asks,
        date_share=_date_share(english, reading),
        corrects=reading.correction and bool(reading.dates or reading.uncued),
    )


def _date_share(text: str, reading: Reading) -> float:
    """The share of the message's letters that are in its dates."""
    mentions = [*reading.dates.values(), *reading.uncued]
    letters = len(re.sub(r"\W", "", text))
    return sum(len(re.sub(r"\W", "", m.text)) for m in mentions) / letters if letters else 0.0

"""One turn of the appointment form: what the patient's message changes in their timeline.

Pure: takes the timeline so far, the message's text, the plain answers the
chat already understood (a yes or no, a button's choice), the fact being asked,
now and the guidance; returns the changed facts and one-line problems to show
before asking again. It knows no intent, entity or slot: the chat converts at
its edge (actions/timeline_slots.py).

Only what the law needs is required: the kind, and the date the clock counts
from. Everything else is asked at most once or twice, and "I don't know" is
always an answer: an unknown fact goes into `unknown` and is not asked again,
so no question can come back a third time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from care_clock.case.timeline import (
    ASKED,
    CANCELED,
    DATE_FACTS,
    INDIVIDUAL,
    KIND,
    KIND_GUESSED,
    LONGER_WAIT_APPROVED,
    OFFER,
    OFFER_MADE,
    OFFERED_AS,
    PLAN_NAME,
    PRIOR_AUTHORIZATION,
    REQUEST_HOUR,
    REQUIRED_FACTS,
    START,
    UNKNOWN,
    YES_NO_FACTS,
    Timeline,
    day_of,
)
from care_clock.errors import InputError
from care_clock.facts import KINDS, Guidance
from care_clock.law.verdict import validate_timeline
from care_clock.reading.dates import DateMention, contradicts_weekday, find_hour, resolve, resolve_moment
from care_clock.reading.message import CANCELED as CANCELED_ROLE
from care_clock.reading.message import (
    DOUBT,
    LAST_VISIT,
    NOT_INDIVIDUAL,
    REQUEST,
    prior_authorization_said,
    read_message,
    restates_an_hour,
    says_a_role,
)
from care_clock.reading.message import OFFERED as OFFERED_ROLE
from care_clock.reading.plans import find_plan
from care_clock.reading.spanish_dates import to_english
from care_clock.writing.wording import SPANISH, error_text, say, spanish_date, spanish_phrases

# Asked once: a non-answer means "unknown", and the form goes on.
ASKED_ONCE = (CANCELED, OFFER, INDIVIDUAL, REQUEST_HOUR)
# How many times a question is asked as written before a simpler one replaces it.
ASKS_AS_WRITTEN = 2
ROLE_FACTS = {LAST_VISIT: START, REQUEST: START, CANCELED_ROLE: CANCELED, OFFERED_ROLE: OFFER}
# The question a role's "I don't know" answers (whether an offer was made, before its date).
DOUBTED_FACTS = {**ROLE_FACTS, OFFERED_ROLE: OFFER_MADE}
# "I don't know" as an answer to the question asked; also "none, this is my first appointment".
NOT_KNOWN = re.compile(
    rf"{DOUBT}|\bskip\b|\bn/?a\b|\bnone\b|\bningun[oa]?\b|\bnada\b|not applicable|no date|"
    r"first (?:appointment|visit|time|session)|never (?:had|been|went)|nothing (?:was )?(?:canceled|cancelled)",
    re.IGNORECASE,
)
# "no individual appointment", "nothing one on one": the offer was not an individual one.
NO_INDIVIDUAL = re.compile(
    r"\b(?:no|not|nothing|never|without|sin|ninguna?)\s+(?:an?\s+|una?\s+)?(?:individual|one[\s-]on[\s-]one|1[\s-]on[\s-]1|"
    r"cita\s+individual)\b",
    re.IGNORECASE,
)
# Offers that are not an individual appointment with a therapist.
LEADING_YES_NO = re.compile(r"\s*(?:(yes|yeah|yep|yup|sure|correct|they did)|no|nope|nah|not yet)\b", re.IGNORECASE)
# After a group or a call, a real appointment given: "then they called back and gave me my own appointment"
THEN_A_REAL_OFFER = re.compile(
    r"\b(?:then|later|after that|afterwards|luego|despu[eé]s)\b[^.;]*?\b(?:gave|offered|got|booked|scheduled|"
    r"dieron|ofrecieron|dio|ofreci[oó]|consiguieron)\b[^.;]*?\b(?:appointment|appt|session|cita|sesi[oó]n|"
    r"my (?:own )?(?:therapist|counselor))\b",
    re.IGNORECASE,
)
# An offer turned down: "les dije que no", "which I turned down", "I declined".
DECLINED = re.compile(
    r"\b(?:(?:i|we)\s+(?:said|told them)\s+no|turned\s+(?:it\s+|that\s+|them\s+)?down|"
    r"declined|refused|no\s+thanks|dije\s+que\s+no|no\s+(?:lo|la)\s+(?:quise|acept\w*)|rechac\w*)\b",
    re.IGNORECASE,
)
OPENS_WITH_NO = re.compile(r"\W*(?:no|nope|nah|not yet|nothing|todav[ií]a no|a[uú]n no|nada)\b", re.IGNORECASE)
# "its friday. nobody has called": asked whether anything was offered, words of still waiting say no.
NOTHING_OFFERED = re.compile(
    r"\b(?:nobody|no one|no-one|nadie)\s+(?:has\s+|ha\s+|me\s+ha\s+)?(?:called|call(?:ed)? back|offered|llamado|ofrecido)|"
    r"\b(?:still|todav[ií]a)\s+(?:waiting|nothing|esperando|nada)|\bnothing\s+(?:yet|so far|at all)\b|"
    r"\bhaven'?t\s+(?:heard|gotten|got)\b|\bno\s+me\s+han\s+(?:llamado|ofrecido|dado)\b|"
    # "they said they would call me back. they never did": a promise to call is no offer
    r"\b(?:they|she|he)\s+never\s+(?:did|called|got back)\b|\bnunca\s+(?:me\s+)?(?:llamaron|hablaron)\b|"
    # "just that coordinator call, which I turned down. nothing with my therapist": no appointment offered
    r"\bnothing\s+(?:with|from)\s+(?:my|a|an|any|the)\b|\bnothing\s+(?:one[\s-]on[\s-]one|individual)\b|"
    r"\b(?:which|that)\s+i\s+(?:turned\s+down|declined|refused|said\s+no\s+to)\b|"
    r"\b(?:individual|con\s+(?:mi|un|una)\s+terapeuta)\s+(?:nada|ninguna)\b|\bninguna\s+individual\b",
    re.IGNORECASE,
)
UNREADABLE_DATE = 'I could not find a date in that. Please write it like "Oct 28", "10/28/2024" or "last Monday".'
NEED_YES_NO = "Please answer yes or no (the buttons work too)."
NEED_KIND = "Sorry, I did not catch which kind of appointment it was."
NO_PROBLEM = "That's okay, I'll go on without it."
KIND_GUESS = (
    "I'll take this as a follow-up therapy appointment (you were already seeing someone); "
    "if it was your first appointment, with a psychiatrist, or urgent, just say so."
)
# In `asked`: the patient was asked once whether "4/11" was April 11 or November 4.
# An offered or canceled date with no anchor yet is looked for after this many days ago.
UNANCHORED_LOOKBACK = dt.timedelta(days=60)


@dataclass(frozen=True)
class Answers:
    """What the chat already understood of the message, in plain values."""

    yes: bool | None = None  # its classifier heard a yes (True) or a no (False)
    kind: str | None = None  # a kind chosen by button
    plan: str | None = None  # a plan chosen by button
    interruption: bool = False  # something the chat answers itself first (a question, a crisis)
    never_an_answer: bool = False  # an interruption that is no try at the question (a crisis, "let's go on")
    may_answer: bool = False  # an interruption that may still answer the question ("just the group class")


@dataclass
class TurnResult:
    """The facts the message changes (None clears one, or marks the question as not answered yet)."""

    changes: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def facts_needed(timeline: Timeline) -> list[str]:
    """The questions to ask, in order, given what is known so far (unknown facts are not asked again)."""
    kind, unknown = timeline.kind, timeline.unknown
    if KIND in unknown:
        return []
    if START in unknown:
        return [KIND]  # no deadline without it: the verdict explains how to find it
    needed = [KIND, START]
    if kind == "urgent" and timeline.start is not None and not isinstance(timeline.start, dt.datetime):
        needed.append(REQUEST_HOUR)  # "Tuesday morning": the hours count from the hour, so it is asked
    if not timeline.just_checking and kind == "followup":
        needed.append(CANCELED)  # only a follow-up's message says which visit the clock is not counted from
    needed.append(OFFER_MADE)
    if timeline.offer_made:
        needed.append(OFFER)
        if timeline.offered_as and timeline.offer:
            needed.append(INDIVIDUAL)
    needed.append(PRIOR_AUTHORIZATION if kind == "urgent" else LONGER_WAIT_APPROVED)
    return [fact for fact in needed if fact not in unknown]


def ask_simpler(fact: str, times_asked: int) -> bool:
    """A required question asked twice as written is asked a simpler way (with a way out)."""
    return fact in REQUIRED_FACTS and times_asked >= ASKS_AS_WRITTEN


def tries_to_answer(text: str, asking: str, now: dt.datetime, guidance: Guidance, language: str = "en") -> bool:
    """Whether a message the chat took for something else (a rights question) still reads as a try
    at the question asked ("the one before last" for the last visit): then it is an unanswered ask,
    so a misread answer cannot bring the same question back again and again."""
    if language == SPANISH:
        text = to_english(text, now.date()).text
    if NOT_KNOWN.search(text):
        return True
    if asking == KIND:
        return read_message(text, now, guidance).kind is not None
    if asking in DATE_FACTS:
        return says_a_role(text) or bool(read_message(text, now, guidance).uncued)
    if asking == REQUEST_HOUR:
        return find_hour(text) is not None or bool(read_message(text, now, guidance).uncued)
    return bool(LEADING_YES_NO.match(text))


def _kind_change(chosen: str | None, reading, current: str | None) -> str | None:
    """A new kind: from a button, a named kind, or (only when none is known) a guess."""
    if chosen in KINDS:
        return chosen if chosen != current else None
    if reading.kind and reading.kind != current and (current is None or not reading.kind_inferred):
        return reading.kind
    return None


def _asked_now(timeline: Timeline, result: TurnResult) -> dict[str, int]:
    return dict(result.changes.get(ASKED, timeline.asked))


def _unknown_now(timeline: Timeline, result: TurnResult) -> frozenset[str]:
    return result.changes.get(UNKNOWN, timeline.unknown)


def _set_kind(kind: str, guessed: bool, timeline: Timeline, guidance: Guidance, result: TurnResult, language: str):
    """A new kind; a guess is said, so the patient can correct it. A kind counted from another
    day (a request, not the last visit) makes the start a new question."""
    result.changes[KIND] = kind
    asked = {name: times for name, times in _asked_now(timeline, result).items() if name != KIND_GUESSED}
    if guessed:
        result.problems.append(say(language, "kind_guess", KIND_GUESS))
        asked[KIND_GUESSED] = 1
    standards = guidance.standards
    if timeline.kind and standards[kind].counts_from != standards[timeline.kind].counts_from:
        result.changes[START] = None
        asked.pop(START, None)
        result.changes[UNKNOWN] = _unknown_now(timeline, result) - {START}
    if asked != timeline.asked:
        result.changes[ASKED] = asked


def _plan_change(chosen: str | None, text: str, current: str | None) -> str | None:
    plan = chosen or find_plan(text)
    return plan if plan and plan != current else None


def _nearest_known_date(mention: DateMention, timeline: Timeline, today: dt.date) -> str | None:
    """For "sorry, it was Oct 29": the date fact whose value is closest to the new date."""
    distances = []
    for fact in DATE_FACTS:
        current = timeline.fact(fact)
        if current is None:
            continue
        try:
            candidate = resolve(mention, today, None if fact == START else day_of(current) - UNANCHORED_LOOKBACK)
        except InputError:
            return None
        distances.append((abs((candidate - day_of(current)).days), fact))
    return min(distances)[1] if distances else None


def _assign_dates(reading, timeline: Timeline, asking: str | None, today: dt.date) -> dict[str, DateMention]:
    """Which date fact each mention in the message gives."""
    # The clock's start: the last visit for a follow-up, the request for the others, when a message has both
    # ("I saw my therapist Oct 18 ... today they finally called": the call is not the start).
    kind = timeline.kind or reading.kind
    preferred = REQUEST if kind in ("initial", "psychiatry", "urgent") else LAST_VISIT
    assigned = {}
    dates = dict(reading.dates)
    if preferred == REQUEST and REQUEST in dates and LAST_VISIT in dates and OFFERED_ROLE not in dates:
        # "I asked Good Friday at 5:45 pm and they saw me Easter Sunday at 10": the visit after the
        # request is the appointment they gave, not another start
        try:
            if resolve(dates[REQUEST], today) < resolve(dates[LAST_VISIT], today):
                dates[OFFERED_ROLE] = dates.pop(LAST_VISIT)
        except InputError:
            pass
    for role, mention in sorted(dates.items(), key=lambda item: item[0] == preferred):
        if role == REQUEST and kind == "followup":
            continue  # a follow-up counts from the last visit: "they called yesterday" is no start
        assigned[ROLE_FACTS[role]] = mention  # the preferred role comes last, so it wins
    if reading.uncued:
        target, first = None, _first_uncued(reading.uncued)
        if reading.correction and not (
            reading.correction_weak and asking in DATE_FACTS and timeline.fact(asking) is None
        ):
            # "actually, it was the 24th": the known date nearest it is the one corrected. A date asked
            # for and not yet known is the answer, whatever words come with it ("today's, actually. 10/15")
            target = _nearest_known_date(first, timeline, today) or asking
        elif asking in DATE_FACTS:
            target = asking
        elif asking == REQUEST_HOUR:
            target = START  # "Tuesday the 19th, 10:30 am": the request again, with its hour
        elif asking in (OFFER_MADE, INDIVIDUAL):
            target = OFFER
        elif asking and timeline.start is None:
            target = START  # a date while the kind is asked: nothing lost, it is the one the clock counts from
        elif asking is None and timeline.start and not timeline.offer:
            target = OFFER  # after a verdict, a bare new date is the new offer
        elif (
            asking is None
            and kind in ("urgent", "initial", "psychiatry")
            and timeline.start is None
            and START not in assigned
            and not any(first.start == m.start for m in assigned.values())
            and not first.bare_weekday
            and _in_the_past(first, today)
        ):
            # the first message of a case counted from a request: "flagged me as urgent yesterday
            # morning at 8:15 and sent a request": a past day with no cue of its own is the request
            # (a follow-up's last visit is asked: "they called yesterday" is no visit)
            target = START
        if target in DATE_FACTS and target not in assigned:
            assigned[target] = first
    return assigned


def _in_the_past(mention: DateMention, today: dt.date) -> bool:
    if mention.value is None or not (mention.relative or mention.month_given or mention.day_of_month):
        return False  # a bare weekday may be ahead or behind: it waits for its question
    try:
        return resolve(mention, today) < today
    except InputError:
        return False


def _first_uncued(uncued: list) -> DateMention:
    """The first date with no cue; when the message names that day again with its hour ("el lunes 6,
    el día de Reyes, a las 9:15"), the naming with the hour."""
    first = uncued[0]
    if first.time_given or first.value is None:
        return first
    timed = (m for m in uncued[1:] if m.time_given and m.value is not None and _same_day(m, first))
    return next(timed, first)


def _same_day(one: DateMention, other: DateMention) -> bool:
    """Whether two mentions name the same day; a year not written is settled later, so month and day decide."""
    assert one.value is not None and other.value is not None  # both real days (_first_uncued)
    if one.year_given and other.year_given:
        return one.value.date() == other.value.date()
    return (one.value.month, one.value.day) == (other.value.month, other.value.day)


def _month_written(mention: DateMention) -> bool:
    return mention.month_given and not mention.relative and mention.day_of_month is None


def _resolve_dates(assigned, timeline: Timeline, kind, today, result: TurnResult, language: str) -> dict[str, dt.date]:
    """The dates of the assigned mentions; the start first, the others anchored on it."""
    values: dict[str, dt.date] = {}
    for fact in DATE_FACTS:
        mention = assigned.get(fact)
        if mention is None:
            continue
        start = values.get(START) or timeline.start
        anchor = None if fact == START else (start and day_of(start)) or today - UNANCHORED_LOOKBACK
        canceled = values.get(CANCELED) or timeline.fact(CANCELED)
        if fact == OFFER and canceled and anchor and day_of(canceled) > anchor and not _month_written(mention):
            # "canceled Nov 5, the new date is the 14th": the 14th after Nov 5; but a month written
            # may come before the canceled day ("cancelaron la del 5/6 y me dieron el 3/6": moved earlier)
            anchor = day_of(canceled)
        try:
            # Only urgent requests are counted in hours; a date given without a time stays a date.
            # An urgent offer falls within days of the request, so a bare weekday is the one after it.
            value = (
                resolve_moment(mention, today, anchor, same_week=fact == OFFER and start is not None)
                if kind == "urgent" and fact != CANCELED
                else resolve(mention, today, anchor)
            )
            if fact == CANCELED and mention.bare_weekday and anchor:
                # "mine canceled tues": the Tuesday just gone, when it comes after the last visit
                gone = resolve(mention, today)
                value = gone if gone > anchor else value
            if fact == OFFER and start and contradicts_weekday(mention, day_of(value)):
                # "the 21st was canceled ... they put me in on Friday January 17": an earlier offer,
                # after the last visit, not the Saturday of next year
                value = resolve(mention, today, day_of(start))
        except InputError as error:
            result.problems.append(error_text(error, language))
            result.changes[fact] = None
            continue
        values[fact] = value
        if mention.approximate:
            result.problems.append(_approximate_note(mention, day_of(value), language))
    return values


def _drop_restated_start(values: dict, assigned: dict, reading, timeline: Timeline, kind) -> None:
    """ "(Monday, the day before the election, to be clear)" in answer to "has the plan offered a
    new date?": a date with no cue that is the start again restates it; it is no offer."""
    mention, start = assigned.get(OFFER), values.get(START) or timeline.start
    if (
        (kind != "urgent" or values.get(OFFER) == start)
        and OFFER in values
        and start is not None
        and any(mention is uncued for uncued in reading.uncued)
        and day_of(values[OFFER]) == day_of(start)
    ):
        del values[OFFER]


def _say_what_changed(values: dict, timeline: Timeline, reading, result: TurnResult, language: str) -> None:
    """ "actually, it was the 24th": a date told again in other words is said back, so the patient
    knows what the count now uses."""
    if not reading.correction:
        return
    for fact, value in values.items():
        before = timeline.fact(fact)
        if before is None or day_of(before) == day_of(value):
            continue
        if language == SPANISH:
            what = spanish_phrases()["changed_what"][fact]
            result.problems.append(say(language, "changed_date", "", what=what, date=spanish_date(day_of(value))))
        else:
            what = {
                START: "the date the count starts from",
                CANCELED: "the canceled appointment",
                OFFER: "the offered date",
            }
            result.problems.append(f"Got it: I changed {what[fact]} to {day_of(value):%A, %B} {day_of(value).day}.")


def _hour_of_request(text: str, values: dict, timeline: Timeline, result: TurnResult) -> None:
    """The answer to "at about what time did you ask?": an hour alone joins the day already told;
    a day with its hour replaces it. Either way the question is answered."""
    start = values.get(START)
    if start is None and isinstance(timeline.start, dt.date) and (hour := find_hour(text)) is not None:
        start = values[START] = dt.datetime.combine(day_of(timeline.start), hour)
    if isinstance(start, dt.datetime):
        result.changes[REQUEST_HOUR] = f"{start:%H:%M}"


def _keep_start_before_attended_offer(values: dict, timeline: Timeline) -> None:
    """ "they gave me the 13th, and I went": a visit on the offered day is that offer kept, not a new
    last visit; the clock that judged the offer still counts from the visit before it."""
    offer, start = values.get(OFFER) or timeline.offer, values.get(START)
    if (
        start is not None
        and offer is not None
        and timeline.start is not None
        and day_of(start) == day_of(offer)
        and day_of(timeline.start) < day_of(offer)
    ):
        del values[START]


def _approximate_note(mention: DateMention, taken: dt.date, language: str) -> str:
    """ "this week" is a range: say which day was taken, so the patient can correct it."""
    if language == SPANISH:  # mention.text is the English rewrite: the Spanish words leave it out
        words = spanish_phrases()
        example = f"{taken.day} de {words['months'][taken.month - 1]}"
        return words["took_range_as"].format(date=spanish_date(taken), example=example)
    return (
        f'I took "{mention.text}" as {taken:%A, %B} {taken.day}; if it was another day, '
        f'just tell me the date (for example "{taken:%b} {taken.day}").'
    )


# Where one offer's words end and another's begin: "a group on Dec 4 or a one-on-one on Dec 5".
_OFFER_CLAUSE_BREAK = re.compile(r"[.;!?\n]|\s(?:or|and|but|o|y|pero)\s", re.IGNORECASE)


def _offer_clause(text: str, offer: DateMention | None) -> str:
    """The words said about the offered date (its clause), or the whole message when no date was
    offered in it: "group" elsewhere in the message is about another offer."""
    at = text.lower().find(offer.text.lower()) if offer else -1
    if offer is None or at < 0:
        return text
    breaks = [m for m in _OFFER_CLAUSE_BREAK.finditer(text)]
    begin = max((m.end() for m in breaks if m.end() <= at), default=0)
    end = min((m.start() for m in breaks if m.start() >= at + len(offer.text)), default=len(text))
    return text[begin:end]


def _yes_no(answers: Answers, text: str, asking: str | None, timeline: Timeline, changes: dict) -> None:
    if asking in YES_NO_FACTS:
        # "yes, my therapist wrote that in my chart" may be read as a fact: its first word still answers.
        said = answers.yes
        if said is None and (starts := LEADING_YES_NO.match(text)):
            said = starts.group(1) is not None
        if said is None and asking == OFFER_MADE and not changes.get(OFFER) and NOTHING_OFFERED.search(text):
            said = False
        if said is not None:
            changes[asking] = said
    if changes.get(OFFER):
        changes[OFFER_MADE] = True
        if changes[OFFER] != timeline.offer and INDIVIDUAL not in changes:
            changes[INDIVIDUAL] = None  # a new offer: whether it is individual is asked again
    if changes.get(OFFER_MADE) is False and timeline.offer:
        changes[OFFER] = None


def _check_order(
    merged: Timeline, changed_dates: list[str], now: dt.datetime, result: TurnResult, language: str = "en"
) -> None:
    kind, start = merged.kind, merged.start
    if not kind or start is None:
        return
    offered = merged.offer if merged.offer_made else None
    moment = now if kind == "urgent" else now.date()
    try:
        validate_timeline(kind, start, offered, day_of(merged.canceled), moment, language)
        return
    except InputError as error:
        problem = str(error)
    # The newest word wins: a canceled or offered date said earlier that now comes before the start
    # is set aside (and said so), rather than the date the patient just gave being refused again.
    older = [
        f
        for f in (CANCELED, OFFER)
        if f not in changed_dates and merged.fact(f) and day_of(merged.fact(f)) < day_of(start)
    ]
    if older and START in changed_dates:
        kept = merged.changed({f: None for f in older})
        try:
            validate_timeline(
                kind, start, kept.offer if kept.offer_made else None, day_of(kept.canceled), moment, language
            )
        except InputError:
            pass
        else:
            for fact in older:
                result.changes[fact] = None
                result.problems.append(_set_aside(fact, merged.fact(fact), language))
            return
    result.problems.append(problem)
    for fact in changed_dates:
        result.changes[fact] = None


def _set_aside(fact: str, value, language: str) -> str:
    day = day_of(value)
    if language == SPANISH:
        what = spanish_phrases()["set_aside_what"][fact]
        return spanish_phrases()["set_aside"].format(what=what, date=spanish_date(day))
    what = {CANCELED: "canceled appointment", OFFER: "offered date"}[fact]
    return (
        f"The {what} you gave before ({day:%A, %B} {day.day}) comes before that, so I set it aside. "
        "If it still matters, tell me that date again."
    )


def _mark_unknown(fact: str, timeline: Timeline, result: TurnResult) -> None:
    result.changes[UNKNOWN] = _unknown_now(timeline, result) | {fact}
    result.changes[fact] = None


def _give_up(fact: str, timeline: Timeline, result: TurnResult) -> None:
    if fact in YES_NO_FACTS and fact != INDIVIDUAL:
        result.changes[fact] = False  # "not sure" counts as no: the button says "No / not sure"
    else:
        _mark_unknown(fact, timeline, result)


def _doubted_facts(reading, asking: str | None, timeline: Timeline, result: TurnResult) -> None:
    """ "It was on the 4th, no idea if they offered anything": a fact other than the one asked, said
    to be unknown, is not asked as written (a required one goes to the simpler question)."""
    for role in reading.doubted:
        fact = OFFER if role == OFFERED_ROLE and timeline.offer_made else DOUBTED_FACTS[role]
        if fact == asking or fact in _unknown_now(timeline, result):
            continue
        if timeline.fact(fact) is not None or result.changes.get(fact) is not None:
            continue
        if fact in REQUIRED_FACTS:
            asked = _asked_now(timeline, result)
            result.changes[ASKED] = {**asked, fact: max(asked.get(fact, 0), ASKS_AS_WRITTEN)}
        else:
            _give_up(fact, timeline, result)


def _max_asks(fact: str) -> int:
    if fact in REQUIRED_FACTS:
        return ASKS_AS_WRITTEN + 1  # the last time as a simpler question, with buttons and a way out
    return 1 if fact in ASKED_ONCE else ASKS_AS_WRITTEN


def _not_answered(
    text: str, answers: Answers, timeline: Timeline, asking: str, result: TurnResult, language: str = "en"
) -> None:
    """The asked question got no usable answer: ask again, more simply, or go on without it."""
    asked = timeline.asked.get(asking, 0)
    said_something = bool(result.problems) or any(v is not None for v in result.changes.values())
    # A bare "no" is "not known" for a fact that may be skipped; a required one needs the words.
    not_known = bool(NOT_KNOWN.search(text)) or (
        answers.yes is False and not said_something and asking not in REQUIRED_FACTS
    )
    if asking in REQUIRED_FACTS and not_known and asked <= ASKS_AS_WRITTEN:
        result.changes[ASKED] = {**_asked_now(timeline, result), asking: ASKS_AS_WRITTEN}  # to the simpler question
        result.changes[asking] = None
    elif asked >= _max_asks(asking) or not_known:
        _give_up(asking, timeline, result)
        if not not_known and not said_something:
            result.problems.append(say(language, "no_problem", NO_PROBLEM))
    elif not said_something:
        if asking == KIND:
            result.problems.append(say(language, "need_kind", NEED_KIND))
        elif asking in DATE_FACTS:
            result.problems.append(say(language, "unreadable_date", UNREADABLE_DATE))
        else:
            result.problems.append(say(language, "need_yes_no", NEED_YES_NO))
        result.changes[asking] = None


def _forget_unknowns_now_known(timeline: Timeline, result: TurnResult) -> None:
    answered = {fact for fact, value in result.changes.items() if value is not None}
    unknown = _unknown_now(timeline, result)
    if answered & unknown:
        result.changes[UNKNOWN] = unknown - answered


def _say_day_first(ambiguous: list[tuple[dt.date, dt.date]], result: TurnResult) -> None:
    """ "4/11" from a Spanish speaker is read day first (November 4); the reading is said, so the
    patient can correct it, rather than asked (the answer would only repeat the date)."""
    for month_day, day_month in ambiguous[:1]:
        result.problems.append(
            say(SPANISH, "read_day_first", "", taken=spanish_date(day_month), other=spanish_date(month_day))
        )


def read_turn(
    timeline: Timeline,
    text: str,
    answers: Answers,
    asking: str | None,
    now: dt.datetime,
    guidance: Guidance,
    language: str = "en",
) -> TurnResult:
    """The facts one patient message changes, and problems to show; Spanish is read through its English rewrite."""
    result = TurnResult()
    if answers.interruption and answers.may_answer and asking and "?" not in text:
        # "just the group class, no individual appt", taken for a question about group classes: when
        # the words answer the question asked, they are the answer, and the form goes on
        as_answer = read_turn(
            timeline, text, dataclasses.replace(answers, interruption=False), asking, now, guidance, language
        )
        if as_answer.changes.get(asking) is not None:
            return as_answer
        if asking in ASKED_ONCE and asking in _unknown_now(timeline, as_answer):
            # "las próximas con ella mientras está de vacaciones" to "which visit was canceled?", taken
            # for off topic: a question asked once takes it as its answer (not known), and goes on
            return as_answer
    if answers.interruption:
        # the chat answers first (crisis above all); the form then asks again, unless the message
        # was another try at a question already asked as often as it may be: then the form goes on
        # without that fact, so no reply comes back again and again
        asked = timeline.asked.get(asking, 0) if asking else 0
        if (
            asking
            and not answers.never_an_answer
            and asked >= _max_asks(asking)
            and tries_to_answer(text, asking, now, guidance, language)
        ):
            _give_up(asking, timeline, result)
        return result
    text = own_words = text or ""
    if language == SPANISH:
        spanish = to_english(text, now.date())
        _say_day_first(spanish.ambiguous, result)
        text = spanish.text
    reading = read_message(text, now, guidance, own_words)
    new_kind = _kind_change(answers.kind, reading, timeline.kind)
    if new_kind:
        guessed = reading.kind_guessed and new_kind == reading.kind and answers.kind not in KINDS
        _set_kind(new_kind, guessed, timeline, guidance, result, language)
    kind = new_kind or timeline.kind
    new_plan = _plan_change(answers.plan, text, timeline.plan_name)
    if new_plan:
        result.changes[PLAN_NAME] = new_plan

    assigned = _assign_dates(reading, timeline, asking, now.date())
    if asking == OFFER_MADE and OFFER in assigned and OFFERED_ROLE not in reading.dates and OPENS_WITH_NO.match(text):
        # "not yet, they said 'later this week'": a no, and a day the patient was only told about
        del assigned[OFFER]
    values = _resolve_dates(assigned, timeline, kind, now.date(), result, language)
    _drop_restated_start(values, assigned, reading, timeline, kind)
    _keep_start_before_attended_offer(values, timeline)
    if asking == REQUEST_HOUR:
        _hour_of_request(text, values, timeline, result)
    elif kind == "urgent" and not values and isinstance(timeline.start, dt.datetime):
        hour = restates_an_hour(own_words, now)
        if hour is not None and hour != timeline.start.time():
            values[START] = dt.datetime.combine(timeline.start.date(), hour)  # "it was 11:30, not 11"
    _say_what_changed(values, timeline, reading, result, language)
    result.changes.update(values)
    format_match = NOT_INDIVIDUAL.search(_offer_clause(text, assigned.get(OFFER)))
    if format_match and values.get(OFFER) and (THEN_A_REAL_OFFER.search(text) or DECLINED.search(text)):
        # A group class or a phone call is no appointment offered when it was turned down ("me ofrecieron
        # un taller en grupo ... les dije que no"); when a real appointment came after it ("then they gave
        # me my own appointment with my counselor"), one was offered, its date still to ask
        made = bool(THEN_A_REAL_OFFER.search(text))
        result.changes.update({OFFER: None, OFFER_MADE: made, OFFERED_AS: None})
        values.pop(OFFER)
        format_match = None
    if format_match and asking == INDIVIDUAL and answers.yes is None:
        result.changes[INDIVIDUAL] = False  # "lo que me ofrecieron era grupo": not an individual appointment
    if format_match and (values.get(OFFER) or asking in (OFFER_MADE, OFFER)):
        result.changes[OFFERED_AS] = format_match.group(0).lower()
        if NO_INDIVIDUAL.search(text):
            result.changes[INDIVIDUAL] = False  # "just the group class, no individual appt"
    elif values.get(OFFER) and asking != OFFER:
        result.changes[OFFERED_AS] = None  # a new offer, said to be nothing special
    _yes_no(answers, text, asking, timeline, result.changes)
    told = prior_authorization_said(own_words)
    if told is not None and PRIOR_AUTHORIZATION not in result.changes and told != timeline.fact(PRIOR_AUTHORIZATION):
        result.changes[PRIOR_AUTHORIZATION] = told  # "L.A. Care said it needs prior authorization": not asked
    if values:
        _check_order(timeline.changed(result.changes), list(values), now, result, language)

    if (
        format_match
        and asking == OFFER_MADE
        and answers.yes is not False
        and not values
        and OFFER_MADE not in result.changes
    ):
        # "only a group class": an offer whose date comes next; but "a group, and no individual
        # appointment offered" already said no
        result.changes[OFFER_MADE] = True
    if asking and result.changes.get(asking) is None:
        _not_answered(text, answers, timeline, asking, result, language)
    _doubted_facts(reading, asking, timeline, result)
    _forget_unknowns_now_known(timeline, result)
    for fact in (OFFERED_AS, INDIVIDUAL):
        if fact in result.changes and result.changes[fact] == timeline.fact(fact):
            del result.changes[fact]  # nothing new about the offer
    return result

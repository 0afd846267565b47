"""One turn of the appointment form: what the patient's message changes.

Pure: takes the message (text, intent, entities), the current slot values and
the slot the bot asked for; returns the slot changes and one-line problems to
show before asking again. The Rasa form action only passes these through.

Only what the law needs is required: the kind, and the date the clock counts
from. Everything else is asked at most once or twice, and "I don't know" is
always an answer: an unknown fact goes into `unknown_facts` and is not asked
again, so no question can come back a third time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .dates import DateMention, resolve, resolve_moment
from .errors import InputError
from .plans import find_plan
from .reading import CANCELED, LAST_VISIT, OFFERED, REQUEST, read_message
from .seeds import KINDS, Guidance
from .spanish_dates import to_english
from .verdict import validate_timeline
from .wording import SPANISH, say, spanish_date

DATE_SLOTS = ("start_date", "canceled_date", "offered_date")
YES_NO_SLOTS = ("offered", "longer_wait_ok", "prior_auth", "offer_individual")
# Without these there is no deadline; they get a simpler question before being given up.
REQUIRED_SLOTS = ("appointment_kind", "start_date")
# Asked once: a non-answer means "unknown", and the form goes on.
ASKED_ONCE = ("canceled_date", "offered_date", "offer_individual")
# How many times a question is asked as written before a simpler one replaces it.
ASKS_AS_WRITTEN = 2
UNKNOWN = "unknown_facts"
TRIES = "question_tries"
ROLE_SLOTS = {LAST_VISIT: "start_date", REQUEST: "start_date", CANCELED: "canceled_date", OFFERED: "offered_date"}
# Intents that interrupt the form: the rules answer them, then the form goes on.
INTERRUPTIONS = {
    "crisis",
    "distress",
    "resume",  # "ok let's continue": the pending question again, not an answer to it
    "greet",
    "goodbye",
    "thank",
    "bot_challenge",
    "help",
    "out_of_scope",
    "start_over",
    "ask_out_of_network",
    "ask_followup_rule",
    "ask_wait_times",
    "ask_escalation",
    "ask_grievance",
    "ask_dmhc",
    "ask_strike",
    "ask_my_rights",
    "ask_group_class",
    "delete_my_data",
    "choose_language",
}
# "I don't know" in the ways patients write it; also "none, this is my first appointment".
NOT_KNOWN = re.compile(
    r"\b(?:i\s+)?(?:do\s*n[o']?t|dont|can'?t|cannot|don't)\s+(?:know|remember|recall|find)|\bidk\b|dunno|"
    r"not sure|unsure|no idea|no clue|forgot|\bskip\b|\bn/?a\b|\bnone\b|not applicable|no date|"
    r"first (?:appointment|visit|time|session)|never (?:had|been|went)|nothing (?:was )?(?:canceled|cancelled)",
    re.IGNORECASE,
)
# Offers that are not an individual appointment with a therapist.
NOT_INDIVIDUAL = re.compile(
    r"\b(?:group(?: therapy| session| class)?|class(?:es)?|workshop|webinar|support group|"
    r"phone check[- ]?in|check[- ]?in call|check[- ]?in)\b",
    re.IGNORECASE,
)
LEADING_YES_NO = re.compile(r"\s*(?:(yes|yeah|yep|yup|sure|correct|they did)|no|nope|nah)\b", re.IGNORECASE)
UNREADABLE_DATE = 'I could not find a date in that. Please write it like "Oct 28", "10/28/2024" or "last Monday".'
NEED_YES_NO = "Please answer yes or no (the buttons work too)."
NEED_KIND = "Sorry, I did not catch which kind of appointment it was."
NO_PROBLEM = "That's okay, I'll go on without it."
# In TRIES: the patient was asked once whether "4/11" was April 11 or November 4.
ASKED_DAY_MONTH = "day_or_month"
# An offered or canceled date with no anchor yet is looked for after this many days ago.
UNANCHORED_LOOKBACK = dt.timedelta(days=60)


@dataclass
class TurnResult:
    changes: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def required_slots(slots: dict[str, Any]) -> list[str]:
    """The questions to ask, in order, given what is known so far (unknown facts are not asked again)."""
    kind = slots.get("appointment_kind")
    unknown = set(slots.get(UNKNOWN) or ())
    if "appointment_kind" in unknown:
        return []
    if "start_date" in unknown:
        return ["appointment_kind"]  # no deadline without it: the verdict action explains how to find it
    needed = ["appointment_kind", "start_date"]
    if not slots.get("check_only") and kind != "urgent":
        needed.append("canceled_date")
    needed.append("offered")
    if slots.get("offered"):
        needed.append("offered_date")
        if slots.get("offer_format") and slots.get("offered_date"):
            needed.append("offer_individual")
    needed.append("prior_auth" if kind == "urgent" else "longer_wait_ok")
    return [slot for slot in needed if slot not in unknown]


def parse_slot_date(value: str | None) -> dt.date | dt.datetime | None:
    """Slots hold ISO text; urgent start dates carry a time."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)


def _kind_change(entities: list[dict], reading, current: str | None) -> str | None:
    """A new kind: from a button, a named kind, or (only when none is known) a guess."""
    for entity in entities:
        if entity.get("entity") == "appointment_kind" and entity.get("value") in KINDS:
            return entity["value"] if entity["value"] != current else None
    if reading.kind and reading.kind != current and (current is None or not reading.kind_inferred):
        return reading.kind
    return None


def _plan_change(entities: list[dict], text: str, current: str | None) -> str | None:
    chosen = next((e.get("value") for e in entities if e.get("entity") == "plan"), None)
    plan = chosen or find_plan(text)
    return plan if plan and plan != current else None


def _nearest_filled_slot(mention: DateMention, slots: dict, today: dt.date) -> str | None:
    """For "sorry, it was Oct 29": the date slot whose value is closest to the new date."""
    distances = []
    for slot in DATE_SLOTS:
        current = parse_slot_date(slots.get(slot))
        if current is None:
            continue
        try:
            candidate = resolve(mention, today, None if slot == "start_date" else _day(current) - UNANCHORED_LOOKBACK)
        except InputError:
            return None
        distances.append((abs((candidate - _day(current)).days), slot))
    return min(distances)[1] if distances else None


def _assign_dates(reading, slots: dict, requested: str | None, today: dt.date) -> dict[str, DateMention]:
    """Which date slot each mention in the message fills."""
    assigned = {ROLE_SLOTS[role]: mention for role, mention in reading.dates.items()}
    if reading.uncued:
        target = None
        if reading.correction:
            target = _nearest_filled_slot(reading.uncued[0], slots, today) or requested
        elif requested in DATE_SLOTS:
            target = requested
        elif requested in ("offered", "offer_individual"):
            target = "offered_date"
        elif requested is None and slots.get("start_date") and not slots.get("offered_date"):
            target = "offered_date"  # after a verdict, a bare new date is the new offer
        if target in DATE_SLOTS and target not in assigned:
            assigned[target] = reading.uncued[0]
    return assigned


def _resolve_dates(assigned, slots, kind, today, result: TurnResult) -> dict[str, str]:
    """ISO values for the assigned mentions; start first, the others anchored on it."""
    values = {}
    for slot in DATE_SLOTS:
        mention = assigned.get(slot)
        if mention is None:
            continue
        start = parse_slot_date(values.get("start_date") or slots.get("start_date"))
        anchor = None if slot == "start_date" else (start and _day(start)) or today - UNANCHORED_LOOKBACK
        try:
            # Only urgent requests are counted in hours; a date given without a time stays a date.
            # An urgent offer falls within days of the request, so a bare weekday is the one after it.
            value = (
                resolve_moment(mention, today, anchor, same_week=slot == "offered_date" and start is not None)
                if kind == "urgent" and slot != "canceled_date"
                else resolve(mention, today, anchor)
            )
        except InputError as error:
            result.problems.append(str(error))
            result.changes[slot] = None
            continue
        values[slot] = value.isoformat()
        if mention.approximate:
            result.problems.append(_approximate_note(mention, _day(value)))
    return values


def _approximate_note(mention: DateMention, taken: dt.date) -> str:
    """ "this week" is a range: say which day was taken, so the patient can correct it."""
    return (
        f'I took "{mention.text}" as {taken:%A, %B} {taken.day}; if it was another day, '
        f'just tell me the date (for example "{taken:%b} {taken.day}").'
    )


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _yes_no(intent: str | None, text: str, requested: str | None, slots: dict, changes: dict) -> None:
    if requested in YES_NO_SLOTS:
        # "yes, my therapist wrote that in my chart" may be read as a fact: its first word still answers.
        said = {"affirm": True, "deny": False}.get(intent)
        if said is None and (starts := LEADING_YES_NO.match(text)):
            said = starts.group(1) is not None
        if said is not None:
            changes[requested] = said
    if changes.get("offered_date"):
        changes["offered"] = True
        if changes["offered_date"] != slots.get("offered_date") and "offer_individual" not in changes:
            changes["offer_individual"] = None  # a new offer: whether it is individual is asked again
    if changes.get("offered") is False and slots.get("offered_date"):
        changes["offered_date"] = None


def _check_order(
    merged: dict, changed_dates: list[str], today: dt.datetime, result: TurnResult, language: str = "en"
) -> None:
    kind = merged.get("appointment_kind")
    start = parse_slot_date(merged.get("start_date"))
    if not kind or start is None:
        return
    offered = parse_slot_date(merged.get("offered_date")) if merged.get("offered") else None
    canceled = parse_slot_date(merged.get("canceled_date"))
    try:
        moment = today if kind == "urgent" else today.date()
        validate_timeline(kind, start, offered, canceled and _day(canceled), moment, language)
    except InputError as error:
        result.problems.append(str(error))
        for slot in changed_dates:
            result.changes[slot] = None


def _mark_unknown(slot: str, slots: dict, result: TurnResult) -> None:
    result.changes[UNKNOWN] = sorted({*(slots.get(UNKNOWN) or ()), slot})
    result.changes[slot] = None


def _max_asks(slot: str) -> int:
    if slot in REQUIRED_SLOTS:
        return ASKS_AS_WRITTEN + 1  # the last time as a simpler question, with buttons and a way out
    return 1 if slot in ASKED_ONCE else ASKS_AS_WRITTEN


def _not_answered(
    text: str, intent: str | None, slots: dict, requested: str, result: TurnResult, language: str = "en"
) -> None:
    """The asked question got no usable answer: ask again, more simply, or go on without it."""
    tries = slots.get(TRIES) or {}
    asked = tries.get(requested, 0)
    said_something = bool(result.problems) or any(v is not None for v in result.changes.values())
    # A bare "no" is "not known" for a fact that may be skipped; a required one needs the words.
    not_known = bool(NOT_KNOWN.search(text)) or (
        intent == "deny" and not said_something and requested not in REQUIRED_SLOTS
    )
    if requested in REQUIRED_SLOTS and not_known and asked <= ASKS_AS_WRITTEN:
        result.changes[TRIES] = {**tries, requested: ASKS_AS_WRITTEN}  # straight to the simpler question
        result.changes[requested] = None
    elif asked >= _max_asks(requested) or not_known:
        if requested in YES_NO_SLOTS and requested != "offer_individual":
            result.changes[requested] = False  # "not sure" counts as no: the button says "No / not sure"
        else:
            _mark_unknown(requested, slots, result)
        if not not_known and not said_something:
            result.problems.append(say(language, "no_problem", NO_PROBLEM))
    elif not said_something:
        if requested == "appointment_kind":
            result.problems.append(say(language, "need_kind", NEED_KIND))
        elif requested in DATE_SLOTS:
            result.problems.append(say(language, "unreadable_date", UNREADABLE_DATE))
        else:
            result.problems.append(say(language, "need_yes_no", NEED_YES_NO))
        result.changes[requested] = None


def _forget_unknowns_now_known(slots: dict, result: TurnResult) -> None:
    unknown = slots.get(UNKNOWN) or ()
    answered = {slot for slot, value in result.changes.items() if value is not None}
    if answered & set(unknown):
        result.changes[UNKNOWN] = [slot for slot in unknown if slot not in answered]


def _ask_day_or_month(ambiguous: list[tuple[dt.date, dt.date]], slots: dict, result: TurnResult) -> bool:
    """ "4/11" from a Spanish speaker: April 11 (US) or November 4? Asked once, with both written out;
    asked already, the US reading stands."""
    tries = slots.get(TRIES) or {}
    if not ambiguous or tries.get(ASKED_DAY_MONTH):
        return False
    month_day, day_month = ambiguous[0]
    result.problems.append(
        say(
            SPANISH,
            "which_reading",
            "",
            first=spanish_date(day_month),
            second=spanish_date(month_day),
            example=spanish_date(day_month).split(", ")[1],
        )
    )
    result.changes[TRIES] = {**tries, ASKED_DAY_MONTH: 1}
    return True


def interpret(
    text: str,
    intent: str | None,
    entities: list[dict],
    slots: dict[str, Any],
    requested: str | None,
    now: dt.datetime,
    guidance: Guidance,
    language: str = "en",
) -> TurnResult:
    """Slot changes and problems for one patient message; Spanish is read through its English rewrite."""
    result = TurnResult()
    if intent in INTERRUPTIONS:
        return result  # a rule answers first (crisis above all); the form then asks again
    text = text or ""
    if language == SPANISH:
        spanish = to_english(text, now.date())
        if _ask_day_or_month(spanish.ambiguous, slots, result):
            return result
        text = spanish.text
    reading = read_message(text, now, guidance)
    new_kind = _kind_change(entities, reading, slots.get("appointment_kind"))
    if new_kind:
        result.changes["appointment_kind"] = new_kind
    kind = new_kind or slots.get("appointment_kind")
    new_plan = _plan_change(entities, text, slots.get("plan"))
    if new_plan:
        result.changes["plan"] = new_plan

    values = _resolve_dates(_assign_dates(reading, slots, requested, now.date()), slots, kind, now.date(), result)
    result.changes.update(values)
    format_match = NOT_INDIVIDUAL.search(text)
    if format_match and (values.get("offered_date") or requested in ("offered", "offered_date")):
        result.changes["offer_format"] = format_match.group(0).lower()
    elif values.get("offered_date") and requested != "offered_date":
        result.changes["offer_format"] = None  # a new offer, said to be nothing special
    _yes_no(intent, text, requested, slots, result.changes)
    if values:
        _check_order({**slots, **result.changes}, list(values), now, result, language)

    if format_match and requested == "offered" and intent != "deny" and not values:
        result.changes["offered"] = True  # "only a group class": an offer whose date comes next
    if requested and result.changes.get(requested) is None:
        _not_answered(text, intent, slots, requested, result, language)
    _forget_unknowns_now_known(slots, result)
    for slot in ("offer_format", "offer_individual"):
        if slot in result.changes and result.changes[slot] == slots.get(slot):
            del result.changes[slot]  # nothing new about the offer
    return result

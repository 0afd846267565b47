"""The one place where the patient's timeline meets Rasa.

Slots <-> the engine's Timeline (care_clock/case/timeline.py), and a message's
intent and entities -> the plain answers the engine reads. The form's dates
are ISO text only here: slots keep them as "2024-10-28" (an urgent request with its time as
"2024-11-16T09:00:00"); the engine gets real dates. It reads plain dicts, so the
conversion is tested without a tracker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.events import EventType, SlotSet

from care_clock.case import intake
from care_clock.case.timeline import (
    ASKED,
    CANCELED,
    DATE_FACTS,
    INDIVIDUAL,
    JUST_CHECKING,
    KIND,
    LONGER_WAIT_APPROVED,
    OFFER,
    OFFER_MADE,
    OFFERED_AS,
    PLAN_NAME,
    PRIOR_AUTHORIZATION,
    QUESTIONS,
    REQUEST_HOUR,
    START,
    UNKNOWN,
    Moment,
    Timeline,
)
from care_clock.facts import KINDS, Guidance

SLOT_OF_FACT = {
    KIND: "appointment_kind",
    START: "start_date",
    REQUEST_HOUR: "request_time",
    CANCELED: "canceled_date",
    OFFER_MADE: "offered",
    OFFER: "offered_date",
    OFFERED_AS: "offer_format",
    INDIVIDUAL: "offer_individual",
    PRIOR_AUTHORIZATION: "prior_auth",
    LONGER_WAIT_APPROVED: "longer_wait_ok",
    PLAN_NAME: "plan",
    JUST_CHECKING: "check_only",
    UNKNOWN: "unknown_facts",
    ASKED: "question_tries",
}
FACT_OF_SLOT = {slot: fact for fact, slot in SLOT_OF_FACT.items()}
# The form's questions: each has its action_ask_<slot> and utter_ask_<slot>.
QUESTION_SLOTS = tuple(SLOT_OF_FACT[fact] for fact in QUESTIONS)
# Forgotten when another appointment is reported; the plan stays (usually the same one)
# and check_only is set by whoever starts the report.
REPORT_SLOTS = tuple(slot for fact, slot in SLOT_OF_FACT.items() if fact not in (PLAN_NAME, JUST_CHECKING))
# Questions about the rules and rights (answered by action_answer_rights).
RIGHTS_QUESTIONS = (
    "ask_out_of_network",
    "ask_followup_rule",
    "ask_wait_times",
    "ask_escalation",
    "ask_grievance",
    "ask_dmhc",
    "ask_strike",
    "ask_my_rights",
    "ask_group_class",
    "ask_running_out_of_medication",
)
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
    *RIGHTS_QUESTIONS,
    "ask_why",  # "why do you need that?": why the question is asked, then the question again
    "change_date",
    "delete_my_data",
    "choose_language",
}
# Never an answer, whatever words they hold: the pending question simply comes again.
NEVER_ANSWERS = {"crisis", "distress", "resume"}
# Taken for a question or small talk, but their words may answer the pending question.
MAY_ANSWER = {*RIGHTS_QUESTIONS, "out_of_scope", "help", "greet", "thank"}
YES_NO_INTENTS = {"affirm": True, "deny": False}


def slot_date(value: str | None) -> Moment | None:
    """A date slot's ISO text as a date (a datetime when it carries a time); None when empty or unreadable."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _fact_names(slot_names) -> list[str]:
    """Slot names as fact names; a name that is no slot (such as the day-or-month question) stays as it is."""
    return [FACT_OF_SLOT.get(name, name) for name in slot_names]


def timeline_from_slots(slots: Mapping[str, Any]) -> Timeline:
    tries = slots.get(SLOT_OF_FACT[ASKED]) or {}
    values = {fact: slots.get(slot) for fact, slot in SLOT_OF_FACT.items()}
    values.update({fact: slot_date(values[fact]) for fact in DATE_FACTS})
    values[JUST_CHECKING] = bool(values[JUST_CHECKING])
    values[UNKNOWN] = frozenset(_fact_names(slots.get(SLOT_OF_FACT[UNKNOWN]) or ()))
    values[ASKED] = dict(zip(_fact_names(tries), tries.values()))
    return Timeline(**values)


def timeline_of(tracker) -> Timeline:
    """The timeline in a tracker's slots."""
    return timeline_from_slots(tracker.slots)


def _slot_value(fact: str, value: Any) -> Any:
    if fact in DATE_FACTS:
        return value.isoformat() if value is not None else None
    if fact == UNKNOWN:
        return sorted(SLOT_OF_FACT.get(name, name) for name in value)
    if fact == ASKED:
        return {SLOT_OF_FACT.get(name, name): times for name, times in value.items()}
    return value


def slot_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Changes of facts as changes of slots (None clears a slot)."""
    return {SLOT_OF_FACT[fact]: _slot_value(fact, value) for fact, value in changes.items()}


def slot_events(changes: Mapping[str, Any]) -> list[EventType]:
    return [SlotSet(slot, value) for slot, value in slot_changes(changes).items()]


def answers_from(intent: str | None, entities: list[dict]) -> intake.Answers:
    """What the NLU understood, as plain answers: a yes or no, a kind or plan from a button, an interruption."""
    chosen = {}
    for entity in entities:
        name, value = entity.get("entity"), entity.get("value")
        if name == "appointment_kind" and value not in KINDS:
            continue  # only a kind the engine knows counts as chosen
        chosen.setdefault(name, value)
    # distress by the classifier alone, the crisis detector finding nothing ("well nothing yet
    # technically, my next weekly one just doesnt exist"): the check-in is said, and the words may still
    # answer the question, which must not come back again and again (blind rounds r12, r18)
    classifier_only = intent == "distress" and not any(e.get("extractor") == "CrisisGuard" for e in entities)
    return intake.Answers(
        yes=YES_NO_INTENTS.get(intent),
        kind=chosen.get("appointment_kind"),
        plan=chosen.get("plan"),
        interruption=intent in INTERRUPTIONS,
        never_an_answer=intent in NEVER_ANSWERS and not classifier_only,
        may_answer=intent in MAY_ANSWER or classifier_only,
    )


@dataclass
class SlotTurn:
    changes: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def form_turn(
    text: str,
    intent: str | None,
    entities: list[dict],
    slots: Mapping[str, Any],
    requested: str | None,
    now: dt.datetime,
    guidance: Guidance,
    language: str = "en",
) -> SlotTurn:
    """One form turn from Rasa's side: slots and NLU in, slot changes and problems out."""
    result = intake.read_turn(
        timeline_from_slots(slots),
        text,
        answers_from(intent, entities),
        FACT_OF_SLOT.get(requested) if requested else None,
        now,
        guidance,
        language,
    )
    return SlotTurn(slot_changes(result.changes), result.problems)


def required_slots(slots: Mapping[str, Any]) -> list[str]:
    """The form's questions still to ask, in order, as slot names (the engine decides which)."""
    return [SLOT_OF_FACT[fact] for fact in intake.facts_needed(timeline_from_slots(slots))]


def repeats_question(
    intent: str | None, text: str, slot: str, now: dt.datetime, guidance: Guidance, language: str = "en"
) -> bool:
    """After an interruption the pending question comes again and is not one more ask, unless the
    message reads as a try at it that the chat took for something else ("the one before last")."""
    if intent not in INTERRUPTIONS:
        return False
    return intent in NEVER_ANSWERS or not intake.tries_to_answer(text, FACT_OF_SLOT[slot], now, guidance, language)

"""The appointment form: ask only what is missing, accept corrections at any time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.chat_text import for_chat
from actions.context import GUIDANCE, current_time
from actions.timeline_slots import (
    FACT_OF_SLOT,
    QUESTION_SLOTS,
    form_turn,
    repeats_question,
    required_slots,
    slot_events,
    timeline_of,
)
from care_clock.case.intake import ask_simpler
from care_clock.case.timeline import ASKED, START
from care_clock.writing.answers import topic_answer
from care_clock.writing.wording import SPANISH, say, spanish_short_date

RECENT_DAYS_OFFERED = 6


class ValidateAppointmentForm(FormValidationAction):
    def name(self) -> str:
        return "validate_appointment_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return required_slots(tracker.slots)

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return []  # everything happens in one pass below, over the whole message

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message: dict[str, Any] = tracker.latest_message or {}
        entities = {e.get("entity"): e.get("value") for e in message.get("entities") or []}
        language = tracker.get_slot("language") or "en"
        if "risk_check_in" in entities:
            # a possible risk told beside the case (bot/nlu/crisis_guard.py): ask directly, give 988, go on
            dispatcher.utter_message(response="utter_distress")
        if entities.get("urgent_need") in GUIDANCE.topics:
            # a need that cannot wait, told with the case (bot/nlu/facts_guard.py): its answer first
            dispatcher.utter_message(text=for_chat(topic_answer(entities["urgent_need"], GUIDANCE, language)))
        result = form_turn(
            text=message.get("text") or "",
            intent=(message.get("intent") or {}).get("name"),
            entities=message.get("entities") or [],
            slots=tracker.slots,
            requested=tracker.get_slot("requested_slot"),
            now=current_time(),
            guidance=GUIDANCE,
            language=language,
        )
        for problem in result.problems:
            dispatcher.utter_message(text=problem)
        return [SlotSet(slot, value) for slot, value in result.changes.items()]


def recent_weekday_buttons(
    today: dt.date, count: int = RECENT_DAYS_OFFERED, language: str = "en"
) -> list[dict[str, str]]:
    """The last few weekdays before today, newest first, each a button that writes its full date
    (in English, which the reader reads in either language)."""
    days, day = [], today
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return [
        {
            "title": spanish_short_date(d) if language == SPANISH else f"{d:%a %b} {d.day}",
            "payload": f"{d:%B} {d.day}, {d.year}",
        }
        for d in days
    ]


def interrupted_twice(events: list[dict[str, Any]], message: dict[str, Any]) -> bool:
    """Whether the patient's message before this one was the same words: then the question counts as
    asked, so that it goes simpler and is given up in the end, instead of coming back as it was for as
    long as the patient says the same thing. (Different words of distress, one after another, still
    get the question as it was: a patient in distress does not use up its asks.)"""
    said = [e for e in events if e.get("event") == "user"]
    if len(said) < 2:
        return False
    return (said[-2].get("text") or "").strip().lower() == (message.get("text") or "").strip().lower()


class _AskForSlot:
    """Asks one form question and counts the asks; the third time it asks more simply.

    Not an Action itself: one Action subclass per question is made below, named
    action_ask_<slot> so that the form calls it instead of utter_ask_<slot>.
    """

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        fact, tries = FACT_OF_SLOT[self.slot], timeline_of(tracker).asked
        asked = tries.get(fact, 0)
        message = tracker.latest_message or {}
        language = tracker.get_slot("language") or "en"
        # After an interruption (a crisis answer, distress, a rights question, help, "let's continue")
        # the pending question comes again as it was, and is not one more ask: the patient did not
        # try to answer it, so the simpler question and the give-up wait for real answers.
        intent = (message.get("intent") or {}).get("name")
        repeat = (
            asked > 0
            and repeats_question(intent, message.get("text") or "", self.slot, current_time(), GUIDANCE, language)
            and not interrupted_twice(tracker.events, message)
        )
        earlier_asks = asked - 1 if repeat else asked  # a repeat shows the question as it was last shown
        if ask_simpler(fact, earlier_asks):
            buttons = []
            if fact == START:
                buttons = recent_weekday_buttons(current_time().date(), language=language)
                buttons.append({"title": say(language, "cant_find_it", "I can't find it"), "payload": "/deny"})
            dispatcher.utter_message(response=f"utter_ask_{self.slot}_simpler", buttons=buttons)
        else:
            dispatcher.utter_message(response=f"utter_ask_{self.slot}")
        if repeat:
            return []
        return slot_events({ASKED: {**tries, fact: asked + 1}})


ASK_ACTIONS = [type(f"AskFor_{slot}", (_AskForSlot, Action), {"slot": slot}) for slot in QUESTION_SLOTS]

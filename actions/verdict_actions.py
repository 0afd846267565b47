"""Start a check, and give the verdict when the form is complete."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.appointment_form import FORM_SLOTS
from actions.chat_text import for_chat
from actions.context import GUIDANCE, current_time
from actions.rights import CareClockError, Verdict, check
from actions.rights.drafts import find_draft, render_draft
from actions.rights.explain import explain
from actions.rights.intake import parse_slot_date

SOMETHING_WRONG = (
    "Sorry, I could not work out a deadline from those dates. Please check them, "
    "or type \"start over\" to begin again."
)

NEED_DATES_FIRST = "To write that, I first need your appointment's dates. Tell me what happened, or tap Start."


def _cleared() -> List[EventType]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


class ActionStartReport(Action):
    """A new canceled appointment: forget the previous one's dates."""

    def name(self) -> Text:
        return "action_start_report"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return _cleared() + [SlotSet("check_only", False)]


class ActionStartOver(Action):
    """Forget this conversation's facts and stop any question in progress."""

    def name(self) -> Text:
        return "action_start_over"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return [ActiveLoop(None), AllSlotsReset()]


class ActionStartCheck(Action):
    """'Is Dec 3 too late?': only the dates that decide the deadline are asked."""

    def name(self) -> Text:
        return "action_start_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return _cleared() + [SlotSet("check_only", True), SlotSet("longer_wait_ok", False)]


def verdict_from_slots(tracker: Tracker) -> Verdict | None:
    """The verdict for the facts in the slots, or None while they are incomplete or inconsistent."""
    offered = tracker.get_slot("offered")
    try:
        return check(
            kind=tracker.get_slot("appointment_kind"),
            start=parse_slot_date(tracker.get_slot("start_date")),
            offered=parse_slot_date(tracker.get_slot("offered_date")) if offered else None,
            canceled=parse_slot_date(tracker.get_slot("canceled_date")),
            today=current_time(),
            prior_auth=bool(tracker.get_slot("prior_auth")),
            longer_wait_approved=bool(tracker.get_slot("longer_wait_ok")),
            guidance=GUIDANCE,
        )
    except (CareClockError, TypeError, ValueError):
        return None


class ActionGiveVerdict(Action):
    def name(self) -> Text:
        return "action_give_verdict"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        verdict = verdict_from_slots(tracker)
        if verdict is None:
            dispatcher.utter_message(text=SOMETHING_WRONG)
            return []
        dispatcher.utter_message(text=for_chat(explain(verdict, GUIDANCE)))
        dispatcher.utter_message(
            text="I can write each next step for you with your dates filled in. Which one would you like?",
            buttons=draft_buttons(verdict.next_steps),
        )
        return []


def draft_buttons(draft_ids) -> List[Dict[str, str]]:
    return [
        {"title": GUIDANCE.next_steps[d]["button"], "payload": f'/show_draft{{"draft":"{d}"}}'} for d in draft_ids
    ]


class ActionShowDraft(Action):
    """The full text of one draft, as plain text that copies cleanly."""

    def name(self) -> Text:
        return "action_show_draft"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        message = tracker.latest_message or {}
        chosen = next((e["value"] for e in message.get("entities") or [] if e.get("entity") == "draft"), None)
        draft_id = chosen or find_draft(message.get("text") or "", GUIDANCE)
        verdict = verdict_from_slots(tracker)
        if verdict is None:
            dispatcher.utter_message(text=NEED_DATES_FIRST, buttons=[{"title": "Start", "payload": "/report_cancel"}])
            return []
        if draft_id not in GUIDANCE.next_steps:
            dispatcher.utter_message(text="Which one would you like?", buttons=draft_buttons(verdict.next_steps))
            return []
        text = render_draft(draft_id, verdict, {"plan": tracker.get_slot("plan")}, GUIDANCE)
        dispatcher.utter_message(text=for_chat(text))
        others = [d for d in verdict.next_steps if d != draft_id]
        if others:
            dispatcher.utter_message(text="Anything else?", buttons=draft_buttons(others))
        return []

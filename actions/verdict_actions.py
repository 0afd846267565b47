"""Start a check, and give the verdict when the form is complete."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.appointment_form import FORM_SLOTS
from actions.context import GUIDANCE, current_time
from actions.rights import CareClockError, check
from actions.rights.explain import explain
from actions.rights.intake import parse_slot_date

SOMETHING_WRONG = (
    "Sorry, I could not work out a deadline from those dates. Please check them, "
    "or type \"start over\" to begin again."
)


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


def verdict_from_slots(tracker: Tracker):
    offered = tracker.get_slot("offered")
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


class ActionGiveVerdict(Action):
    def name(self) -> Text:
        return "action_give_verdict"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        try:
            verdict = verdict_from_slots(tracker)
        except (CareClockError, TypeError, ValueError):
            dispatcher.utter_message(text=SOMETHING_WRONG)
            return []
        dispatcher.utter_message(text=explain(verdict, GUIDANCE))
        return []

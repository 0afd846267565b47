"""The appointment form: ask only what is missing, accept corrections at any time."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.context import GUIDANCE, current_time
from actions.rights import intake

FORM_SLOTS = ("appointment_kind", "start_date", "canceled_date", "offered", "offered_date", "longer_wait_ok", "prior_auth")


class ValidateAppointmentForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_appointment_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        return intake.required_slots(tracker.slots)

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return []  # everything happens in one pass below, over the whole message

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        message: Dict[str, Any] = tracker.latest_message or {}
        result = intake.interpret(
            text=message.get("text") or "",
            intent=(message.get("intent") or {}).get("name"),
            entities=message.get("entities") or [],
            slots={slot: tracker.get_slot(slot) for slot in (*FORM_SLOTS, "check_only")},
            requested=tracker.get_slot("requested_slot"),
            now=current_time(),
            guidance=GUIDANCE,
        )
        for problem in result.problems:
            dispatcher.utter_message(text=problem)
        return [SlotSet(slot, value) for slot, value in result.changes.items()]

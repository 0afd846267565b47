"""The patient chose a language: confirm it in that language.

"en inglés, por favor" written right after a draft asks for that draft in
English (for an English-only office): the draft comes in English and the
conversation stays in Spanish.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.verdict_actions import last_bot_action, show_draft
from care_clock.reading.language import ENGLISH, SPANISH, written_in

DRAFT_ACTION = "action_show_draft"


class ActionChooseLanguage(Action):
    def name(self) -> str:
        return "action_choose_language"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        draft_id = tracker.get_slot("last_draft")
        wants_english_copy = (
            tracker.get_slot("language") == ENGLISH
            and written_in(text) == SPANISH
            and draft_id
            and last_bot_action(tracker) == DRAFT_ACTION
        )
        if wants_english_copy:
            show_draft(dispatcher, tracker, draft_id, ENGLISH)
            return [SlotSet("language", SPANISH)]
        dispatcher.utter_message(response="utter_language_chosen")
        return []

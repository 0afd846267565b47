"""Answers that come from seeds/: what the bot can do, and the patient's rights."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.case_state import coverage_kind, coverage_note
from actions.chat_text import for_chat
from actions.context import GUIDANCE, current_time
from actions.verdict_actions import explain_counting, language_of, list_next_steps, verdict_from_slots
from care_clock.writing.answers import topic_answer
from care_clock.writing.localize import in_language
from care_clock.writing.wording import say

INTENT_PREFIX = "ask_"
# Questions about counting that, after a verdict, are about that verdict.
COUNTING_TOPICS = ("followup_rule",)
# Questions about one's own wait ("what are my rights?"): with no case yet, the answer ends by asking
# for the date the clock counts from, so the patient's next message starts the case.
# After these answers, with no case yet, the bot asks for the date the clock counts from: a patient
# offered a group instead of their therapist, or running out of medicine while waiting for a
# psychiatrist, has a case to check (blind round r20).
CASE_TOPICS = ("my_rights", "followup_rule", "wait_times", "strike", "group_class", "running_out_of_medication")


class ActionWhatCanYouDo(Action):
    def name(self) -> str:
        return "action_what_can_you_do"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        language = language_of(tracker)
        verdict = verdict_from_slots(tracker)
        if verdict is not None:  # "what should I do now?" after a verdict: its next steps
            list_next_steps(dispatcher, verdict, language)
            return []
        guidance = in_language(GUIDANCE, language)
        kinds = "; ".join(standard.label for standard in guidance.standards.values())
        dispatcher.utter_message(
            text=say(
                language,
                "what_i_can_do",
                "I can check a canceled or delayed mental health appointment against California's "
                "waiting-time rules ({kinds}), give you the exact deadline and whether the plan "
                "met it, and explain your rights. Tell me what happened in your own words, or pick "
                "a topic. This is general information, not legal or medical advice.",
                kinds=kinds,
            ),
            buttons=[
                {
                    "title": say(language, "report_cancel_button", "My appointment was canceled"),
                    "payload": "/report_cancel",
                }
            ]
            + [
                {"title": topic["title"], "payload": f"/{INTENT_PREFIX}{topic_id}"}
                for topic_id, topic in guidance.topics.items()
                if topic.get("menu", True)
            ],
        )
        return []


ACTION_NAME = "action_answer_rights"


class ActionAnswerRights(Action):
    def name(self) -> str:
        return ACTION_NAME

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        topic = intent.removeprefix(INTENT_PREFIX)
        language = language_of(tracker)
        verdict = verdict_from_slots(tracker) if topic in COUNTING_TOPICS else None
        if verdict is not None:  # "why is that late?" after a verdict: how this one was counted
            explain_counting(dispatcher, verdict, language)
            return []
        entities = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
        if "risk_check_in" in entities:  # a possible risk beside the question (bot/nlu/crisis_guard.py)
            dispatcher.utter_message(response="utter_distress")
        if topic not in GUIDANCE.topics:
            dispatcher.utter_message(response="utter_default")
            return []
        if answered_just_before(tracker.events, intent) and topic in CASE_TOPICS and not tracker.get_slot("start_date"):
            # the same question again right after its answer ("I want individual, not the group"): the
            # answer is just above; the case is what moves the patient on, so only the invitation comes
            if not tracker.active_loop.get("name"):
                dispatcher.utter_message(response="utter_invite_case")
            return []
        dispatcher.utter_message(text=topic_answer(topic, GUIDANCE, language, current_time().date()))
        note = coverage_note(coverage_kind(tracker), language)
        if note:  # the answers describe DMHC plans; other coverage gets its own path
            dispatcher.utter_message(text=for_chat(note))
        if topic in CASE_TOPICS and not tracker.get_slot("start_date") and not tracker.active_loop.get("name"):
            dispatcher.utter_message(response="utter_invite_case")
        return []


def answered_just_before(events: list[dict[str, Any]], intent: str) -> bool:
    """Whether the patient's previous message had this intent and got this action's answer."""
    said = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if len(said) < 2:
        return False
    before = events[said[-2]]
    if ((before.get("parse_data") or {}).get("intent") or {}).get("name") != intent:
        return False
    return any(e.get("event") == "action" and e.get("name") == ACTION_NAME for e in events[said[-2] : said[-1]])


# Why each of the form's questions is asked, for "why?" in answer to it.
WHY_ASKED = {
    "appointment_kind": "Each kind of appointment has its own time limit, so I need to know which one this was.",
    "start_date": "The time limit counts from this day: your last visit for a follow-up, or the day you asked "
    "for a new appointment.",
    "canceled_date": "It goes into your letters; the clock itself counts from your last visit.",
    "offered": "I compare the date they offered with the deadline.",
    "offered_date": "I compare the date they offered with the deadline.",
    "offer_individual": "A group class or a short phone call may not count as the appointment the rule asks for.",
    "longer_wait_ok": "The rule allows a longer wait when your provider notes that it will not harm your health.",
    "prior_auth": "For urgent care, the time limit is longer when the plan requires prior authorization.",
}


class ActionExplainWhy(Action):
    """ "Why?": after a verdict, how it was counted; in answer to a question, why it is asked."""

    def name(self) -> str:
        return "action_explain_why"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        language = language_of(tracker)
        asking = tracker.get_slot("requested_slot") if tracker.active_loop_name else None
        if asking in WHY_ASKED:  # the form asks its question again after this
            dispatcher.utter_message(text=say(language, "why_" + asking, WHY_ASKED[asking]))
            return []
        verdict = verdict_from_slots(tracker)
        if verdict is not None:
            explain_counting(dispatcher, verdict, language)
            return []
        dispatcher.utter_message(
            text=say(
                language,
                "why_before_verdict",
                "Tell me what happened to your appointment, and I'll show you the deadline and how I counted it.",
            )
        )
        return []

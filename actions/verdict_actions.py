"""Start a check, give the verdict when the form is complete, and answer questions about it."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.appointment_form import FORM_SLOTS
from actions.case_state import (
    FORM_EVENTS, UNCLEAR, anchor_prefill, case_events, case_verdict, coverage_kind, stored_case, with_form_facts,
)
from actions.chat_text import for_chat
from actions.context import GUIDANCE, current_time
from actions.rights import CareClockError, Verdict, check
from actions.rights.answers import topic_answer
from actions.rights.dates import find_dates
from actions.rights.drafts import find_draft, render_draft
from actions.rights.explain import counting, full_date, short_answer
from actions.rights.intake import UNKNOWN, parse_slot_date
from actions.rights.plans import PLAN_CHOICES

SOMETHING_WRONG = (
    "Sorry, I could not work out a deadline from those dates. Please check them, "
    "or type \"start over\" to begin again."
)
NEED_DATES_FIRST = "To do that, I first need your appointment's dates. Tell me what happened, or tap Start."
ASK_PLAN = (
    "Which health plan is this with? Tap it and I'll write its name in instead of \"your health plan\" "
    "(or just tell me the name)."
)
START_BUTTON = {"title": "Start", "payload": "/report_cancel"}
RIGHTS_BUTTON = {"title": "My rights", "payload": "/ask_my_rights"}
# Per kind, the date the clock counts from, in words, and the topic that says where to find it.
COUNTS_FROM = {
    "followup": ("the last appointment you actually attended", "find_last_visit"),
    "initial": ("the day you asked for the appointment", "find_request_date"),
    "psychiatry": ("the day you asked for the appointment", "find_request_date"),
    "urgent": ("the day and time you asked for the appointment", "find_request_date"),
}


def _cleared() -> List[EventType]:
    # The plan stays: another appointment is usually with the same plan.
    return [SlotSet(slot, None) for slot in (*FORM_SLOTS, "offer_format", UNKNOWN, "question_tries", FORM_EVENTS)]


class ActionStartReport(Action):
    """A new canceled appointment: forget the previous one's dates."""

    def name(self) -> Text:
        return "action_start_report"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        # In a case, another cancellation still counts from the same anchor.
        return _cleared() + [SlotSet("check_only", False)] + anchor_prefill(tracker)


class ActionStartOver(Action):
    """Forget this conversation's facts and stop any question in progress."""

    def name(self) -> Text:
        return "action_start_over"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return [ActiveLoop(None), AllSlotsReset()]


class ActionStartCheck(Action):
    """'Is Dec 3 too late?': only the dates that decide the deadline are asked.

    "Is that too late?" with no date, after a verdict, asks about that verdict:
    the facts are kept and the form gives it again.
    """

    def name(self) -> Text:
        return "action_start_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if verdict_from_slots(tracker) is not None and not find_dates(text, current_time()):
            return []
        return _cleared() + [SlotSet("check_only", True), SlotSet("longer_wait_ok", False)]


def _offer(tracker: Tracker):
    """The offered date, unless it was a group class or a check-in rather than an appointment."""
    if not tracker.get_slot("offered") or tracker.get_slot("offer_individual") is False:
        return None
    if tracker.get_slot("offer_format") and tracker.get_slot("offer_individual") is None:
        return None
    return parse_slot_date(tracker.get_slot("offered_date"))


def verdict_from_slots(tracker: Tracker) -> Verdict | None:
    """The verdict for the facts in the slots, or None while they are incomplete or inconsistent."""
    try:
        return check(
            kind=tracker.get_slot("appointment_kind"),
            start=parse_slot_date(tracker.get_slot("start_date")),
            offered=_offer(tracker),
            canceled=parse_slot_date(tracker.get_slot("canceled_date")),
            today=current_time(),
            prior_auth=bool(tracker.get_slot("prior_auth")),
            longer_wait_approved=bool(tracker.get_slot("longer_wait_ok")),
            guidance=GUIDANCE,
            coverage=coverage_kind(tracker) or UNCLEAR,
        )
    except (CareClockError, TypeError, ValueError):
        return None


def _side_notes(tracker: Tracker) -> List[str]:
    """Facts that were given but not counted, in one line each."""
    notes = []
    offered = parse_slot_date(tracker.get_slot("offered_date"))
    if offered and tracker.get_slot("offer_format") and not tracker.get_slot("offer_individual"):
        notes.append(
            f"The {tracker.get_slot('offer_format')} on {full_date(offered)} is not counted as your appointment "
            "(ask me \"is a class the same thing?\")."
        )
    if tracker.get_slot("offered") and "offered_date" in (tracker.get_slot(UNKNOWN) or ()):
        notes.append("Without the offered date I compared with today; tell me the date when you have it.")
    if tracker.get_slot("appointment_kind") == "urgent" and tracker.get_slot("prior_auth") is False:
        notes.append("If the plan requires prior authorization, the limit is 96 hours instead of 48.")
    return notes


def _what_i_can_tell(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """No deadline without the date it counts from: say how to find it, and what holds anyway."""
    kind = tracker.get_slot("appointment_kind")
    if kind not in COUNTS_FROM:
        dispatcher.utter_message(text=for_chat(
            "That's okay. Here are the waiting-time limits; tell me more whenever you can and I'll work out "
            "your exact deadline.\n\n" + topic_answer("wait_times", GUIDANCE)))
        dispatcher.utter_message(text="What else would you like to know?", buttons=[RIGHTS_BUTTON, START_BUTTON])
        return
    counts_from, topic = COUNTS_FROM[kind]
    standard = GUIDANCE.standards[kind]
    dispatcher.utter_message(text=for_chat(
        f"I can't give you an exact deadline without {counts_from}: the limit counts from that day.\n"
        f"{' '.join(GUIDANCE.topics[topic]['extra'].split())}\n"
        'When you find it, just tell me (for example "my last visit was Oct 28" or "I called on Nov 4").'))
    dispatcher.utter_message(text=for_chat(
        f"What I can tell you already: {standard.rule}\n\n" + topic_answer("my_rights", GUIDANCE)))


class ActionGiveVerdict(Action):
    def name(self) -> Text:
        return "action_give_verdict"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        unknown = tracker.get_slot(UNKNOWN) or ()
        if "appointment_kind" in unknown or "start_date" in unknown:
            _what_i_can_tell(dispatcher, tracker)
            return []
        verdict = verdict_from_slots(tracker)
        if verdict is None:
            dispatcher.utter_message(text=SOMETHING_WRONG)
            return []
        # First a message that fits a phone screen, then the counting for whoever wants it.
        dispatcher.utter_message(text=for_chat("\n".join([short_answer(verdict), *_side_notes(tracker)])))
        dispatcher.utter_message(text=for_chat("\n".join(counting(verdict))))
        dispatcher.utter_message(
            text="I can write each next step for you with your dates filled in. Which one would you like?",
            buttons=draft_buttons(verdict.next_steps),
        )
        events: List[EventType] = []
        if not tracker.get_slot("check_only"):  # a "what if" check is not part of the case
            events += case_events(*with_form_facts(tracker))
        if coverage_kind(tracker) is None and not tracker.get_slot("coverage_asked"):
            dispatcher.utter_message(response="utter_ask_coverage")
            events.append(SlotSet("coverage_asked", True))
        return events


def explain_counting(dispatcher: CollectingDispatcher, verdict: Verdict) -> None:
    """"Why is that late?", "which days did you skip?", "is Thanksgiving counted?": the verdict's counting."""
    lines = [short_answer(verdict), *counting(verdict)]
    if verdict.unit == "business_days":
        lines.append(
            "Business days are Monday to Friday; I skipped weekends and the holidays listed. "
            f"The count ended on {full_date(verdict.deadline)}.")
    dispatcher.utter_message(text=for_chat("\n".join(lines)), buttons=draft_buttons(verdict.next_steps))


def list_next_steps(dispatcher: CollectingDispatcher, verdict: Verdict) -> None:
    """"What should I do now?": the next steps for this verdict, each a draft."""
    steps = [GUIDANCE.next_steps[s]["title"] for s in verdict.next_steps]
    dispatcher.utter_message(
        text=for_chat("What you can do now:\n" + "\n".join(f"{i}. {t}" for i, t in enumerate(steps, 1))
                      + "\nTap one and I'll write it for you with your dates."),
        buttons=draft_buttons(verdict.next_steps),
    )


def plan_buttons(draft_id: str) -> List[Dict[str, str]]:
    """Each button writes the same draft again with the plan's name in it."""
    return [
        {"title": name[:1].upper() + name[1:], "payload": f'/show_draft{{"draft":"{draft_id}","plan":"{name}"}}'}
        for name in PLAN_CHOICES
    ] + [{"title": "Not sure", "payload": "/help"}]


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
        verdict = case_verdict(tracker) or verdict_from_slots(tracker)
        if verdict is None:
            dispatcher.utter_message(text=NEED_DATES_FIRST, buttons=[START_BUTTON])
            return []
        if draft_id not in GUIDANCE.next_steps:
            dispatcher.utter_message(text="Which one would you like?", buttons=draft_buttons(verdict.next_steps))
            return []
        named = next((e["value"] for e in message.get("entities") or [] if e.get("entity") == "plan"), None)
        plan = named or tracker.get_slot("plan")
        text = render_draft(draft_id, verdict, {"plan": plan}, GUIDANCE, case=stored_case(tracker))
        dispatcher.utter_message(text=for_chat(text))
        events: List[EventType] = [SlotSet("plan", named)] if named else []
        if not plan and not tracker.get_slot("plan_asked"):
            # Asked once, here, where it is needed; "not sure" needs no answer: the draft already works.
            dispatcher.utter_message(text=ASK_PLAN, buttons=plan_buttons(draft_id))
            return events + [SlotSet("plan_asked", True)]
        others = [d for d in verdict.next_steps if d != draft_id]
        if others:
            dispatcher.utter_message(text="Anything else?", buttons=draft_buttons(others))
        return events


"""Start a check, give the verdict when the form is complete, and answer questions about it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.case_state import (
    FORM_EVENTS,
    UNCLEAR,
    anchor_prefill,
    case_events,
    case_verdict,
    coverage_kind,
    stored_case,
    with_form_facts,
)
from actions.chat_text import for_chat
from actions.context import GUIDANCE, current_time
from actions.timeline_slots import REPORT_SLOTS, answers_from, slot_events, timeline_of
from care_clock import CareClockError, Verdict, check
from care_clock.case.timeline import JUST_CHECKING, LONGER_WAIT_APPROVED, OFFER, PLAN_NAME, Timeline, day_of
from care_clock.law.verdict import deadlines_from
from care_clock.reading.dates import find_dates
from care_clock.reading.plans import PLAN_CHOICES
from care_clock.writing.answers import topic_answer
from care_clock.writing.drafts import find_draft, letter_filename, render_draft
from care_clock.writing.explain import (
    cited,
    counted_from,
    counting,
    coverage_lines,
    dates_used,
    disputed_short,
    full_date,
    next_move,
    short_answer,
    unit_words,
)
from care_clock.writing.localize import in_language
from care_clock.writing.wording import SPANISH, say, spanish_phrases

SOMETHING_WRONG = (
    'Sorry, I could not work out a deadline from those dates. Please check them, or type "start over" to begin again.'
)
AFTER_CRISIS = "utter_after_crisis"
NEED_DATES_FIRST = "To do that, I first need your appointment's dates. Tell me what happened, or tap Start."
ASK_PLAN = (
    'Which health plan is this with? Tap it and I\'ll write its name in instead of "your health plan" '
    "(or just tell me the name)."
)
# Per kind, the date the clock counts from, in words, and the topic that says where to find it.
COUNTS_FROM = {
    "followup": ("the last appointment you actually attended", "find_last_visit"),
    "initial": ("the day you asked for the appointment", "find_request_date"),
    "psychiatry": ("the day you asked for the appointment", "find_request_date"),
    "urgent": ("the day and time you asked for the appointment", "find_request_date"),
}


def language_of(tracker: Tracker) -> str:
    """The patient's language ("en" or "es"), from the slot the NLU fills."""
    return tracker.get_slot("language") or "en"


def start_button(language: str) -> dict[str, str]:
    return {"title": say(language, "start", "Start"), "payload": "/report_cancel"}


def rights_button(language: str) -> dict[str, str]:
    return {"title": say(language, "my_rights", "My rights"), "payload": "/ask_my_rights"}


def _cleared() -> list[EventType]:
    # The plan stays: another appointment is usually with the same plan.
    return [SlotSet(slot, None) for slot in (*REPORT_SLOTS, FORM_EVENTS)]


class ActionStartReport(Action):
    """A new canceled appointment: forget the previous one's dates."""

    def name(self) -> str:
        return "action_start_report"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        # In a case, another cancellation still counts from the same anchor.
        return _cleared() + slot_events({JUST_CHECKING: False}) + anchor_prefill(tracker)


class ActionStartOver(Action):
    """Forget this conversation's facts and stop any question in progress."""

    def name(self) -> str:
        return "action_start_over"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        # The language is the patient's, not a fact of the appointment: it stays.
        return [ActiveLoop(None), AllSlotsReset(), SlotSet("language", tracker.get_slot("language"))]


class ActionStartCheck(Action):
    """'Is Dec 3 too late?': only the dates that decide the deadline are asked.

    "Is that too late?" with no date, after a verdict, asks about that verdict:
    the facts are kept and the form gives it again.
    """

    def name(self) -> str:
        return "action_start_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if verdict_from_slots(tracker) is not None and not find_dates(text, current_time()):
            return []
        return _cleared() + slot_events({JUST_CHECKING: True, LONGER_WAIT_APPROVED: False})


def verdict_from_slots(tracker: Tracker, language: str | None = None) -> Verdict | None:
    """The verdict for the facts in the slots (in the patient's language unless another is given),
    or None while they are incomplete or inconsistent."""
    language = language or language_of(tracker)
    timeline = timeline_of(tracker)
    try:
        return check(
            kind=timeline.kind,
            start=timeline.start,
            offered=timeline.counted_offer(),
            canceled=timeline.canceled,
            today=current_time(),
            prior_auth=bool(timeline.prior_authorization),
            longer_wait_approved=bool(timeline.longer_wait_approved),
            guidance=in_language(GUIDANCE, language),
            language=language,
            coverage=coverage_kind(tracker) or UNCLEAR,
        )
    except (CareClockError, TypeError, ValueError):
        return None


def _side_notes(timeline: Timeline, language: str) -> list[str]:
    """Facts that were given but not counted, and a guessed kind, in one line each."""
    notes = []
    if timeline.kind_guessed():
        notes.append(
            say(
                language,
                "kind_guess_side",
                "I counted this as a follow-up therapy appointment; if it was your first appointment, "
                "with a psychiatrist, or urgent, tell me and I'll count again.",
            )
        )
    if timeline.offer and timeline.offered_as and not timeline.individual:
        notes.append(
            say(
                language,
                "format_not_counted",
                'The {format} on {date} is not counted as your appointment (ask me "is a class the same thing?").',
                format=timeline.offered_as,
                date=full_date(timeline.offer, language),
            )
        )
    if timeline.offer_made and OFFER in timeline.unknown:
        notes.append(
            say(
                language,
                "without_offered_date",
                "Without the offered date I compared with today; tell me the date when you have it.",
            )
        )
    if timeline.kind == "urgent" and timeline.prior_authorization is False:
        notes.append(
            say(
                language,
                "prior_auth_side",
                "If the plan requires prior authorization, the limit is 96 hours instead of 48.",
            )
        )
    return notes


def kept_date_deadlines(tracker: Tracker, language: str) -> str | None:
    """The kind given up but a starting date kept: the deadline of each kind that counts from that date
    alone, with its rule's sources; None without such a date."""
    start = day_of(timeline_of(tracker).start)
    if start is None:
        return None
    guidance = in_language(GUIDANCE, language)
    verdicts = deadlines_from(start, current_time(), guidance, coverage_kind(tracker) or UNCLEAR, language)
    if not verdicts:
        return None
    lines = [
        say(
            language,
            "kept_date_header",
            "From the date you gave me ({date}), the deadline for each kind of appointment that counts from it:",
            date=full_date(start, language),
        )
    ]
    for verdict in verdicts:
        lines.append(
            say(
                language,
                "kept_date_deadline",
                "- {label}: by {deadline} ({limit} {unit} from {counted_from}, if that was {date}; {cites}).",
                label=verdict.label[:1].upper() + verdict.label[1:],
                deadline=full_date(verdict.deadline, language),
                date=full_date(start, language),
                counted_from=counted_from(verdict, language),
                limit=verdict.limit,
                unit=unit_words(verdict, verdict.limit, language),
                cites=cited(verdict),
            )
        )
    return "\n".join(lines)


def _what_i_can_tell(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str | None, language: str) -> None:
    """No deadline without the date it counts from: say how to find it, and what holds anyway."""
    guidance = in_language(GUIDANCE, language)
    if kind not in COUNTS_FROM:
        dispatcher.utter_message(
            text=for_chat(
                say(
                    language,
                    "limits_meanwhile",
                    "That's okay. Here are the waiting-time limits; tell me more whenever "
                    "you can and I'll work out your exact deadline.",
                )
                + "\n\n"
                + topic_answer("wait_times", GUIDANCE, language)
            )
        )
        kept = kept_date_deadlines(tracker, language)
        if kept:
            dispatcher.utter_message(text=for_chat(kept))
        dispatcher.utter_message(
            text=say(language, "what_else", "What else would you like to know?"),
            buttons=[rights_button(language), start_button(language)],
        )
        return
    counts_from, topic = COUNTS_FROM[kind]
    if language == SPANISH:
        counts_from = spanish_phrases()["counts_from"][kind]
    dispatcher.utter_message(
        text=for_chat(
            say(
                language,
                "cannot_without",
                "I can't give you an exact deadline without {counts_from}: the limit counts from that day.",
                counts_from=counts_from,
            )
            + "\n"
            f"{' '.join(guidance.topics[topic]['extra'].split())}\n"
            + say(
                language,
                "tell_me_when_found",
                'When you find it, just tell me (for example "my last visit was Oct 28" or "I called on Nov 4").',
            )
        )
    )
    dispatcher.utter_message(
        text=for_chat(
            say(language, "what_i_can_tell", "What I can tell you already: {rule}", rule=guidance.standards[kind].rule)
            + "\n\n"
            + topic_answer("my_rights", GUIDANCE, language)
        )
    )


def last_bot_action(tracker: Tracker) -> str | None:
    """The last action before the patient's latest message (listening aside)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name not in ("action_listen", "action_extract_slots") and not name.startswith("validate_"):
                return name
    return None


def _repeated(tracker: Tracker) -> bool:
    """The form completed on a turn it did not read ("ok let's continue" after the verdict, or "yes"
    to the crisis answer's "would you like to go on?"): the facts are those of the verdict already given.
    (A crisis answer in the middle of the form does not ask to go on: the form asks its question again.)"""
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if _facts_set_this_turn(tracker):
        return False  # "no necesitaba autorización ...", taken for off topic, still answered the last question
    return answers_from(intent, []).interruption or last_bot_action(tracker) == AFTER_CRISIS


def _facts_set_this_turn(tracker: Tracker) -> bool:
    """Whether the form set a fact of the case since the patient's last message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") in REPORT_SLOTS and event.get("name") != "question_tries":
            return True
    return False


def _what_next(dispatcher: CollectingDispatcher, tracker: Tracker, timeline: Timeline, language: str) -> None:
    """The menu again in one line, rather than the whole verdict."""
    verdict = None if timeline.missing_required() else verdict_from_slots(tracker)
    buttons = (
        draft_buttons(verdict.next_steps, language) if verdict else [rights_button(language), start_button(language)]
    )
    dispatcher.utter_message(response="utter_what_next", buttons=buttons)


class ActionGiveVerdict(Action):
    def name(self) -> str:
        return "action_give_verdict"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        language = language_of(tracker)
        timeline = timeline_of(tracker)
        if _repeated(tracker):
            _what_next(dispatcher, tracker, timeline, language)
            return []
        if timeline.missing_required():
            _what_i_can_tell(dispatcher, tracker, timeline.kind, language)
            return []
        verdict = verdict_from_slots(tracker)
        if verdict is None:
            dispatcher.utter_message(text=say(language, "something_wrong", SOMETHING_WRONG))
            return []
        # Short first: the dates it rests on, where the patient stands, one next move; the counting,
        # the rule and its sources come on "Why?", the letters on "Letters".
        lines = [
            dates_used(verdict, language),
            short_answer(verdict, language),
            disputed_short(verdict, language),
            *verdict.caveats,
            *_side_notes(timeline, language),
        ]
        dispatcher.utter_message(
            text=for_chat("\n".join(line for line in [*lines, next_move(verdict, language)] if line)),
            buttons=verdict_buttons(language),
        )
        guidance = in_language(GUIDANCE, language)
        if not verdict.judged:  # where to turn instead is the answer itself, not a detail
            dispatcher.utter_message(text=for_chat("\n".join(counting(verdict, guidance, language))))
        elif verdict.coverage != "dmhc":  # judged, but the route and the numbers are the coverage's own
            dispatcher.utter_message(text=for_chat("\n".join(coverage_lines(verdict, guidance, language))))
        events: list[EventType] = []
        if not timeline.just_checking:  # a "what if" check is not part of the case
            events += case_events(*with_form_facts(tracker))
        if coverage_kind(tracker) is None and not tracker.get_slot("coverage_asked"):
            dispatcher.utter_message(response="utter_ask_coverage")
            events.append(SlotSet("coverage_asked", True))
        return events


def verdict_buttons(language: str = "en") -> list[dict[str, str]]:
    """What comes after a verdict, one tap each: the counting, the letters, the calendar, a correction."""
    return [
        {"title": say(language, "why_button", "Why?"), "payload": "/ask_why"},
        {"title": say(language, "letters_button", "Letters"), "payload": "/help"},
        {"title": say(language, "calendar_button", "Add to calendar"), "payload": "/add_to_calendar"},
        {"title": say(language, "change_date_button", "Change a date"), "payload": "/change_date"},
    ]


def explain_counting(dispatcher: CollectingDispatcher, verdict: Verdict, language: str = "en") -> None:
    """ "Why?", "why is that late?", "is Thanksgiving counted?": the verdict's counting (its short
    answer was the message before, and is not sent again)."""
    lines = counting(verdict, in_language(GUIDANCE, language), language)
    if verdict.unit == "business_days":
        lines.append(
            say(
                language,
                "business_days_explained",
                "Business days are Monday to Friday; I skipped weekends and the holidays listed. "
                "The count ended on {deadline}.",
                deadline=full_date(verdict.deadline, language),
            )
        )
    dispatcher.utter_message(text=for_chat("\n".join(lines)), buttons=draft_buttons(verdict.next_steps, language))


def list_next_steps(dispatcher: CollectingDispatcher, verdict: Verdict, language: str = "en") -> None:
    """ "What should I do now?": the next steps for this verdict, each a draft."""
    guidance = in_language(GUIDANCE, language)
    steps = [guidance.next_steps[s]["title"] for s in verdict.next_steps]
    dispatcher.utter_message(
        text=for_chat(
            say(language, "what_you_can_do", "What you can do now:")
            + "\n"
            + "\n".join(f"{i}. {t}" for i, t in enumerate(steps, 1))
            + "\n"
            + say(language, "tap_one", "Tap one and I'll write it for you with your dates.")
        ),
        buttons=draft_buttons(verdict.next_steps, language),
    )


def plan_buttons(draft_id: str, language: str = "en") -> list[dict[str, str]]:
    """Each button writes the same draft again with the plan's name in it."""
    return [
        {"title": name[:1].upper() + name[1:], "payload": f'/show_draft{{"draft":"{draft_id}","plan":"{name}"}}'}
        for name in PLAN_CHOICES
    ] + [{"title": say(language, "not_sure", "Not sure"), "payload": "/help"}]


def draft_buttons(draft_ids, language: str = "en") -> list[dict[str, str]]:
    steps = in_language(GUIDANCE, language).next_steps
    return [{"title": steps[d]["button"], "payload": f'/show_draft{{"draft":"{d}"}}'} for d in draft_ids]


def show_draft(
    dispatcher: CollectingDispatcher, tracker: Tracker, draft_id: str, language: str, plan: str | None = None
) -> bool:
    """Write one draft in `language` (the patient may ask for an English copy); False without a verdict."""
    case = stored_case(tracker)
    verdict = (case_verdict(tracker, language) if case else None) or verdict_from_slots(tracker, language)
    if verdict is None:
        return False
    facts = {"plan": plan or timeline_of(tracker).plan_name}
    guidance = in_language(GUIDANCE, language)
    text = render_draft(draft_id, verdict, facts, guidance, case=case, language=language)
    dispatcher.utter_message(text=for_chat(text))
    if tracker.get_latest_input_channel() == "socketio":  # the web page shows it as a card: copy, print, download
        title = guidance.next_steps[draft_id]["button"]
        # Under "data": the socket.io channel sends a custom message's "data" to the page. Only the
        # text: the page asks its own server for the Word file or PDF when the patient wants one
        # (bot/web/serve.py), so no document is ever stored in the conversation.
        dispatcher.utter_message(
            json_message={
                "data": {
                    "letter": {"title": title, "filename": letter_filename(title), "text": text, "language": language}
                }
            }
        )
    return True


class ActionShowDraft(Action):
    """The full text of one draft, as plain text that copies cleanly."""

    def name(self) -> str:
        return "action_show_draft"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        language = language_of(tracker)
        message = tracker.latest_message or {}
        chosen = next((e["value"] for e in message.get("entities") or [] if e.get("entity") == "draft"), None)
        draft_id = chosen or find_draft(message.get("text") or "", in_language(GUIDANCE, language))
        verdict = case_verdict(tracker, language) or verdict_from_slots(tracker)
        if verdict is None:
            dispatcher.utter_message(
                text=say(language, "need_dates_first", NEED_DATES_FIRST), buttons=[start_button(language)]
            )
            return []
        if draft_id not in GUIDANCE.next_steps:
            dispatcher.utter_message(
                text=say(language, "which_one", "Which one would you like?"),
                buttons=draft_buttons(verdict.next_steps, language),
            )
            return []
        named = answers_from(None, message.get("entities") or []).plan
        plan = named or timeline_of(tracker).plan_name
        show_draft(dispatcher, tracker, draft_id, language, plan)
        events: list[EventType] = [SlotSet("last_draft", draft_id)] + (slot_events({PLAN_NAME: named}) if named else [])
        if not plan and not tracker.get_slot("plan_asked"):
            # Asked once, here, where it is needed; "not sure" needs no answer: the draft already works.
            dispatcher.utter_message(text=say(language, "ask_plan", ASK_PLAN), buttons=plan_buttons(draft_id, language))
            return events + [SlotSet("plan_asked", True)]
        others = [d for d in verdict.next_steps if d != draft_id]
        if others:
            dispatcher.utter_message(
                text=say(language, "anything_else", "Anything else?"), buttons=draft_buttons(others, language)
            )
        return events

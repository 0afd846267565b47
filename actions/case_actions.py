"""The case in chat: coverage, calls and filings, the timeline, what's next, the calendar and reminders."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
from typing import Any

import icalendar
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, ReminderScheduled
from rasa_sdk.executor import CollectingDispatcher

from actions.case_state import (
    FORM_EVENTS,
    case_events,
    case_of,
    case_verdict,
    stored_case,
)
from actions.chat_text import for_chat
from actions.context import GUIDANCE, current_time
from actions.rights import CareClockError, Verdict
from actions.rights.calendar_picture import case_picture
from actions.rights.case import add_event, as_date, describe, timeline_text
from actions.rights.clocks import whats_next
from actions.rights.dates import find_dates, resolve
from actions.rights.explain import full_date
from actions.rights.ics import case_calendar, deadline_calendar
from actions.rights.verdict import PACIFIC
from actions.verdict_actions import NEED_DATES_FIRST, draft_buttons, language_of, start_button, verdict_from_slots

CALENDAR_FILE = "care-clock-dates.ics"
REMINDER_INTENT = "deadline_reminder"
# For tests and demos: the reminder fires this many seconds from now instead of on its day.
REMINDER_SECONDS_ENV = "CARE_CLOCK_REMINDER_SECONDS"
REMINDER_HOUR = 9  # in California, on the day
CASE_BUTTONS = [
    {"title": "Show my timeline", "payload": "/show_timeline"},
    {"title": "What's next?", "payload": "/ask_whats_next"},
]


def _verdict(tracker: Tracker) -> Verdict | None:
    return case_verdict(tracker) or verdict_from_slots(tracker)


def _today() -> dt.date:
    return current_time().date()


# --- Calls and filings the patient tells us about ---------------------------

NAMED = re.compile(r"\bnamed\s+([A-Za-z][\w.'-]*)")
SPOKE_TO = re.compile(
    r"\b(?:spoke|talked|speaking)\s+(?:to|with)\s+(?:a\s+|an\s+)?"
    r"([A-Za-z][\w.'-]*(?:\s+[A-Z][\w.'-]*)?)"
)
REFERENCE = re.compile(
    r"\b(?:ref(?:erence)?|case|ticket|confirmation|grievance)\s*(?:number|no\.?|num|#)?\s*[:#]?\s*"
    r"([A-Za-z]*\d[\w-]*)",
    re.IGNORECASE,
)
FILINGS = (
    ("imr", re.compile(r"\bimr\b|independent medical review", re.IGNORECASE)),
    ("dmhc_complaint", re.compile(r"\bdmhc\b|help center|managed health care|complaint", re.IGNORECASE)),
    ("grievance", re.compile(r"grievance|appeal|complain", re.IGNORECASE)),
)
DECISION = re.compile(
    r"\b(answered|responded|replied|decided|decision|denied|resolved|got (?:an? )?(?:answer|letter))", re.IGNORECASE
)
EXPEDITED = re.compile(r"expedited|urgent", re.IGNORECASE)


def _event_from_text(intent: str, text: str) -> tuple[str, dict]:
    """(event kind, details) for "I called on Nov 12, spoke to Maria, ref 12345" or "I filed a grievance"."""
    reference = REFERENCE.search(text)
    details: dict[str, Any] = {"reference": reference.group(1)} if reference else {}
    if intent == "log_call":
        who = NAMED.search(text) or SPOKE_TO.search(text)
        return "call", {**details, **({"who": who.group(1)} if who else {})}
    filing = next((name for name, pattern in FILINGS if pattern.search(text)), "grievance")
    if DECISION.search(text):
        return "decision", {"filing": filing}
    return "filed", {**details, "filing": filing, "expedited": bool(EXPEDITED.search(text))}


class ActionLogEvent(Action):
    """A call to the plan or a filing, with its date, added to the case's timeline."""

    def name(self) -> str:
        return "action_log_event"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        message = tracker.latest_message or {}
        text, intent = message.get("text") or "", (message.get("intent") or {}).get("name")
        mentions = [m for m in find_dates(text, current_time()) if m.value is not None]
        if not mentions:
            example = "I called them on Nov 12" if intent == "log_call" else "I filed a grievance on Nov 15"
            dispatcher.utter_message(text=f'On which date? Tell me again with the date, for example "{example}".')
            return []
        kind, details = _event_from_text(intent, text)
        try:
            case = add_event(case_of(tracker), kind, resolve(mentions[0], _today()), **details)
            next_step = whats_next(case, _today(), GUIDANCE)
        except CareClockError as error:
            dispatcher.utter_message(text=str(error))
            return []
        event = case.events[-1]
        lines = [f"Added to your timeline: {full_date(event.date)}: {describe(event)}."]
        if next_step:
            lines.append(f"Next: {next_step.text(_today())}")
        dispatcher.utter_message(text=for_chat("\n".join(lines)), buttons=CASE_BUTTONS)
        return case_events(case, tracker.get_slot(FORM_EVENTS) or [])


# --- Looking at the case ---------------------------------------------------


def _data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


class ActionShowTimeline(Action):
    """Every event in date order with each deadline, and the current one as a small calendar."""

    def name(self) -> str:
        return "action_show_timeline"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        case = stored_case(tracker)
        if case is None:
            dispatcher.utter_message(text=NEED_DATES_FIRST, buttons=[start_button(language_of(tracker))])
            return []
        try:
            dispatcher.utter_message(text=for_chat(timeline_text(case, _today(), GUIDANCE)))
            picture = case_picture(case, _today(), GUIDANCE)
        except CareClockError as error:
            dispatcher.utter_message(text=str(error))
            return []
        if picture is not None and tracker.get_latest_input_channel() != "slack":  # Slack takes no data URLs
            # The alt text comes first, as its own message, for screen readers and text-only channels.
            dispatcher.utter_message(
                text=f"The same as a calendar: {picture.alt}", image=_data_url(picture.media_type, picture.svg)
            )
        return []


class ActionWhatsNext(Action):
    """ "What's next and when?": the next dated step of the case."""

    def name(self) -> str:
        return "action_whats_next"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        case = stored_case(tracker)
        if case is None:
            dispatcher.utter_message(text=NEED_DATES_FIRST, buttons=[start_button(language_of(tracker))])
            return []
        step = whats_next(case, _today(), GUIDANCE)
        if step is None:
            dispatcher.utter_message(
                text="Nothing in your case has a coming date. Tell me when something changes "
                "(a new offer, a call, a grievance) and I'll work out the next one."
            )
            return []
        verdict = _verdict(tracker)
        dispatcher.utter_message(
            text=for_chat(step.text(_today())), buttons=draft_buttons(verdict.next_steps) if verdict else []
        )
        return []


class ActionAddToCalendar(Action):
    """The case's coming dates (or the deadline) as an .ics file the page offers as a download."""

    def name(self) -> str:
        return "action_add_to_calendar"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        case, verdict = stored_case(tracker), _verdict(tracker)
        plan = tracker.get_slot("plan") or "your health plan"
        try:
            if case is not None:
                ics = case_calendar(case, _today(), GUIDANCE)
            elif verdict is not None:
                ics = deadline_calendar(verdict, plan, GUIDANCE)
            else:
                dispatcher.utter_message(text=NEED_DATES_FIRST, buttons=[start_button(language_of(tracker))])
                return []
        except CareClockError as error:
            dispatcher.utter_message(text=str(error))
            return []
        if tracker.get_latest_input_channel() == "slack":  # Slack shows no data links: the dates as text
            dispatcher.utter_message(text=for_chat("Your dates, to put in your calendar:\n" + _dates_text(ics)))
            return []
        dispatcher.utter_message(
            text="Here are your dates as a calendar file: open it to add them to your calendar. "
            "Each event has the rule, its source and a reminder the day before."
        )
        # Under "data": the socket.io channel sends a custom message's "data" to the page.
        dispatcher.utter_message(
            json_message={
                "data": {
                    "calendar": {
                        "filename": CALENDAR_FILE,
                        "media_type": "text/calendar",
                        "data_url": _data_url("text/calendar", ics),
                    }
                }
            }
        )
        return []


def _dates_text(ics: bytes) -> str:
    """Each event of a calendar file as one line: its day and what it is."""
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return "\n".join(f"- {full_date(e.decoded('dtstart'))}: {e['summary']}" for e in events)


# --- Reminders -------------------------------------------------------------


def reminder_name(sender_id: str) -> str:
    """One deadline reminder per conversation. Rasa uses the name as the job's id, so it must differ
    between patients; a hash keeps the conversation id out of the scheduler's logs."""
    return "deadline-" + hashlib.sha256(sender_id.encode()).hexdigest()[:16]


def _reminder_day(tracker: Tracker) -> dt.date | None:
    """The pending deadline to offer an appointment, else the case's next coming date."""
    verdict = _verdict(tracker)
    if verdict is not None and verdict.status == "pending":
        return as_date(verdict.deadline)
    case = stored_case(tracker)
    step = case and whats_next(case, _today(), GUIDANCE)
    return step.when if step and step.when > _today() else None


class ActionRemindMe(Action):
    """ "Remind me on the deadline": a Rasa reminder on that day; the bot then writes first."""

    def name(self) -> str:
        return "action_remind_me"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        day = _reminder_day(tracker)
        if day is None:
            dispatcher.utter_message(
                text="There is no coming date to remind you of yet. Tell me what happened "
                "with your appointment and I'll work one out.",
                buttons=[start_button(language_of(tracker))],
            )
            return []
        seconds = os.environ.get(REMINDER_SECONDS_ENV)
        if seconds:
            when = dt.datetime.now().astimezone() + dt.timedelta(seconds=float(seconds))
        else:
            when = dt.datetime.combine(day, dt.time(REMINDER_HOUR), tzinfo=PACIFIC)
        dispatcher.utter_message(
            text=f"Okay: I'll write to you in this chat on {full_date(day)}. "
            "If you delete your data, the reminder goes too."
        )
        return [
            ReminderScheduled(REMINDER_INTENT, when, name=reminder_name(tracker.sender_id), kill_on_user_message=False)
        ]


class ActionDeadlineReminder(Action):
    """The reminder's day (or "is today my deadline?"): did the plan offer an appointment, and the next draft."""

    def name(self) -> str:
        return "action_deadline_reminder"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        verdict = _verdict(tracker)
        if verdict is None:
            dispatcher.utter_message(text=NEED_DATES_FIRST, buttons=[start_button(language_of(tracker))])
            return []
        deadline = as_date(verdict.deadline)
        case = stored_case(tracker)
        step = case and whats_next(case, _today(), GUIDANCE)
        if verdict.status not in ("pending", "overdue") and step and step.source != "deadline":
            # The appointment deadline is behind us: the reminder was for the next step of the complaint path.
            dispatcher.utter_message(
                text=for_chat(f"A date in your case: {step.text(_today())}"),
                buttons=draft_buttons(verdict.next_steps) + CASE_BUTTONS,
            )
            return []
        until = "today" if deadline == _today() else full_date(deadline)
        dispatcher.utter_message(
            text=for_chat(
                f"Your plan had until {until} to offer you an appointment. Did they?\n"
                'If they did, tell me the date (for example "they offered me Dec 10") and I\'ll check it. '
                "If not, here is what you can send next:"
            ),
            buttons=draft_buttons(verdict.next_steps) + CASE_BUTTONS[1:],
        )
        return []

"""The case in chat: coverage, calls and filings, the timeline, what's next, the calendar and reminders.

Every text is in the patient's language (the `language` slot): English here, Spanish in seeds/es/phrases.yml.
"""

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
from actions.verdict_actions import NEED_DATES_FIRST, draft_buttons, language_of, start_button, verdict_from_slots
from care_clock import CareClockError, Verdict
from care_clock.case.record import add_event, as_date, describe, timeline_text
from care_clock.law.clocks import whats_next
from care_clock.law.verdict import PACIFIC
from care_clock.reading.dates import find_dates, resolve
from care_clock.reading.spanish_dates import to_english
from care_clock.writing.calendar_picture import case_picture
from care_clock.writing.explain import full_date
from care_clock.writing.ics import case_calendar, deadline_calendar
from care_clock.writing.localize import in_language
from care_clock.writing.wording import SPANISH, error_text, say

CALENDAR_FILE = "care-clock-dates.ics"
REMINDER_INTENT = "deadline_reminder"
# For tests and demos: the reminder fires this many seconds from now instead of on its day.
REMINDER_SECONDS_ENV = "CARE_CLOCK_REMINDER_SECONDS"
REMINDER_HOUR = 9  # in California, on the day


def case_buttons(language: str) -> list[dict[str, str]]:
    return [
        {"title": say(language, "show_timeline_button", "Show my timeline"), "payload": "/show_timeline"},
        {"title": say(language, "whats_next_button", "What's next?"), "payload": "/ask_whats_next"},
    ]


def _verdict(tracker: Tracker) -> Verdict | None:
    language = language_of(tracker)
    return case_verdict(tracker, language) or verdict_from_slots(tracker, language)


def _today() -> dt.date:
    return current_time().date()


def _need_dates_first(dispatcher: CollectingDispatcher, language: str) -> list[EventType]:
    dispatcher.utter_message(text=say(language, "need_dates_first", NEED_DATES_FIRST), buttons=[start_button(language)])
    return []


# --- Calls and filings the patient tells us about ---------------------------

# English and Spanish ("hablé con Ana", "número de referencia 123", "queja formal acelerada") alike:
# patients mix the two, and the words do not clash.
NAMED = re.compile(r"\b(?:named|se llama(?:ba)?|de nombre)\s+([^\W\d_][\w.'-]*)", re.IGNORECASE)
SPOKE_TO = re.compile(
    r"\b(?:(?:spoke|talked|speaking)\s+(?:to|with)|habl[eé]\s+con)\s+(?:a\s+|an\s+)?"
    r"([^\W\d_][\w.'-]*(?:\s+[A-ZÁÉÍÓÚÑ][\w.'-]*)?)"
)
REFERENCE = re.compile(
    r"\b(?:ref(?:erence)?|case|ticket|confirmation|grievance|referencia|caso|folio|queja|confirmaci[oó]n)"
    r"\s*(?:number|no\.?|num|#)?\s*[:#]?\s*([A-Za-z]*-?\d[\w-]*)",
    re.IGNORECASE,
)
FILINGS = (
    ("imr", re.compile(r"\bimr\b|independent medical review|revisi[oó]n m[eé]dica independiente", re.IGNORECASE)),
    (
        "dmhc_complaint",
        re.compile(r"\bdmhc\b|help center|centro de ayuda|managed health care|complaint", re.IGNORECASE),
    ),
    ("grievance", re.compile(r"grievance|appeal|complain|queja|apelaci[oó]n|reclamo", re.IGNORECASE)),
)
DECISION = re.compile(
    r"\b(answered|responded|replied|decided|decision|denied|resolved|got (?:an? )?(?:answer|letter)"
    r"|respondi|contest[oóa]|neg[oó]|negaron|decidi|decisi[oó]n|resolvi|respuesta)",
    re.IGNORECASE,
)
EXPEDITED = re.compile(r"expedited|urgent|acelerad[ao]", re.IGNORECASE)


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
        language = language_of(tracker)
        # Spanish dates are read through their English rewrite; names and numbers from the words as written.
        dated = to_english(text, _today()).text if language == SPANISH else text
        mentions = [m for m in find_dates(dated, current_time()) if m.value is not None]
        if not mentions:
            call = intent == "log_call"
            example = (
                say(language, "example_call", "I called them on Nov 12")
                if call
                else say(language, "example_filing", "I filed a grievance on Nov 15")
            )
            dispatcher.utter_message(
                text=say(
                    language,
                    "which_date",
                    'On which date? Tell me again with the date, for example "{example}".',
                    example=example,
                )
            )
            return []
        kind, details = _event_from_text(intent, text)
        try:
            case = add_event(case_of(tracker), kind, resolve(mentions[0], _today()), **details)
            next_step = whats_next(case, _today(), GUIDANCE, language)
        except CareClockError as error:
            dispatcher.utter_message(text=error_text(error, language))
            return []
        event = case.events[-1]
        lines = [
            say(
                language,
                "added_to_timeline",
                "Added to your timeline: {date}: {event}.",
                date=full_date(event.date, language),
                event=describe(event, language=language),
            )
        ]
        if next_step:
            lines.append(say(language, "next_line", "Next: {step}", step=next_step.text(_today())))
        dispatcher.utter_message(text=for_chat("\n".join(lines)), buttons=case_buttons(language))
        return case_events(case, tracker.get_slot(FORM_EVENTS) or [])


# --- Looking at the case ---------------------------------------------------


def _data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


class ActionShowTimeline(Action):
    """Every event in date order with each deadline, and the current one as a small calendar."""

    def name(self) -> str:
        return "action_show_timeline"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        case, language = stored_case(tracker), language_of(tracker)
        if case is None:
            return _need_dates_first(dispatcher, language)
        try:
            timeline = timeline_text(case, _today(), in_language(GUIDANCE, language), language)
            dispatcher.utter_message(text=for_chat(timeline))
            picture = case_picture(case, _today(), GUIDANCE, language)
        except CareClockError as error:
            dispatcher.utter_message(text=error_text(error, language))
            return []
        if picture is not None and tracker.get_latest_input_channel() != "slack":  # Slack takes no data URLs
            # The alt text comes first, as its own message, for screen readers and text-only channels.
            dispatcher.utter_message(
                text=say(language, "as_a_calendar", "The same as a calendar: {alt}", alt=picture.alt),
                image=_data_url(picture.media_type, picture.svg),
            )
        return []


class ActionWhatsNext(Action):
    """ "What's next and when?": the next dated step of the case."""

    def name(self) -> str:
        return "action_whats_next"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        case, language = stored_case(tracker), language_of(tracker)
        if case is None:
            return _need_dates_first(dispatcher, language)
        step = whats_next(case, _today(), GUIDANCE, language)
        if step is None:
            dispatcher.utter_message(
                text=say(
                    language,
                    "nothing_coming",
                    "Nothing in your case has a coming date. Tell me when something changes "
                    "(a new offer, a call, a grievance) and I'll work out the next one.",
                )
            )
            return []
        verdict = _verdict(tracker)
        dispatcher.utter_message(
            text=for_chat(step.text(_today())), buttons=draft_buttons(verdict.next_steps, language) if verdict else []
        )
        return []


class ActionAddToCalendar(Action):
    """The case's coming dates (or the deadline) as an .ics file the page offers as a download."""

    def name(self) -> str:
        return "action_add_to_calendar"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        case, verdict, language = stored_case(tracker), _verdict(tracker), language_of(tracker)
        try:
            if case is not None:
                ics = case_calendar(case, _today(), GUIDANCE, language)
            elif verdict is not None:
                ics = deadline_calendar(verdict, tracker.get_slot("plan"), GUIDANCE, language)
            else:
                return _need_dates_first(dispatcher, language)
        except CareClockError as error:
            dispatcher.utter_message(text=error_text(error, language))
            return []
        if tracker.get_latest_input_channel() == "slack":  # Slack shows no data links: the dates as text
            heading = say(language, "your_dates", "Your dates, to put in your calendar:")
            dispatcher.utter_message(text=for_chat(heading + "\n" + _dates_text(ics, language)))
            return []
        dispatcher.utter_message(
            text=say(
                language,
                "calendar_file",
                "Here are your dates as a calendar file: open it to add them to your calendar. "
                "Each event has the rule, its source and a reminder the day before.",
            )
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


def _dates_text(ics: bytes, language: str = "en") -> str:
    """Each event of a calendar file as one line: its day and what it is."""
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return "\n".join(f"- {full_date(e.decoded('dtstart'), language)}: {e['summary']}" for e in events)


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
        day, language = _reminder_day(tracker), language_of(tracker)
        if day is None:
            dispatcher.utter_message(
                text=say(
                    language,
                    "no_date_to_remind",
                    "There is no coming date to remind you of yet. Tell me what happened "
                    "with your appointment and I'll work one out.",
                ),
                buttons=[start_button(language)],
            )
            return []
        seconds = os.environ.get(REMINDER_SECONDS_ENV)
        if seconds:
            when = dt.datetime.now().astimezone() + dt.timedelta(seconds=float(seconds))
        else:
            when = dt.datetime.combine(day, dt.time(REMINDER_HOUR), tzinfo=PACIFIC)
        dispatcher.utter_message(
            text=say(
                language,
                "reminder_set",
                "Okay: I'll write to you in this chat on {date}. If you delete your data, the reminder goes too.",
                date=full_date(day, language),
            )
        )
        return [
            ReminderScheduled(REMINDER_INTENT, when, name=reminder_name(tracker.sender_id), kill_on_user_message=False)
        ]


class ActionDeadlineReminder(Action):
    """The reminder's day (or "is today my deadline?"): did the plan offer an appointment, and the next draft."""

    def name(self) -> str:
        return "action_deadline_reminder"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        verdict, language = _verdict(tracker), language_of(tracker)
        if verdict is None:
            return _need_dates_first(dispatcher, language)
        deadline = as_date(verdict.deadline)
        case = stored_case(tracker)
        step = case and whats_next(case, _today(), GUIDANCE, language)
        drafts = draft_buttons(verdict.next_steps, language)
        if verdict.status not in ("pending", "overdue") and step and step.source != "deadline":
            # The appointment deadline is behind us: the reminder was for the next step of the complaint path.
            dispatcher.utter_message(
                text=for_chat(say(language, "date_in_case", "A date in your case: {step}", step=step.text(_today()))),
                buttons=drafts + case_buttons(language),
            )
            return []
        if deadline == _today():
            until = say(language, "today", "today")
        else:
            until = say(language, "on_day", "{date}", date=full_date(deadline, language))
        dispatcher.utter_message(
            text=for_chat(
                say(
                    language,
                    "did_they_offer",
                    "Your plan had until {until} to offer you an appointment. Did they?\n"
                    'If they did, tell me the date (for example "they offered me Dec 10") and I\'ll check it. '
                    "If not, here is what you can send next:",
                    until=until,
                )
            ),
            buttons=drafts + case_buttons(language)[1:],
        )
        return []

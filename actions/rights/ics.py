"""Deadlines as iCalendar files, so a patient can put them in their calendar."""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Alarm, Calendar, Event

from .case import Case, as_date
from .clocks import NextStep, steps_ahead
from .errors import InputError
from .explain import cited, full_date, headline
from .seeds import Guidance, load_guidance
from .verdict import PACIFIC, Verdict

NOT_ADVICE = "(Care Clock: not legal advice.)"


def _uid(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24] + "@care-clock"


def _all_day(event: Event, day: dt.date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))


def _remind_the_day_before(event: Event, words: str) -> None:
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", words)
    reminder.add("trigger", dt.timedelta(days=-1))
    event.add_component(reminder)


def _calendar(events: list[Event]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Care Clock//Appointment deadlines//EN")
    calendar.add("version", "2.0")
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def _next_steps_line(verdict: Verdict, guidance: Guidance) -> str:
    titles = [guidance.next_steps[s]["title"] for s in verdict.next_steps]
    return "Next steps: " + "; ".join(f"{i}. {t}" for i, t in enumerate(titles, 1)) + "." if titles else ""


def deadline_event(verdict: Verdict, plan: str = "your health plan", guidance: Guidance | None = None) -> Event:
    if verdict.status == "rule_does_not_apply":
        raise InputError(f"No state deadline to put in a calendar: {verdict.where_to_turn}")
    guidance = guidance or load_guidance()
    event = Event()
    event.add("uid", _uid(verdict.kind, verdict.start.isoformat(), verdict.deadline.isoformat()))
    event.add("dtstamp", dt.datetime.now(dt.timezone.utc))
    if isinstance(verdict.deadline, dt.datetime):
        event.add("dtstart", verdict.deadline.replace(tzinfo=PACIFIC))
        event.add("duration", dt.timedelta(minutes=30))
    else:  # an all-day event on the deadline
        _all_day(event, verdict.deadline)
    event.add("summary", f"Deadline: {plan} must offer your {verdict.label}")
    lines = [
        headline(verdict),
        verdict.rule,
        f"Source: {cited(verdict)}.",
        _next_steps_line(verdict, guidance),
        NOT_ADVICE,
    ]
    event.add("description", "\n".join(line for line in lines if line))
    _remind_the_day_before(event, "Tomorrow is the deadline for your appointment offer.")
    return event


def deadline_calendar(verdict: Verdict, plan: str = "your health plan", guidance: Guidance | None = None) -> bytes:
    """The verdict's deadline, with the rule, its source and the next steps in the event."""
    return _calendar([deadline_event(verdict, plan, guidance)])


def _step_event(step: NextStep, today: dt.date) -> Event:
    """A coming date on its day; a window open now on the day it closes."""
    day = step.until if step.when <= today and step.until else step.when
    event = Event()
    event.add("uid", _uid(step.source, day.isoformat()))
    event.add("dtstamp", dt.datetime.now(dt.timezone.utc))
    _all_day(event, day)
    event.add("summary", ("Last day: " if day == step.until else "") + step.what)
    event.add("description", f"{step.text(today)}\n{NOT_ADVICE}")
    _remind_the_day_before(event, f"Tomorrow ({full_date(day)}): {step.what}")
    return event


def case_calendar(case: Case, today: dt.date, guidance: Guidance | None = None) -> bytes:
    """Every coming date of a case (the open deadline, the complaint path's clocks), one event each.

    Steps that are open now with no closing date (e.g. the Help Center) have no
    day to put in a calendar and are left out. Raises InputError when nothing is dated.
    """
    steps = [s for s in steps_ahead(case, as_date(today), guidance) if s.when > today or s.until]
    if not steps:
        raise InputError("Nothing in this case has a coming date to put in a calendar.")
    return _calendar([_step_event(step, today) for step in steps])

"""The deadline as an iCalendar file, so a patient can put it in their calendar."""
from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Alarm, Calendar, Event

from .errors import InputError
from .explain import cited, headline
from .verdict import PACIFIC, Verdict


def deadline_calendar(verdict: Verdict, plan: str = "your health plan") -> bytes:
    if verdict.status == "rule_does_not_apply":
        raise InputError(f"No state deadline to put in a calendar: {verdict.where_to_turn}")
    event = Event()
    identity = f"{verdict.kind}|{verdict.start.isoformat()}|{verdict.deadline.isoformat()}"
    event.add("uid", hashlib.sha256(identity.encode()).hexdigest()[:24] + "@care-clock")
    event.add("dtstamp", dt.datetime.now(dt.timezone.utc))
    if isinstance(verdict.deadline, dt.datetime):
        event.add("dtstart", verdict.deadline.replace(tzinfo=PACIFIC))
        event.add("duration", dt.timedelta(minutes=30))
    else:  # an all-day event on the deadline
        event.add("dtstart", verdict.deadline)
        event.add("dtend", verdict.deadline + dt.timedelta(days=1))
    event.add("summary", f"Deadline: {plan} must offer your {verdict.label}")
    event.add("description", f"{headline(verdict)}\n{verdict.rule}\nSource: {cited(verdict)}.\n(Care Clock: not legal advice.)")
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", "Tomorrow is the deadline for your appointment offer.")
    reminder.add("trigger", dt.timedelta(days=-1))
    event.add_component(reminder)

    calendar = Calendar()
    calendar.add("prodid", "-//Care Clock//Appointment deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()

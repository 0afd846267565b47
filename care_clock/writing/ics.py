"""Deadlines as iCalendar files, so a patient can put them in their calendar.

Every text in an event (summary, description, reminder) is in the patient's
language; `guidance` is passed in that language already (care_clock/writing/localize.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Alarm, Calendar, Event

from care_clock.case.record import Case, as_date
from care_clock.errors import InputError
from care_clock.facts import Guidance, load_guidance
from care_clock.law.clocks import NextStep, steps_ahead
from care_clock.law.verdict import PACIFIC, Verdict
from care_clock.writing.explain import cited, full_date, headline
from care_clock.writing.localize import in_language
from care_clock.writing.wording import say

NOT_ADVICE = "(Care Clock: not legal advice.)"


def _not_advice(language: str) -> str:
    return say(language, "not_advice", NOT_ADVICE)


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


def _next_steps_line(verdict: Verdict, guidance: Guidance, language: str) -> str:
    titles = [guidance.next_steps[s]["title"] for s in verdict.next_steps]
    steps = "; ".join(f"{i}. {t}" for i, t in enumerate(titles, 1))
    return say(language, "next_steps", "Next steps: ") + steps + "." if titles else ""


def deadline_event(
    verdict: Verdict, plan: str | None = None, guidance: Guidance | None = None, language: str = "en"
) -> Event:
    if not verdict.judged:
        # Coverage the rule does not bind says where to turn; a rule not yet in force says when it began.
        why = verdict.where_to_turn if verdict.status == "rule_does_not_apply" else headline(verdict, language)
        raise InputError(say(language, "ics_no_deadline", "No state deadline to put in a calendar: {where}", where=why))
    guidance = in_language(guidance or load_guidance(), language)
    plan = plan or say(language, "your_plan", "your health plan")
    event = Event()
    event.add("uid", _uid(verdict.kind, verdict.start.isoformat(), verdict.deadline.isoformat()))
    event.add("dtstamp", dt.datetime.now(dt.timezone.utc))
    if isinstance(verdict.deadline, dt.datetime):
        event.add("dtstart", verdict.deadline.replace(tzinfo=PACIFIC))
        event.add("duration", dt.timedelta(minutes=30))
    else:  # an all-day event on the deadline
        _all_day(event, verdict.deadline)
    # The standard's words in `language`, whichever language the verdict was worked out in.
    standard = guidance.standards[verdict.kind]
    summary = say(language, "ics_summary", "Deadline: {plan} must offer your {label}", plan=plan, label=standard.label)
    event.add("summary", summary)
    lines = [
        headline(verdict, language),
        standard.rule,
        say(language, "source", "Source: {cites}.", cites=cited(verdict)),
        _next_steps_line(verdict, guidance, language),
        _not_advice(language),
    ]
    event.add("description", "\n".join(line for line in lines if line))
    if as_date(verdict.deadline) > as_date(verdict.today):  # no alarm for a deadline already past
        _remind_the_day_before(
            event, say(language, "ics_reminder", "Tomorrow is the deadline for your appointment offer.")
        )
    return event


def deadline_calendar(
    verdict: Verdict, plan: str | None = None, guidance: Guidance | None = None, language: str = "en"
) -> bytes:
    """The verdict's deadline, with the rule, its source and the next steps in the event, in `language`."""
    return _calendar([deadline_event(verdict, plan, guidance, language)])


def _step_event(step: NextStep, today: dt.date) -> Event:
    """A coming date on its day; a window open now on the day it closes (in the step's language)."""
    language = step.language
    day = step.until if step.when <= today and step.until else step.when
    event = Event()
    event.add("uid", _uid(step.source, day.isoformat()))
    event.add("dtstamp", dt.datetime.now(dt.timezone.utc))
    _all_day(event, day)
    event.add("summary", (say(language, "ics_last_day", "Last day: ") if day == step.until else "") + step.what)
    event.add("description", f"{step.text(today)}\n{_not_advice(language)}")
    reminder = say(
        language, "ics_step_reminder", "Tomorrow ({date}): {what}", date=full_date(day, language), what=step.what
    )
    if day > today:
        _remind_the_day_before(event, reminder)
    return event


def case_calendar(case: Case, today: dt.date, guidance: Guidance | None = None, language: str = "en") -> bytes:
    """Every coming date of a case (the open deadline, the complaint path's clocks), one event each.

    Steps that are open now with no closing date (e.g. the Help Center) have no
    day to put in a calendar and are left out. Raises InputError when nothing is dated.
    """
    steps = [s for s in steps_ahead(case, as_date(today), guidance, language) if s.when > today or s.until]
    if not steps:
        raise InputError(
            say(language, "ics_nothing_dated", "Nothing in this case has a coming date to put in a calendar.")
        )
    return _calendar([_step_event(step, today) for step in steps])

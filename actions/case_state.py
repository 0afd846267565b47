"""The patient's coverage and case, as kept in slots (no actions here: verdict_actions and case_actions use it).

- `coverage` holds a kind the patient chose; otherwise the plan they named may
  settle it (care_clock/law/coverage.py). None means unclear: the verdict then
  uses "unknown", which shows both paths, and one question is asked.
- `case` holds the whole timeline (care_clock/case/record.py, as a dict). The
  appointment form's facts are merged into it at each verdict; the ids of the
  events the current form added are kept in `case_form_events`, so that a
  correction replaces them instead of adding a second visit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.context import GUIDANCE, current_time
from actions.timeline_slots import slot_events, timeline_of
from care_clock import CareClockError, Verdict
from care_clock.case.record import Case, add_event, anchor, case_from_dict, case_to_dict, current_verdict, remove_event
from care_clock.case.timeline import KIND, START, Timeline, day_of
from care_clock.law.coverage import contact_line, contacts_for, coverage_for_plan
from care_clock.writing.localize import in_language
from care_clock.writing.wording import say

CASE, FORM_EVENTS, COVERAGE = "case", "case_form_events", "coverage"
UNCLEAR = "unknown"


def coverage_kind(tracker: Tracker) -> str | None:
    """The coverage chosen or implied by the plan's name; None when neither settles it."""
    return tracker.get_slot(COVERAGE) or coverage_for_plan(timeline_of(tracker).plan_name, GUIDANCE)


def case_of(tracker: Tracker) -> Case:
    """The stored case, with the current coverage and kind (an empty case when none is stored)."""
    try:
        case = case_from_dict(tracker.get_slot(CASE))
    except CareClockError:
        case = case_from_dict(None)
    kind = timeline_of(tracker).kind or case.kind
    return dataclasses.replace(case, kind=kind, coverage=coverage_kind(tracker) or UNCLEAR)


def case_events(case: Case, form_events: list[str] = ()) -> list[EventType]:
    return [SlotSet(CASE, case_to_dict(case)), SlotSet(FORM_EVENTS, list(form_events))]


def _form_facts(timeline: Timeline, kind: str) -> list[tuple[str, dt.date, dict]]:
    """(event kind, date, details) for the dates the form holds."""
    facts = []
    start = day_of(timeline.start)
    if start:
        facts.append(("attended" if kind == "followup" else "requested", start, {}))
    canceled = day_of(timeline.canceled)
    if canceled:
        facts.append(("canceled", canceled, {}))
    offered = day_of(timeline.offer)
    if offered and timeline.offer_made:
        individual = timeline.individual
        group = None if individual is None and not timeline.offered_as else not individual
        facts.append(("offered", offered, {"group": group}))
    return facts


def with_form_facts(tracker: Tracker) -> tuple[Case, list[str]]:
    """The case with this form's dates (replacing what the same form added before), and their event ids."""
    case = case_of(tracker)
    for event_id in tracker.get_slot(FORM_EVENTS) or ():
        if event_id in {e.id for e in case.events}:
            case = remove_event(case, event_id)
    added = []
    for kind, day, details in _form_facts(timeline_of(tracker), case.kind):
        if any(e.kind == kind and e.date == day for e in case.events):
            continue
        case = add_event(case, kind, day, **details)
        added.append(case.events[-1].id)
    return case, added


def anchor_prefill(tracker: Tracker) -> list[EventType]:
    """Another cancellation in a case: the clock still counts from the case's anchor, so it is not asked again."""
    case = case_of(tracker)
    start = anchor(case)
    if start is None or case.kind == "urgent":
        return []
    return slot_events({KIND: case.kind, START: start.date})


def case_verdict(tracker: Tracker, language: str = "en") -> Verdict | None:
    """The verdict of the case's current episode (every cancellation in it), or None.

    Urgent requests count hours from a time the case does not keep, and a
    documented longer wait is the form's: those stay with the form's verdict.
    """
    case = case_of(tracker)
    if case.kind == "urgent" or timeline_of(tracker).longer_wait_approved:
        return None
    try:
        return current_verdict(case, current_time().date(), in_language(GUIDANCE, language), language)
    except CareClockError:
        return None


def stored_case(tracker: Tracker) -> Case | None:
    """The case when it holds any event, else None."""
    case = case_of(tracker)
    return case if case.events else None


def coverage_note(kind: str | None, language: str = "en") -> str | None:
    """For coverage other than a DMHC plan's: whether the state rules bind it, and where to turn."""
    if kind in (None, "dmhc"):
        return None
    guidance = in_language(GUIDANCE, language)
    coverage = guidance.coverage[kind]
    lines = [say(language, "for_coverage", "For {label}:", label=coverage.label)]
    if coverage.rule_applies is None:
        lines.append(
            say(language, "rules_may_apply", "Whether these California rules apply depends on your coverage.")
            + " "
            + " ".join(coverage.questions)
        )
    lines.append(coverage.where_to_turn)
    lines += [contact_line(c, language) for c in contacts_for(coverage, guidance)]
    return "\n".join(lines)

"""The case and coverage kept in slots (actions/case_state.py) and pending reminders (bot/reminders.py)."""

import datetime as dt

from rasa.shared.core.events import ReminderScheduled, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.case_state import anchor_prefill, coverage_kind, with_form_facts
from bot.reminders import pending

FORM = {
    "appointment_kind": "followup",
    "start_date": "2024-10-28",
    "canceled_date": "2024-11-04",
    "offered": True,
    "offered_date": "2024-11-20",
}


def test_the_plan_named_settles_the_coverage_unless_it_is_unclear(make_tracker):
    assert coverage_kind(make_tracker({"plan": "Kaiser Permanente"})) == "dmhc"
    assert coverage_kind(make_tracker({"plan": "L.A. Care Health Plan (Medi-Cal)"})) == "medi-cal"
    assert coverage_kind(make_tracker({"plan": "Blue Shield of California"})) is None
    assert coverage_kind(make_tracker({"plan": None})) is None
    assert coverage_kind(make_tracker({"plan": "Blue Shield of California", "coverage": "cdi"})) == "cdi"


def test_a_correction_replaces_the_form_events_and_keeps_the_others(make_tracker):
    case, ids = with_form_facts(make_tracker(FORM))
    assert [(e.kind, e.date.isoformat()) for e in case.events] == [
        ("attended", "2024-10-28"),
        ("canceled", "2024-11-04"),
        ("offered", "2024-11-20"),
    ]
    from care_clock.case.record import case_to_dict

    stored = case_to_dict(case)
    corrected, _ = with_form_facts(
        make_tracker({**FORM, "start_date": "2024-10-29", "case": stored, "case_form_events": ids})
    )
    assert [e.date.isoformat() for e in corrected.events if e.kind == "attended"] == ["2024-10-29"]
    # A new report (form events cleared): the earlier events stay, the anchor is offered again.
    again, _ = with_form_facts(make_tracker({**FORM, "canceled_date": "2024-11-20", "case": stored}))
    assert sum(e.kind == "canceled" for e in again.events) == 2
    assert {e["name"]: e["value"] for e in anchor_prefill(make_tracker({"case": stored}))} == {
        "appointment_kind": "followup",
        "start_date": "2024-10-28",
    }


def test_a_fired_reminder_is_not_pending_any_more():
    reminder = ReminderScheduled(
        "deadline_reminder",
        dt.datetime(2030, 1, 2, 9, tzinfo=dt.timezone.utc),
        name="deadline-x",
        kill_on_user_message=False,
    )
    tracker = DialogueStateTracker.from_events("p", [reminder])
    assert pending(tracker) == [reminder]
    tracker.update(UserUttered("is today my deadline", intent={"name": "deadline_reminder"}))
    assert pending(tracker) == [reminder]  # the patient asking is not the reminder firing
    tracker.update(UserUttered.create_external("deadline_reminder", []))
    assert pending(tracker) == []

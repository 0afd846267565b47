"""A case: every event on one timeline, the anchor on the last attended visit, storage,
drafts listing every event, the calendar picture and the .ics parsed back."""

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from care_clock import check
from care_clock.case.record import (
    add_event,
    anchor,
    case_from_dict,
    case_to_dict,
    correct_event,
    current_verdict,
    episodes,
    new_case,
    remove_event,
    timeline_text,
)
from care_clock.errors import InputError
from care_clock.writing.calendar_picture import case_picture, verdict_picture
from care_clock.writing.drafts import render_draft
from care_clock.writing.ics import case_calendar, deadline_calendar

D = dt.date.fromisoformat
SVG = "{http://www.w3.org/2000/svg}"


def build(*events, kind="followup"):
    case = new_case(kind)
    for event_kind, day, details in events:
        case = add_event(case, event_kind, D(day), **details)
    return case


TWO_CANCELLATIONS = build(
    ("attended", "2024-10-14", {}),
    ("canceled", "2024-10-21", {"by": "plan"}),
    ("canceled", "2024-10-25", {"by": "provider"}),
)
THREE_CANCELLATIONS = build(
    ("attended", "2024-10-28", {}),
    ("canceled", "2024-11-04", {"by": "plan"}),
    ("offered", "2024-11-08", {"group": False}),
    ("canceled", "2024-11-08", {"by": "provider"}),
    ("call", "2024-11-12", {"who": "Ana", "reference": "KP-4411"}),
    ("canceled", "2024-11-15", {"by": "plan"}),
)


@pytest.mark.parametrize(
    "case, start, deadline, today",
    [
        (TWO_CANCELLATIONS, "2024-10-14", "2024-10-28", "2024-11-01"),
        (THREE_CANCELLATIONS, "2024-10-28", "2024-11-12", "2024-11-22"),  # Veterans Day skipped
    ],
)
def test_the_anchor_stays_on_the_last_attended_visit(case, start, deadline, today, guidance):
    assert anchor(case).date == D(start)
    verdict = current_verdict(case, D(today), guidance)
    assert (verdict.start, verdict.deadline, verdict.status) == (D(start), D(deadline), "overdue")
    assert len(episodes(case, D(today), guidance)) == 1


def test_an_offer_the_plan_canceled_is_not_counted_but_one_the_patient_canceled_is(guidance):
    verdict = current_verdict(THREE_CANCELLATIONS, D("2024-11-22"), guidance)
    assert verdict.offered is None and verdict.canceled == D("2024-11-15")
    patient = correct_event(THREE_CANCELLATIONS, "e4", by="patient")
    assert current_verdict(patient, D("2024-11-22"), guidance).status == "on_time"


def test_a_group_class_is_listed_but_not_counted(guidance):
    case = build(("attended", "2024-10-28", {}), ("offered", "2024-11-06", {"group": True}))
    assert current_verdict(case, D("2024-11-08"), guidance).status == "pending"
    assert "a group class (not counted as the appointment)" in timeline_text(case, D("2024-11-08"), guidance)


def test_a_new_visit_starts_a_new_episode_and_each_deadline_is_judged(guidance):
    case = add_event(THREE_CANCELLATIONS, "attended", D("2024-11-20"))
    case = add_event(case, "offered", D("2024-11-27"), group=False)
    found = episodes(case, D("2024-11-22"), guidance)
    assert [(e.anchor.date, e.verdict.deadline, e.met, e.counted) for e in found] == [
        (D("2024-10-28"), D("2024-11-12"), False, D("2024-11-20")),  # late: the visit on Nov 20
        (D("2024-11-20"), D("2024-12-05"), True, D("2024-11-27")),
    ]
    assert anchor(case).date == D("2024-11-20")


def test_a_request_anchors_a_first_appointment(guidance):
    case = build(
        ("requested", "2024-11-01", {}),
        ("canceled", "2024-11-08", {"by": "plan"}),
        ("attended", "2024-11-20", {}),
        kind="initial",
    )
    (episode,) = episodes(case, D("2024-11-22"), guidance)
    assert (episode.anchor.kind, episode.verdict.deadline, episode.met) == ("requested", D("2024-11-18"), False)


def test_timeline_in_date_order_with_each_deadline(guidance):
    text = timeline_text(THREE_CANCELLATIONS, D("2024-11-22"), guidance)
    lines = text.splitlines()
    assert lines[0] == "Your timeline (follow-up therapy appointment), as of Friday, November 22, 2024:"
    assert lines[1:] == [
        "- Monday, October 28, 2024: You attended an appointment",
        "- Monday, November 4, 2024: Your appointment on this day was canceled by the plan",
        "- Friday, November 8, 2024: The plan offered you an appointment on this day, one-to-one",
        "- Friday, November 8, 2024: Your appointment on this day was canceled by the provider",
        "- Tuesday, November 12, 2024: You called the plan and spoke with Ana (reference number KP-4411)",
        (
            "- Tuesday, November 12, 2024: Deadline for an appointment after your visit of Monday, October 28, 2024: "
            "missed (nothing offered yet, 8 business days overdue)"
        ),
        "- Friday, November 15, 2024: Your appointment on this day was canceled by the plan",
    ]
    assert timeline_text(new_case(), D("2024-11-22"), guidance).startswith("Your timeline is empty")


def test_approximate_dates_and_notes_are_said(guidance):
    case = build(("attended", "2024-10-28", {"certainty": "approximate", "note": "with Dr. Lee"}))
    assert "You attended an appointment: with Dr. Lee (date approximate)" in timeline_text(
        case, D("2024-11-01"), guidance
    )


def test_corrections_return_a_new_case_and_move_the_deadline(guidance):
    corrected = correct_event(TWO_CANCELLATIONS, "e1", date=D("2024-10-15"))
    assert TWO_CANCELLATIONS.events[0].date == D("2024-10-14")  # the old value is untouched
    assert current_verdict(corrected, D("2024-11-01"), guidance).deadline == D("2024-10-29")
    assert [e.id for e in remove_event(corrected, "e2").events] == ["e1", "e3"]
    assert add_event(remove_event(corrected, "e3"), "call", D("2024-10-30")).events[-1].id == "e3"
    with pytest.raises(InputError, match="No event"):
        correct_event(corrected, "e9", date=D("2024-10-15"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        corrected.kind = "initial"


@pytest.mark.parametrize(
    "kind, details, message",
    [
        ("walked", {}, "Unknown kind of event"),
        ("canceled", {"by": "the weather"}, "Canceled by must be one of"),
        ("attended", {"by": "plan"}, "takes no 'by'"),
        ("filed", {}, "Say what was filed"),
        ("call", {"certainty": "maybe"}, "Certainty must be one of"),
    ],
)
def test_bad_events_are_refused(kind, details, message):
    with pytest.raises(InputError, match=message):
        add_event(new_case(), kind, D("2024-11-01"), **details)


def test_round_trip_through_json(guidance):
    case = add_event(
        THREE_CANCELLATIONS, "filed", D("2024-11-25"), filing="grievance", expedited=True, reference="G-77"
    )
    case = add_event(case, "requested", D("2024-11-26"), out_of_network=True, certainty="approximate")
    stored = json.loads(json.dumps(case_to_dict(case)))
    assert case_from_dict(stored) == case
    assert stored["events"][2] == {
        "id": "e3",
        "kind": "offered",
        "date": "2024-11-08",
        "certainty": "exact",
        "group": False,
    }
    assert case_from_dict(None) == new_case()


@pytest.mark.parametrize(
    "stored",
    [
        {"events": [{"id": "e1", "kind": "attended", "date": "2024-13-01"}]},
        {"events": [{"id": "e1", "kind": "attended"}]},
        {"events": [{"id": "e1", "kind": "attended", "date": "2024-11-01", "colour": "red"}]},
        {"kind": "dentist", "events": []},
        {"events": ["attended 2024-11-01"]},
    ],
)
def test_a_damaged_stored_case_is_an_input_error(stored):
    with pytest.raises(InputError):
        case_from_dict(stored)


# --- Drafts, the picture, the calendar file ----------------------------------


def test_the_grievance_lists_every_event_of_the_case(guidance):
    verdict = current_verdict(THREE_CANCELLATIONS, D("2024-11-22"), guidance)
    text = render_draft("grievance", verdict, {"plan": "Kaiser Permanente"}, guidance, case=THREE_CANCELLATIONS)
    listed = text[text.index("Everything that happened, in date order") : text.index("The rule that was not met")]
    assert listed.count("\n- ") == 7  # six events and the deadline
    assert "I called the plan and spoke with Ana (reference number KP-4411)" in listed
    assert "- Monday, November 4, 2024, canceled by the plan" in text
    assert "- Friday, November 15, 2024, canceled by the plan" in text
    assert "- Tuesday, November 12, 2024: spoke with Ana, reference number KP-4411" in text
    for draft in ("dmhc_complaint", "escalation"):
        assert "Everything that happened" in render_draft(draft, verdict, None, guidance, case=THREE_CANCELLATIONS)


def test_drafts_without_a_case_do_not_list_events(guidance):
    verdict = check("followup", D("2024-10-28"), today=D("2024-11-22"))
    assert "Everything that happened" not in render_draft("grievance", verdict, None, guidance)


def test_picture_marks_counted_days_holidays_deadline_offer_and_cancellations(guidance):
    verdict = check(
        "followup", D("2024-10-28"), offered=D("2024-11-20"), canceled=D("2024-11-04"), today=D("2024-11-22")
    )
    picture = verdict_picture(verdict, [D("2024-11-04")], guidance)
    svg = ET.fromstring(picture.svg)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert svg.get("role") == "img" and svg.find(f"{SVG}desc").text == picture.alt
    assert [t for t in texts if t.endswith("2024")] == ["October 2024", "November 2024"]
    assert "10 due" in texts and "offer" in texts and "hol" in texts and "start" in texts
    assert {str(n) for n in range(1, 10)} <= set(texts)
    assert len(list(svg.iter(f"{SVG}line"))) == 2  # the cancellation, and its legend
    assert int(svg.get("width")) <= 400  # one column: fits a phone
    for words in ("Tuesday, November 12, 2024", "Veterans Day", "Monday, November 4, 2024", "late by 6 business days"):
        assert words in picture.alt


def test_picture_shows_disputed_days(guidance):
    picture = verdict_picture(check("psychiatry", D("2024-11-20"), today=D("2024-12-02")), guidance=guidance)
    assert "Disputed days" in picture.alt and "Day after Thanksgiving" in picture.alt
    assert any(r.get("stroke-dasharray") for r in ET.fromstring(picture.svg).iter(f"{SVG}rect"))


def test_case_picture_is_the_current_episode(guidance):
    picture = case_picture(THREE_CANCELLATIONS, D("2024-11-22"), guidance)
    assert "starts on Monday, October 28, 2024" in picture.alt
    assert "Canceled: Monday, November 4, 2024; Friday, November 8, 2024; Friday, November 15, 2024." in picture.alt
    assert case_picture(new_case(), D("2024-11-22"), guidance) is None


def test_deadline_ics_holds_the_next_steps(guidance):
    verdict = check("followup", D("2024-10-28"), offered=D("2024-11-20"), today=D("2024-11-22"))
    event = next(iter(Calendar.from_ical(deadline_calendar(verdict, "Kaiser Permanente", guidance)).walk("VEVENT")))
    assert event.decoded("dtstart") == D("2024-11-12")
    description = str(event["description"])
    assert "Next steps: 1. Call your plan" in description and "File a grievance with your plan" in description


def test_case_ics_has_every_coming_date_parsed_back(guidance):
    case = add_event(THREE_CANCELLATIONS, "filed", D("2024-11-25"), filing="grievance")
    calendar = Calendar.from_ical(case_calendar(case, D("2024-11-26"), guidance))
    events = {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert events == {
        "Your plan acknowledges your grievance": D("2024-11-30"),
        "Your plan must resolve your grievance": D("2024-12-25"),
        "You may go to the DMHC Help Center if the grievance is still not resolved": D("2024-12-26"),
    }
    assert all(e.walk("VALARM") for e in calendar.walk("VEVENT"))
    assert "as reported" in str(next(iter(calendar.walk("VEVENT")))["description"])


def test_case_ics_puts_an_open_window_on_its_last_day(guidance):
    calendar = Calendar.from_ical(case_calendar(THREE_CANCELLATIONS, D("2024-11-22"), guidance))
    (event,) = calendar.walk("VEVENT")
    assert (str(event["summary"]), event.decoded("dtstart")) == (
        "Last day: File a grievance with your plan about this problem",
        D("2025-05-12"),
    )
    with pytest.raises(InputError):
        case_calendar(new_case(), D("2024-11-22"), guidance)

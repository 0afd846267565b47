"""Verdicts: the statuses, the counts, and properties that must hold for any dates."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from care_clock import InputError, check
from care_clock.law import business_days as bd
from care_clock.writing.explain import explain

D = dt.date.fromisoformat
STRIKE_START = D("2024-10-28")


def test_strike_scenario_is_late_by_six_business_days():
    verdict = check("followup", STRIKE_START, offered=D("2024-11-20"), canceled=D("2024-11-04"))
    assert verdict.deadline == D("2024-11-12")
    assert verdict.status == "late"
    assert verdict.business_days_late == 6
    assert ("2024-11-11", "Veterans Day") in [(d.isoformat(), n) for d, n in verdict.holidays_skipped]
    assert any("not from the canceled one" in note for note in verdict.notes)
    assert verdict.next_steps[:4] == ["out_of_network", "escalation", "grievance", "dmhc_complaint"]
    assert any("SB 221" in c["cite"] for c in verdict.citations)


def test_an_offer_between_the_two_deadlines_is_late_unless_the_plan_was_closed():
    # Thanksgiving closes everyone; the day after (Nov 29) closes only state offices.
    verdict = check("followup", D("2024-11-20"), offered=D("2024-12-06"), today=D("2024-12-10"))
    assert (verdict.deadline, verdict.deadline_latest) == (D("2024-12-05"), D("2024-12-06"))
    assert (verdict.status, verdict.business_days_late, verdict.late_under_any_count) == ("late", 1, False)
    assert verdict.disputed_days == [(D("2024-11-29"), "Day after Thanksgiving, California state offices only")]


def test_an_offer_past_the_latest_deadline_is_late_under_any_count():
    verdict = check("followup", D("2024-11-20"), offered=D("2024-12-10"), today=D("2024-12-10"))
    assert (verdict.status, verdict.business_days_late, verdict.late_under_any_count) == ("late", 3, True)
    assert verdict.business_days_late_latest == 2


def test_overdue_between_the_two_deadlines_is_not_certain():
    verdict = check("followup", D("2024-06-12"), today=D("2024-06-27"))  # Juneteenth: federal offices only
    assert (verdict.status, verdict.late_under_any_count) == ("overdue", False)
    assert check("followup", D("2024-06-12"), today=D("2024-06-28")).late_under_any_count


def test_no_disputed_day_means_one_deadline():
    verdict = check("followup", STRIKE_START, offered=D("2024-11-20"))
    assert verdict.deadline_latest == verdict.deadline and verdict.disputed_days == []
    assert verdict.late_under_any_count


def test_offer_on_the_deadline_is_on_time():
    verdict = check("followup", STRIKE_START, offered=D("2024-11-12"))
    assert verdict.status == "on_time"
    assert verdict.next_steps == ["if_canceled_again"]


def test_pending_counts_business_days_left():
    verdict = check("followup", STRIKE_START, today=D("2024-11-08"))
    assert verdict.status == "pending"
    assert verdict.business_days_left == 1  # only Tuesday the 12th; Monday is Veterans Day


def test_overdue_counts_business_days_since_deadline():
    verdict = check("followup", STRIKE_START, today=D("2024-11-22"))
    assert verdict.status == "overdue"
    assert verdict.business_days_late == 8
    assert "dmhc_complaint" in verdict.next_steps


def test_documented_exception_keeps_the_deadline_and_explains_it():
    verdict = check("followup", STRIKE_START, offered=D("2024-12-20"), longer_wait_approved=True)
    assert verdict.status == "exception_noted"
    assert verdict.deadline == D("2024-11-12")
    assert "will not harm your health" in verdict.exception


def test_psychiatry_has_fifteen_business_days():
    verdict = check("psychiatry", D("2024-11-01"), offered=D("2024-11-25"))
    assert verdict.deadline == D("2024-11-25")
    assert verdict.status == "on_time"


def test_urgent_counts_calendar_hours():
    request = dt.datetime(2024, 11, 8, 15, 0)  # Friday afternoon: weekends count
    verdict = check("urgent", request, offered=dt.datetime(2024, 11, 11, 9, 0))
    assert verdict.deadline == dt.datetime(2024, 11, 10, 15, 0)
    assert verdict.status == "late"
    assert verdict.hours_late == 18
    assert verdict.next_steps[0] == "grievance"  # the expedited path first


def test_urgent_with_prior_authorization_has_ninety_six_hours():
    verdict = check("urgent", dt.datetime(2024, 11, 8, 15, 0), prior_auth=True, today=dt.datetime(2024, 11, 9, 15, 0))
    assert verdict.deadline == dt.datetime(2024, 11, 12, 15, 0)
    assert verdict.status == "pending"
    assert verdict.hours_left == 72


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kind": "followup", "start": D("2024-10-28"), "offered": D("2024-10-01")}, "before the last appointment"),
        ({"kind": "initial", "start": D("2024-12-01"), "today": D("2024-11-08")}, "after today"),
        ({"kind": "dentist", "start": D("2024-10-28")}, "Unknown kind"),
        ({"kind": "followup", "start": D("2024-10-28"), "canceled": D("2024-10-01")}, "canceled appointment"),
    ],
)
def test_impossible_inputs_raise_a_readable_error(kwargs, message):
    with pytest.raises(InputError, match=message):
        check(**kwargs)


def test_json_has_the_documented_fields():
    data = check("followup", STRIKE_START, offered=D("2024-11-20")).to_dict()
    for key in (
        "kind",
        "start",
        "deadline",
        "status",
        "business_days_late",
        "holidays_skipped",
        "citations",
        "next_steps",
    ):
        assert key in data
    assert data["deadline"] == "2024-11-12"
    assert data["holidays_skipped"] == [{"date": "2024-11-11", "name": "Veterans Day"}]
    assert (data["deadline_latest"], data["disputed_days"]) == ("2024-11-12", [])
    disputed = check("psychiatry", D("2024-11-20"), today=D("2024-12-02")).to_dict()
    assert (disputed["deadline"], disputed["deadline_latest"], disputed["disputed_days"]) == (
        "2024-12-12",
        "2024-12-13",
        ["2024-11-29"],
    )


starts = st.dates(min_value=dt.date(2022, 7, 1), max_value=dt.date(2030, 12, 31))  # SB 221 in force
kinds = st.sampled_from(["followup", "initial", "psychiatry"])
RANK = {"on_time": 0, "late": 1}
LATER = dt.date(2031, 1, 1)  # "today" after every generated date


@settings(max_examples=200, deadline=None)
@given(start=starts, kind=kinds)
def test_deadline_is_always_a_business_day(start, kind):
    verdict = check(kind, start, today=LATER)
    assert bd.is_business_day(verdict.deadline)
    assert bd.is_business_day(verdict.deadline_latest, bd.latest_calendar())
    assert start < verdict.deadline <= verdict.deadline_latest
    assert (verdict.deadline == verdict.deadline_latest) == (not verdict.disputed_days)


@settings(max_examples=200, deadline=None)
@given(start=starts, kind=kinds)
def test_on_the_deadline_is_on_time_and_one_business_day_later_is_late_by_one(start, kind):
    deadline = check(kind, start, today=LATER).deadline
    assert check(kind, start, offered=deadline, today=LATER).status == "on_time"
    late = check(kind, start, offered=bd.add_business_days(deadline, 1), today=LATER)
    assert (late.status, late.business_days_late) == ("late", 1)


@settings(max_examples=200, deadline=None)
@given(start=starts, kind=kinds, first=st.integers(0, 60), extra=st.integers(0, 60))
def test_a_later_offer_is_never_better(start, kind, first, extra):
    earlier = check(kind, start, offered=start + dt.timedelta(days=first), today=LATER)
    later = check(kind, start, offered=start + dt.timedelta(days=first + extra), today=LATER)
    assert RANK[later.status] >= RANK[earlier.status]
    assert (later.business_days_late or 0) >= (earlier.business_days_late or 0)


@pytest.mark.parametrize(
    "offered, status",
    [
        (dt.datetime(2024, 11, 22, 16, 0), "on_time"),  # on the last day: on time if asked before 4 pm
        (dt.date(2024, 11, 22), "on_time"),
        (dt.date(2024, 11, 23), "late"),  # late at whatever hour the request was made
        (None, "pending"),
    ],
)
def test_an_urgent_request_without_its_hour_is_never_counted_from_midnight(offered, status):
    verdict = check("urgent", dt.date(2024, 11, 20), offered=offered, today=dt.datetime(2024, 11, 22, 12, 0))
    assert (verdict.status, verdict.deadline) == (status, dt.date(2024, 11, 22))
    assert "12:00 AM" not in explain(verdict)
    assert any("what time you asked" in note for note in verdict.notes)
    if status == "late":
        assert verdict.hours_late == 24


def test_a_date_kept_without_its_kind_gives_each_business_day_deadline():
    from care_clock.law.verdict import deadlines_from

    found = {v.kind: v for v in deadlines_from(dt.date(2024, 10, 28), dt.date(2024, 11, 26))}
    assert set(found) == {"followup", "initial", "psychiatry"}  # urgent counts hours from a time of day
    assert (found["followup"].deadline, found["psychiatry"].deadline) == (dt.date(2024, 11, 12), dt.date(2024, 11, 19))
    assert "Cal. Health & Safety Code §1367.03" in [c["cite"] for c in found["initial"].citations]
    assert deadlines_from(dt.date(2024, 12, 2), dt.date(2024, 11, 26)) == []  # after today fits no kind


@settings(max_examples=100, deadline=None)
@given(start=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2022, 6, 30)))
def test_no_follow_up_wait_is_judged_by_sb_221_before_it_took_effect(start):
    """Issue 27, problem 11: SB 221 took effect on July 1, 2022."""
    verdict = check("followup", start, offered=start + dt.timedelta(days=60), today=LATER)
    assert verdict.status == "not_in_force" and not verdict.judged
    assert verdict.in_force_from == dt.date(2022, 7, 1)
    assert "July 1, 2022" in explain(verdict) and "late" not in explain(verdict).split("\n")[0]
    assert check("initial", start, today=LATER).judged  # the older rules still apply

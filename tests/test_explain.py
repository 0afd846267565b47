"""The answer a patient reads: full dates, counts, holidays, the rule and its source."""

import datetime as dt

from care_clock import check
from care_clock.writing.explain import explain, full_date

D = dt.date.fromisoformat


def test_full_date_is_written_out():
    assert full_date(D("2024-11-12")) == "Tuesday, November 12, 2024"
    assert full_date(dt.datetime(2024, 11, 10, 15, 0)) == "Sunday, November 10, 2024 at 3:00 PM"


def test_late_answer_names_deadline_count_holiday_rule_and_source(guidance):
    text = explain(check("followup", D("2024-10-28"), offered=D("2024-11-20")), guidance)
    assert "late by 6 business days" in text
    assert "Tuesday, November 12, 2024" in text
    assert "Veterans Day" in text
    assert "SB 221" in text
    assert "File a grievance" in text


def test_pending_answer_says_how_many_days_are_left(guidance):
    text = explain(check("initial", D("2024-11-01"), today=D("2024-11-08")), guidance)
    assert "business days left" in text
    assert "Monday, November 18, 2024" in text


def test_one_day_is_singular(guidance):
    text = explain(check("followup", D("2024-10-28"), offered=D("2024-11-13")), guidance)
    assert "late by 1 business day:" in text


def test_between_the_two_deadlines_the_answer_names_the_disputed_day(guidance):
    text = explain(check("followup", D("2024-11-20"), offered=D("2024-12-06"), today=D("2024-12-10")), guidance)
    assert "late by 1 business day, unless the plan was closed on Friday, November 29, 2024" in text
    assert "could argue for Friday, December 6, 2024" in text


def test_past_the_latest_deadline_is_late_under_any_count(guidance):
    text = explain(check("followup", D("2024-11-20"), offered=D("2024-12-10"), today=D("2024-12-10")), guidance)
    assert "late by 3 business days, late under any count" in text

"""Drafted next steps: golden texts on the strike's timeline, no blanks left by
mistake, no claim that is not in seeds/, and a calendar file that parses."""

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from care_clock import check
from care_clock.writing.drafts import find_draft, render_draft
from care_clock.writing.ics import deadline_calendar

from .conftest import ROOT

D = dt.date.fromisoformat
GOLDEN = Path(__file__).parent / "golden"
STRIKE_TODAY = D("2024-11-22")
CASES = {
    "late": dict(kind="followup", start=D("2024-10-28"), canceled=D("2024-11-04"), offered=D("2024-11-20")),
    "overdue": dict(kind="followup", start=D("2024-10-28"), canceled=D("2024-11-04")),
    "pending": dict(kind="followup", start=D("2024-11-15"), canceled=D("2024-11-22")),
    "on_time": dict(kind="followup", start=D("2024-11-12"), canceled=D("2024-11-19"), offered=D("2024-11-25")),
    "urgent": dict(kind="urgent", start=dt.datetime(2024, 11, 18, 15, 0)),
}
ALLOWED_BLANKS = {
    "[your name]",
    "[your member number]",
    "[your phone or email]",
    "[grievance number]",
    "[date filed]",
    "[names and reference numbers]",
    "[amount and receipts, if any]",
    "[who canceled: the plan, the provider or you]",
    "[one-to-one or a group class?]",
    "[date of call]",
    "[name of the person]",
    "[reference number]",
    "[date]",
}
FACTS = {"plan": "Kaiser Permanente"}
# Golden drafts for every other kind of coverage, on the strike's late follow-up (and urgent care).
COVERAGE_CASES = {
    f"{coverage}-{case}": (case, coverage)
    for coverage in ("cdi", "medi-cal", "medicare", "self-funded", "unknown")
    for case in ("late", "urgent")
}


def verdict_for(case, coverage=None):
    today = dt.datetime(2024, 11, 22, 12, 0) if case == "urgent" else STRIKE_TODAY
    return check(today=today, coverage=coverage, **CASES[case])


def all_drafts():
    for case in CASES:
        verdict = verdict_for(case)
        for draft_id in verdict.next_steps:
            yield case, draft_id, verdict
    for name, (case, coverage) in COVERAGE_CASES.items():
        verdict = verdict_for(case, coverage)
        for draft_id in verdict.next_steps:
            yield name, draft_id, verdict


@pytest.mark.parametrize("case, draft_id, verdict", list(all_drafts()), ids=lambda v: getattr(v, "status", v))
def test_draft_matches_its_golden_text(case, draft_id, verdict, guidance):
    text = render_draft(draft_id, verdict, FACTS, guidance)
    golden = GOLDEN / f"{case}-{draft_id}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text(), f"{golden.name} differs; review and rerun with UPDATE_GOLDEN=1"


@pytest.mark.parametrize("case, draft_id, verdict", list(all_drafts()), ids=lambda v: getattr(v, "status", v))
def test_no_unfilled_placeholder_or_unsourced_claim(case, draft_id, verdict, guidance):
    text = render_draft(draft_id, verdict, FACTS, guidance)
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert set(re.findall(r"\[[^\]]*\]", text)) <= ALLOWED_BLANKS
    seeds_text = "".join(p.read_text() for p in (ROOT / "seeds").glob("*.yml"))
    claims = re.findall(r"§+[\d.()a-z, ]+\d|\bSB \d+|\b\d-\d{3}-\d{3}-\d{4}\b|https?://\S+[\w/]", text)
    for claim in claims:
        for piece in re.split(r",\s*", claim.strip("§ ")):
            assert piece in seeds_text, f"{draft_id}: {piece!r} is not in seeds/"


def test_late_followup_drafts_name_dates_deadline_rule_oon_and_dmhc(guidance):
    verdict = verdict_for("late")
    assert verdict.next_steps == ["out_of_network", "escalation", "grievance", "dmhc_complaint"]
    for draft_id in verdict.next_steps:
        text = render_draft(draft_id, verdict, FACTS, guidance)
        for expected in (
            "Monday, October 28, 2024",
            "Wednesday, November 20, 2024",
            "Tuesday, November 12, 2024",
            "SB 221",
            "out-of-network",
            "1-888-466-2219",
            "Kaiser Permanente",
        ):
            assert expected in text, f"{draft_id} lacks {expected!r}"


def title(draft: str) -> str:
    """A draft's first line after the not-legal-advice note above every draft."""
    note, blank, first = draft.splitlines()[:3]
    assert "not legal advice" in note and not blank
    return first


def test_expedited_grievance_is_the_patients_choice_and_never_says_30_days(guidance):
    plain = render_draft("grievance", verdict_for("urgent"), FACTS, guidance)
    assert title(plain) == "GRIEVANCE to Kaiser Permanente" and "serious and imminent threat to my health" not in plain
    text = render_draft("grievance", verdict_for("urgent"), {**FACTS, "serious_threat": True}, guidance)
    assert title(text).startswith("EXPEDITED GRIEVANCE")
    assert "within 3 calendar days" in text and "§1368.01(b)" in text
    assert "30 days" not in text
    assert "without waiting for the plan" in text
    golden = GOLDEN / "urgent-threat-grievance.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()


@pytest.mark.parametrize("case", ["late", "overdue"])
def test_past_the_deadline_no_draft_asks_for_a_date_on_or_before_it(case, guidance):
    verdict = verdict_for(case)
    for draft_id in verdict.next_steps:
        text = render_draft(draft_id, verdict, FACTS, guidance)
        assert "on or before" not in text and "no later than" not in text, draft_id
    script = render_draft("out_of_network", verdict, FACTS, guidance)
    assert "The deadline, Tuesday, November 12, 2024, has passed. What is the earliest appointment" in script


def test_if_canceled_again_asks_for_a_date_before_the_last_day(guidance):
    text = render_draft("if_canceled_again", verdict_for("pending"), FACTS, guidance)
    assert "ask for a new date before Monday, December 2, 2024" in text
    assert "the last day the law allows" in text
    on_deadline = check("followup", D("2024-11-12"), offered=D("2024-11-26"), today=STRIKE_TODAY)
    text = render_draft("if_canceled_again", on_deadline, FACTS, guidance)
    assert (
        "ask for the earliest appointment they have, and say that the deadline of Tuesday, November 26, 2024 was missed"
        in text
    )


def test_out_of_network_script_has_its_working_parts(guidance):
    text = render_draft("out_of_network", verdict_for("late"), FACTS, guidance)
    for expected in (
        "the provider's name, the date and time of the appointment, and what I will pay",
        "written notice",
        "90 days of my first request",
        "Keep every receipt",
        "§1374.72(d)",
    ):
        assert expected in text


def test_medi_cal_is_not_promised_the_out_of_network_right(guidance):
    for draft_id in ("out_of_network", "grievance", "dmhc_complaint"):
        text = render_draft(draft_id, verdict_for("late", "medi-cal"), FACTS, guidance)
        assert "§1374.72" not in text, draft_id
    text = render_draft("dmhc_complaint", verdict_for("late", "medi-cal"), FACTS, guidance)
    assert "1-888-452-8609" in text and "before you ask for a State Hearing" in text


def test_cdi_complaint_goes_to_cdi(guidance):
    verdict = verdict_for("late", "cdi")
    text = render_draft("cdi_complaint", verdict, FACTS, guidance)
    assert "1-800-927-4357" in text and "Cal. Insurance Code §10133.54" in text and "§10144.5" in text
    assert "1-888-466-2219" not in text
    grievance = render_draft("grievance", verdict, FACTS, guidance)
    assert "§1368.01" not in grievance and "Health & Safety" not in grievance


def test_the_grievance_lists_offers_and_calls_and_asks_for_written_reasons(guidance):
    facts = {
        **FACTS,
        "cancellations": [{"date": "November 4", "by": "the plan"}, {"date": "November 18"}],
        "offers": [{"date": "November 20", "group": True}],
        "calls": [{"date": "November 5", "name": "Sam", "reference": "A-1"}],
    }
    text = render_draft("grievance", verdict_for("late"), facts, guidance)
    for expected in (
        "- November 4, canceled by the plan",
        "- November 18, canceled by [who canceled",
        "- November 20 (a group class)",
        "- November 5: spoke with Sam, reference number A-1",
        "written acknowledgement",
        "gives the reasons",
    ):
        assert expected in text


def test_an_old_problem_gets_the_filing_window_warning(guidance):
    old = check("followup", D("2024-10-28"), offered=D("2024-11-20"), today=D("2025-06-02"))
    text = render_draft("grievance", old, FACTS, guidance)
    assert "more than 6 months ago" in text and "new problem with its own 6 months" in text
    assert "more than 6 months ago" not in render_draft("grievance", verdict_for("late"), FACTS, guidance)


def test_an_unknown_plan_is_your_health_plan(guidance):
    verdict = verdict_for("late")
    for draft_id in verdict.next_steps:
        text = render_draft(draft_id, verdict, {}, guidance)
        assert "a your health plan" not in text and "your health plan member" not in text
    assert "I am a member of my health plan." in render_draft("dmhc_complaint", verdict, {}, guidance)


def test_the_dmhc_complaint_names_the_online_form_and_attachments(guidance):
    text = render_draft("dmhc_complaint", verdict_for("late"), FACTS, guidance)
    assert "https://www.dmhc.ca.gov/FileaComplaint.aspx" in text and "the plan's answer" in text
    assert "(DMHC, File a Complaint)" not in text


def test_names_given_replace_the_blanks(guidance):
    text = render_draft("grievance", verdict_for("late"), {**FACTS, "name": "Ana Ruiz", "member_id": "123"}, guidance)
    assert "Ana Ruiz" in text and "member number 123" in text and "[your name]" not in text


def test_draft_named_in_words(guidance):
    assert find_draft("can you show me the grievance letter", guidance) == "grievance"
    assert find_draft("what do i say on the phone call", guidance) == "out_of_network"
    assert find_draft("hello", guidance) is None


def test_ics_parses_and_holds_the_deadline():
    calendar = Calendar.from_ical(deadline_calendar(verdict_for("late"), "Kaiser Permanente"))
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart") == D("2024-11-12")
    assert "Kaiser Permanente" in str(event["summary"])
    assert "SB 221" in str(event["description"])
    # The late verdict's deadline (Nov 12) is past on Nov 22: no alarm rings for it (issue 27).
    assert not calendar.walk("VALARM")
    pending = Calendar.from_ical(deadline_calendar(verdict_for("pending")))
    assert pending.walk("VALARM")


def test_ics_for_urgent_care_has_the_hour():
    event = next(iter(Calendar.from_ical(deadline_calendar(verdict_for("urgent"))).walk("VEVENT")))
    start = event.decoded("dtstart")
    assert (start.date(), start.hour) == (D("2024-11-20"), 15)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "care_clock", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_prints_the_same_draft_as_the_chat(guidance):
    result = run_cli(
        "draft",
        "grievance",
        "--kind",
        "followup",
        "--start",
        "2024-10-28",
        "--canceled",
        "2024-11-04",
        "--offered",
        "2024-11-20",
        "--today",
        "2024-11-22",
        "--plan",
        "Kaiser Permanente",
    )
    assert result.returncode == 0
    assert result.stdout == render_draft("grievance", verdict_for("late"), FACTS, guidance)


def test_cli_writes_an_ics_file(tmp_path):
    target = tmp_path / "deadline.ics"
    result = run_cli("ics", "--kind", "followup", "--start", "2024-10-28", "--out", str(target))
    assert result.returncode == 0
    event = next(iter(Calendar.from_ical(target.read_bytes()).walk("VEVENT")))
    assert event.decoded("dtstart") == D("2024-11-12")


def test_cli_unknown_draft_is_one_line_and_status_2():
    result = run_cli("draft", "poem", "--kind", "followup", "--start", "2024-10-28")
    assert result.returncode == 2 and "Unknown draft" in result.stderr and "Traceback" not in result.stderr


def test_cli_draft_takes_coverage_and_the_patients_choice_of_expedited(guidance):
    result = run_cli(
        "draft",
        "grievance",
        "--kind",
        "urgent",
        "--start",
        "2024-11-18 15:00",
        "--today",
        "2024-11-22 12:00",
        "--plan",
        "Kaiser Permanente",
        "--coverage",
        "medi-cal",
        "--serious-threat",
    )
    assert result.returncode == 0
    verdict = check(
        "urgent", dt.datetime(2024, 11, 18, 15, 0), today=dt.datetime(2024, 11, 22, 12, 0), coverage="medi-cal"
    )
    assert result.stdout == render_draft("grievance", verdict, {**FACTS, "serious_threat": True}, guidance)
    assert title(result.stdout).startswith("EXPEDITED GRIEVANCE")

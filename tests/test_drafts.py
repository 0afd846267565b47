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

from actions.rights import check
from actions.rights.drafts import find_draft, render_draft
from actions.rights.ics import deadline_calendar

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
ALLOWED_BLANKS = {"[your name]", "[your member number]", "[your phone or email]", "[grievance number]",
                  "[date filed]", "[names and reference numbers]", "[amount and receipts, if any]"}
FACTS = {"plan": "Kaiser Permanente"}


def verdict_for(case):
    today = dt.datetime(2024, 11, 22, 12, 0) if case == "urgent" else STRIKE_TODAY
    return check(today=today, **CASES[case])


def all_drafts():
    for case in CASES:
        verdict = verdict_for(case)
        for draft_id in verdict.next_steps:
            yield case, draft_id, verdict


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
        for expected in ("Monday, October 28, 2024", "Wednesday, November 20, 2024", "Tuesday, November 12, 2024",
                         "SB 221", "out-of-network", "1-888-466-2219", "Kaiser Permanente"):
            assert expected in text, f"{draft_id} lacks {expected!r}"


def test_urgent_grievance_is_expedited(guidance):
    text = render_draft("grievance", verdict_for("urgent"), FACTS, guidance)
    assert text.startswith("EXPEDITED GRIEVANCE")
    assert "within 3 days" in text


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
    assert calendar.walk("VALARM")


def test_ics_for_urgent_care_has_the_hour():
    event = next(iter(Calendar.from_ical(deadline_calendar(verdict_for("urgent"))).walk("VEVENT")))
    start = event.decoded("dtstart")
    assert (start.date(), start.hour) == (D("2024-11-20"), 15)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "actions.rights", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_prints_the_same_draft_as_the_chat(guidance):
    result = run_cli("draft", "grievance", "--kind", "followup", "--start", "2024-10-28", "--canceled", "2024-11-04",
                     "--offered", "2024-11-20", "--today", "2024-11-22", "--plan", "Kaiser Permanente")
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

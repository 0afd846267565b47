"""Hypothesis fuzzing of the whole engine: nothing raises but the documented InputError.

The date reader has its own fuzz test in test_dates.py; here are the verdicts,
the explanation, every draft, the calendar file, one form turn, and the CLI.
"""

import contextlib
import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.timeline_slots import form_turn, required_slots, slot_date
from care_clock import InputError, check, cli
from care_clock.facts import KINDS
from care_clock.reading.message import read_message
from care_clock.writing.drafts import render_draft
from care_clock.writing.explain import explain
from care_clock.writing.ics import deadline_calendar

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
moments = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 12, 31))
near_days = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2027, 12, 31))
any_day = st.one_of(days, moments, near_days)
kinds = st.one_of(st.sampled_from(KINDS), st.text(max_size=12))


@FUZZ
@given(
    kind=kinds,
    start=any_day,
    offered=st.none() | any_day,
    canceled=st.none() | near_days,
    today=any_day,
    prior_auth=st.booleans(),
    longer_wait=st.booleans(),
    plan=st.none() | st.text(max_size=40),
)
def test_a_verdict_and_everything_built_on_it_or_input_error(
    guidance, kind, start, offered, canceled, today, prior_auth, longer_wait, plan
):
    try:
        verdict = check(
            kind,
            start,
            offered=offered,
            canceled=canceled,
            today=today,
            prior_auth=prior_auth,
            longer_wait_approved=longer_wait,
            guidance=guidance,
        )
    except InputError as error:
        assert str(error)  # a message for the patient, never empty
        return
    assert explain(verdict, guidance)
    for draft_id in verdict.next_steps:
        assert render_draft(draft_id, verdict, {"plan": plan}, guidance)
    if not verdict.judged:  # no state deadline (a rule not yet in force): a calendar says why, in a line
        with pytest.raises(InputError, match="No state deadline"):
            deadline_calendar(verdict)
        return
    assert deadline_calendar(verdict).startswith(b"BEGIN:VCALENDAR")


slot_values = st.fixed_dictionaries(
    {
        "appointment_kind": st.none() | st.sampled_from(KINDS),
        "start_date": st.none() | near_days.map(dt.date.isoformat),
        "canceled_date": st.none() | near_days.map(dt.date.isoformat),
        "offered": st.none() | st.booleans(),
        "offered_date": st.none() | near_days.map(dt.date.isoformat),
        "longer_wait_ok": st.none() | st.booleans(),
        "prior_auth": st.none() | st.booleans(),
        "check_only": st.booleans(),
        "plan": st.none() | st.just("Kaiser Permanente"),
        "offer_format": st.none() | st.just("group class"),
        "offer_individual": st.none() | st.booleans(),
        "unknown_facts": st.none() | st.lists(st.sampled_from(["canceled_date", "offered_date", "plan"])),
        "question_tries": st.none() | st.dictionaries(st.sampled_from(["start_date", "offered"]), st.integers(0, 4)),
    }
)


@FUZZ
@given(
    text=st.text(max_size=300),
    intent=st.none() | st.sampled_from(["inform", "affirm", "deny", "report_cancel", "crisis", "check_date"]),
    slots=slot_values,
    requested=st.none() | st.sampled_from(required_slots({})),
    now=st.datetimes(min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2027, 12, 31)),
)
def test_a_form_turn_never_raises_and_keeps_slots_valid(guidance, text, intent, slots, requested, now):
    result = form_turn(text, intent, [], slots, requested, now, guidance)
    assert set(result.changes) <= set(slots)
    for slot in ("start_date", "canceled_date", "offered_date"):
        if result.changes.get(slot):
            assert slot_date(result.changes[slot])  # ISO text the verdict can read


@FUZZ
@given(text=st.text(max_size=500), now=moments)
def test_reading_any_message_never_raises(guidance, text, now):
    read_message(text, now, guidance)


@settings(max_examples=100, deadline=None)
@given(
    args=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "check",
                    "draft",
                    "ics",
                    "--kind",
                    "followup",
                    "urgent",
                    "--start",
                    "--offered",
                    "--today",
                    "--json",
                    "grievance",
                    "Feb 30",
                    "2024-10-28",
                    "--prior-auth",
                ]
            ),
            st.text(max_size=15),
        ),
        max_size=8,
    )
)
def test_the_cli_answers_or_exits_2_with_one_line(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(args)
        except SystemExit as exit_:
            status = exit_.code
    assert status in (0, 2)
    if status == 2:
        assert "Traceback" not in err.getvalue()
        assert err.getvalue().strip()

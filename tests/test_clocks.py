"""The complaint path's clocks on real dates, each with its rule and source, and what comes next."""

import datetime as dt
import re

import pytest

from care_clock.case.record import add_event, new_case
from care_clock.errors import InputError, SeedError
from care_clock.facts import load_clocks
from care_clock.law.clocks import complaint_clocks, steps_ahead, whats_next

D = dt.date.fromisoformat

# (starts, expedited) -> {clock id: date}: counted by hand on the 2024-25 calendar.
TABLES = [
    (
        {"filed": D("2024-11-25")},
        False,
        {
            "grievance_acknowledgement": D("2024-11-30"),  # 5 calendar days, a Saturday
            "grievance_resolution": D("2024-12-25"),  # 30 days, Christmas is not skipped
            "dmhc_after_30_days": D("2024-12-26"),  # unresolved for more than 30 days
        },
    ),
    (
        {"filed": D("2024-11-25")},
        True,
        {
            "grievance_acknowledgement": D("2024-11-30"),
            "expedited_status": D("2024-11-28"),  # 3 calendar days, Thanksgiving counted
            "dmhc_when_expedited": D("2024-11-25"),  # at once
        },
    ),
    (
        {"filed": D("2025-01-31")},
        False,
        {
            "grievance_acknowledgement": D("2025-02-05"),
            "grievance_resolution": D("2025-03-02"),  # across a short February
            "dmhc_after_30_days": D("2025-03-03"),
        },
    ),
    (
        {"decision": D("2024-12-20")},
        False,
        {
            "dmhc_after_decision": D("2024-12-20"),
            "imr_window": D("2025-06-20"),  # six months after the written decision
        },
    ),
    (
        {"decision": D("2024-08-31")},
        False,
        {
            "dmhc_after_decision": D("2024-08-31"),
            "imr_window": D("2025-02-28"),  # no February 31: the month's last day
        },
    ),
    ({"incident": D("2024-11-12")}, False, {"grievance_window": D("2025-05-12")}),
    ({"dmhc_filed": D("2025-01-06")}, False, {"dmhc_review": D("2025-02-05")}),
    (
        # The notice counts from the out-of-network request; the appointment and the 90 days from the
        # first request for the care (issue 27, problem 4).
        {"oon_request": D("2024-11-20"), "first_request": D("2024-11-04")},
        False,
        {
            "oon_notice": D("2024-11-25"),
            "oon_appointment": D("2024-11-19"),  # 10 business days, Veterans Day (Nov 11) skipped
            "oon_appointment_psychiatrist": D("2024-11-26"),  # 15 business days (shown to psychiatry only)
            "oon_arrange_yourself": D("2025-02-02"),  # 90 days
        },
    ),
]
# Other coverage: its own clocks, never the DMHC's (issue 27, problem 1).
COVERAGE_TABLES = [
    (
        "medicare",
        {"incident": D("2025-06-09"), "filed": D("2025-06-20"), "decision": D("2025-07-10")},
        {
            "medicare_grievance_window": D("2025-08-08"),  # 60 days
            "medicare_grievance_resolution": D("2025-07-20"),  # 30 days
            "medicare_after_decision": D("2025-07-10"),
        },
    ),
    (
        "self-funded",
        {"incident": D("2025-06-09"), "decision": D("2025-07-10")},
        {"self_funded_plan_process": D("2025-06-09"), "self_funded_after_decision": D("2025-07-10")},
    ),
    (
        "cdi",
        {"incident": D("2025-06-09"), "filed": D("2025-06-20"), "decision": D("2025-07-10")},
        {
            "cdi_imr_after_30_days": D("2025-07-21"),
            "cdi_imr_window": D("2026-01-10"),
            "cdi_after_decision": D("2025-07-10"),
        },
    ),
]


@pytest.mark.parametrize("starts, expedited, expected", TABLES)
def test_every_clock_on_real_dates(starts, expedited, expected, guidance):
    clocks = complaint_clocks(starts, expedited, guidance)
    assert {c.id: c.date for c in clocks} == expected
    assert [c.date for c in clocks] == sorted(c.date for c in clocks)


@pytest.mark.parametrize("coverage, starts, expected", COVERAGE_TABLES, ids=lambda v: v if isinstance(v, str) else "")
def test_each_coverage_gets_its_own_clocks_and_no_dmhc_ones(coverage, starts, expected, guidance):
    clocks = complaint_clocks(starts, False, guidance, coverage=coverage)
    assert {c.id: c.date for c in clocks} == expected
    assert not any("DMHC" in c.label or "DMHC" in c.rule for c in clocks)


def test_every_clock_in_seeds_is_covered_by_a_table():
    tested = {clock for _, _, expected in TABLES + COVERAGE_TABLES for clock in expected}
    assert tested == {c.id for c in load_clocks()}


def test_each_clock_has_a_rule_and_a_source_and_secondary_ones_say_so(guidance):
    starts = {
        "filed": D("2024-11-25"),
        "decision": D("2024-12-20"),
        "incident": D("2024-11-12"),
        "dmhc_filed": D("2025-01-06"),
        "oon_request": D("2024-11-04"),
        "first_request": D("2024-11-04"),
    }
    clocks = complaint_clocks(starts, False, guidance) + complaint_clocks(starts, True, guidance)
    for clock in clocks:
        assert clock.rule and clock.citations and all(c["url"] for c in clock.citations)
    by_id = {c.id: c for c in clocks}
    assert "§1368.01(a)" in by_id["grievance_resolution"].cites
    assert "§1368.01(b)" in by_id["expedited_status"].cites
    assert "Independent Medical Review" in by_id["imr_window"].cites
    for secondary in ("grievance_acknowledgement", "oon_notice", "oon_appointment", "oon_arrange_yourself"):
        assert by_id[secondary].certainty == "secondary"
        assert "as reported" in by_id[secondary].line()
    assert "usual time, not a legal deadline" in by_id["dmhc_review"].line()


def test_the_expedited_path_has_no_30_day_clock(guidance):
    ids = {c.id for c in complaint_clocks({"filed": D("2024-11-25")}, True, guidance)}
    assert "grievance_resolution" not in ids and "dmhc_after_30_days" not in ids


def test_a_decision_before_the_filing_is_refused(guidance):
    with pytest.raises(InputError, match="before the grievance was filed"):
        complaint_clocks({"filed": D("2024-12-20"), "decision": D("2024-11-25")}, False, guidance)


def test_a_broken_clocks_file_names_the_file_and_key(seeds_copy):
    path = seeds_copy / "clocks.yml"
    path.write_text(path.read_text().replace("count: {days: 30}", "count: {weeks: 30}", 1))
    with pytest.raises(SeedError, match=r"clocks.yml: clocks.grievance_resolution.count"):
        load_clocks(seeds_copy)


# --- What's next and when ----------------------------------------------------


def _canceled_three_times():
    case = new_case()
    case = add_event(case, "attended", D("2024-10-28"))
    case = add_event(case, "canceled", D("2024-11-04"), by="plan")
    case = add_event(case, "canceled", D("2024-11-08"), by="provider")
    return add_event(case, "canceled", D("2024-11-15"), by="plan")


def test_pending_deadline_is_next(guidance):
    case = add_event(new_case(), "attended", D("2024-11-15"))
    step = whats_next(case, D("2024-11-20"), guidance)
    assert (step.when, step.source) == (D("2024-12-02"), "deadline")  # Thanksgiving skipped
    assert "SB 221" in step.cites


def test_missed_deadline_without_a_grievance_means_file_one_now(guidance):
    today = D("2024-11-22")
    step = whats_next(_canceled_three_times(), today, guidance)
    assert (step.source, step.when, step.until) == ("grievance_window", today, D("2025-05-12"))
    assert step.text(today).startswith("Now, until Monday, May 12, 2025: File a grievance")


def test_after_filing_the_plan_owes_the_next_dates(guidance):
    case = add_event(_canceled_three_times(), "filed", D("2024-11-25"), filing="grievance", reference="G-1")
    steps = steps_ahead(case, D("2024-11-26"), guidance)
    assert [s.source for s in steps] == ["grievance_acknowledgement", "grievance_resolution", "dmhc_after_30_days"]
    assert steps[0].certainty == "secondary"


def test_an_unanswered_grievance_after_30_days_opens_the_help_center(guidance):
    case = add_event(_canceled_three_times(), "filed", D("2024-11-25"), filing="grievance")
    step = whats_next(case, D("2024-12-30"), guidance)
    assert (step.source, step.when) == ("dmhc_after_30_days", D("2024-12-30"))


def test_after_the_decision_the_help_center_now_and_the_imr_window(guidance):
    case = add_event(_canceled_three_times(), "filed", D("2024-11-25"), filing="grievance")
    case = add_event(case, "decision", D("2024-12-20"), filing="grievance")
    steps = steps_ahead(case, D("2024-12-23"), guidance)
    assert [(s.source, s.until) for s in steps] == [("dmhc_after_decision", None), ("imr_window", D("2025-06-20"))]
    # The Help Center decides whether the filing is a review or a complaint: both are done.
    case = add_event(case, "filed", D("2024-12-27"), filing="dmhc_complaint")
    assert [s.source for s in steps_ahead(case, D("2024-12-30"), guidance)] == ["dmhc_review"]


def test_out_of_network_request_brings_its_reported_steps(guidance):
    case = add_event(
        add_event(new_case(), "attended", D("2024-11-15")), "requested", D("2024-11-18"), out_of_network=True
    )
    steps = steps_ahead(case, D("2024-11-18"), guidance)
    assert [(s.source, s.when) for s in steps] == [
        ("oon_notice", D("2024-11-23")),
        ("deadline", D("2024-12-02")),  # the follow-up's own deadline, Thanksgiving skipped
        ("oon_appointment", D("2024-12-03")),  # the day after Thanksgiving closes state offices only
        ("oon_arrange_yourself", D("2025-02-16")),
    ]
    assert all(s.certainty == "secondary" for s in steps if s.source.startswith("oon_"))


def test_nothing_due_is_none(guidance):
    case = add_event(add_event(new_case(), "attended", D("2024-11-01")), "attended", D("2024-11-08"))
    assert whats_next(case, D("2024-11-08"), guidance).source == "deadline"
    assert whats_next(new_case(), D("2024-11-08"), guidance) is None


def test_a_clock_whose_rule_came_later_gives_no_date_and_says_so(guidance):
    """Issue 27: the out-of-network figures come with the DMHC regulations in force April 1, 2024."""
    starts = {"first_request": D("2024-02-20"), "oon_request": D("2024-03-05")}
    clocks = {c.id: c for c in complaint_clocks(starts, False, guidance)}
    for cid in ("oon_notice", "oon_appointment", "oon_arrange_yourself"):
        assert clocks[cid].in_force_from == D("2024-04-01")
        assert "took effect on Monday, April 1, 2024" in clocks[cid].line()
        assert "empezó a aplicarse el lunes, 1 de abril de 2024" in clocks[cid].line("es")
        assert clocks[cid].to_dict()["in_force_from"] == "2024-04-01"
    later = complaint_clocks({"first_request": D("2024-04-01"), "oon_request": D("2024-04-01")}, False, guidance)
    assert all(c.in_force_from is None for c in later)


def test_a_clock_not_in_force_is_no_step(guidance):
    case = new_case(kind="initial")
    case = add_event(case, "requested", D("2024-02-20"))
    case = add_event(case, "requested", D("2024-03-05"), out_of_network=True)
    steps = steps_ahead(case, D("2024-03-06"), guidance)
    assert not any(s.source.startswith("oon_") for s in steps)


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("in_force_from: 2024-04-01", "in_force_from: April 2024", "clocks.oon_notice.in_force_from: must be a date"),
        (
            "    in_force_from: null  # not stated in the reference\n",
            "",
            "clocks.grievance_window.in_force_from: missing",
        ),
    ],
)
def test_a_malformed_in_force_from_names_the_clock(seeds_copy, old, new, message):
    path = seeds_copy / "clocks.yml"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(SeedError, match=rf"^clocks.yml: {re.escape(message)}"):
        load_clocks(seeds_copy)


def test_an_out_of_network_psychiatrist_is_counted_in_15_business_days(guidance):
    # issue 27: the plan page the clock cites gives a physician specialist 15 business days, not 10
    starts = {"first_request": D("2024-12-02"), "oon_request": D("2024-12-02")}
    psychiatry = {c.id: c.date for c in complaint_clocks(starts, False, guidance, kind="psychiatry")}
    therapy = {c.id: c.date for c in complaint_clocks(starts, False, guidance, kind="followup")}
    assert "oon_appointment" not in psychiatry and "oon_appointment_psychiatrist" not in therapy
    assert psychiatry["oon_appointment_psychiatrist"] == D("2024-12-23")  # 15 business days, no holiday between
    assert therapy["oon_appointment"] == D("2024-12-16")

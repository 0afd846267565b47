"""Coverage kinds: which rules apply, who takes complaints, and the plan names that settle it."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from care_clock import InputError, check
from care_clock.facts import COVERAGE_KINDS
from care_clock.law.coverage import coverage_for_plan
from care_clock.writing.explain import explain

from .conftest import ROOT

D = dt.date.fromisoformat
LATE = {"kind": "followup", "start": D("2024-10-28"), "offered": D("2024-11-20"), "today": D("2024-11-22")}


@pytest.mark.parametrize(
    "plan, kind",
    [
        ("Kaiser", "dmhc"),
        ("Kaiser Permanente HMO", "dmhc"),
        ("Covered California", "dmhc"),
        ("Medi-Cal through L.A. Care", "medi-cal"),
        ("medi cal", "medi-cal"),
        ("Medicare", "medicare"),
        ("Medicare Advantage through Kaiser", "medicare"),
        ("a self-insured plan from my employer", "self-funded"),
        # Names that fit several kinds: ask instead of guessing.
        ("Blue Shield", None),
        ("through my job", None),
        ("a PPO", None),
        ("medical group", None),
        ("", None),
        (None, None),
    ],
)
def test_plan_names_map_to_a_likely_coverage_or_none(plan, kind, guidance):
    assert coverage_for_plan(plan, guidance) == kind


@pytest.mark.parametrize(
    "coverage, regulator, applies, status",
    [
        ("dmhc", "DMHC", True, "late"),
        ("cdi", "CDI", True, "late"),
        ("medi-cal", "DMHC", True, "late"),
        ("medicare", "Medicare", False, "rule_does_not_apply"),
        ("self-funded", "EBSA", False, "rule_does_not_apply"),
        ("unknown", "unknown", None, "late"),
    ],
)
def test_each_coverage_has_its_regulator_and_rule(coverage, regulator, applies, status, guidance):
    verdict = check(coverage=coverage, **LATE)
    data = verdict.to_dict()
    assert (data["regulator"], data["rule_applies"], data["status"]) == (regulator, applies, status)
    assert data["deadline"] == "2024-11-12"  # still computed, for reference
    text = explain(verdict, guidance)
    if applies is False:
        assert verdict.next_steps == ["where_to_turn"]
        assert "late" not in text.split("\n")[0]
        assert "SB 221" not in text and "DMHC" not in text
    else:
        assert "late by 6 business days" in text


def test_cdi_cites_the_insurance_code_and_sends_complaints_to_cdi(guidance):
    verdict = check(coverage="cdi", **LATE)
    cites = [c["cite"] for c in verdict.citations]
    assert "Cal. Insurance Code §10133.54" in cites and not any("Health & Safety" in c for c in cites)
    assert verdict.next_steps[-1] == "cdi_complaint" and "dmhc_complaint" not in verdict.next_steps
    assert "1-800-927-4357" in explain(verdict, guidance)


def test_medi_cal_learns_the_ombudsman_and_the_order_of_dmhc_and_a_hearing(guidance):
    text = explain(check(coverage="medi-cal", **LATE), guidance)
    assert "1-888-452-8609" in text and "1-800-952-5253" in text
    assert text.index("DMHC Help Center before you ask for a State Hearing") > 0


def test_unknown_coverage_gets_the_questions_and_both_paths(guidance):
    text = explain(check(coverage="unknown", **LATE), guidance)
    assert "Medi-Cal or Medicare" in text
    assert "1-888-466-2219" in text and "1-800-927-4357" in text


def test_every_coverage_kind_is_complete_and_cited(guidance):
    assert tuple(sorted(guidance.coverage)) == tuple(sorted(COVERAGE_KINDS))
    for kind, coverage in guidance.coverage.items():
        assert coverage.questions and coverage.sources and coverage.contacts, kind
        assert all(guidance.offices[c]["sources"] for c in coverage.contacts), kind


def test_unknown_coverage_is_an_input_error():
    with pytest.raises(InputError, match="Unknown coverage"):
        check(coverage="tricare", **LATE)


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "care_clock", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_cli_coverage_flag():
    result = run_cli(
        "check",
        "--kind",
        "followup",
        "--start",
        "2024-10-28",
        "--offered",
        "2024-11-20",
        "--coverage",
        "self-funded",
        "--json",
    )
    data = json.loads(result.stdout)
    assert (data["regulator"], data["rule_applies"], data["status"]) == ("EBSA", False, "rule_does_not_apply")
    assert "self-insured" in data["where_to_turn"]
    default = json.loads(run_cli("check", "--kind", "followup", "--start", "2024-10-28", "--json").stdout)
    assert (default["coverage"], default["regulator"], default["rule_applies"]) == ("dmhc", "DMHC", True)
    bad = run_cli("check", "--kind", "followup", "--start", "2024-10-28", "--coverage", "tricare")
    assert bad.returncode == 2 and "Unknown coverage" in bad.stderr

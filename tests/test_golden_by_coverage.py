"""Issue 27: golden verdicts and drafts for every kind of coverage and every status.

Each kind in seeds/coverage.yml is run on the strike's four follow-up cases of
tests/test_drafts.py (late, overdue, pending, on time): the verdict as the patient
reads it (`explain`) and the first draft it offers are frozen here, reviewed line by
line for wrong law, in English (golden/coverage/) and in Spanish (golden/coverage/es/).
Rerun with UPDATE_GOLDEN=1 after a reviewed change.
"""

from __future__ import annotations

import os

import pytest

from care_clock.facts import COVERAGE_KINDS
from care_clock.writing.drafts import render_draft
from care_clock.writing.explain import explain
from care_clock.writing.localize import in_language

from .test_drafts import FACTS, GOLDEN, verdict_for
from .test_drafts_es import spanish_verdict

COVERAGE_GOLDEN = GOLDEN / "coverage"
STATUSES = ("late", "overdue", "pending", "on_time")
CASES = [(coverage, status) for coverage in COVERAGE_KINDS for status in STATUSES]


def _matches(name: str, text: str, folder=COVERAGE_GOLDEN) -> None:
    golden = folder / name
    if os.environ.get("UPDATE_GOLDEN"):
        folder.mkdir(exist_ok=True)
        golden.write_text(text)
    assert text == golden.read_text(), f"{golden.name} differs; review and rerun with UPDATE_GOLDEN=1"


@pytest.mark.parametrize("coverage, status", CASES, ids=[f"{c}-{s}" for c, s in CASES])
def test_verdict_and_first_draft_match_their_golden_texts(coverage, status, guidance):
    verdict = verdict_for(status, coverage)
    expected = status if guidance.coverage[coverage].rule_applies is not False else "rule_does_not_apply"
    assert verdict.status == expected
    _matches(f"{coverage}-{status}-verdict.txt", explain(verdict, guidance) + "\n")
    draft_id = verdict.next_steps[0]
    _matches(f"{coverage}-{status}-{draft_id}.txt", render_draft(draft_id, verdict, FACTS, guidance))


@pytest.mark.parametrize("coverage, status", CASES, ids=[f"{c}-{s}" for c, s in CASES])
def test_spanish_verdict_and_first_draft_match_their_golden_texts(coverage, status, guidance):
    spanish = in_language(guidance, "es")
    verdict = spanish_verdict(status, coverage, spanish)
    assert verdict.status == verdict_for(status, coverage).status
    folder = COVERAGE_GOLDEN / "es"
    _matches(f"{coverage}-{status}-verdict.txt", explain(verdict, spanish, language="es") + "\n", folder)
    draft_id = verdict.next_steps[0]
    _matches(
        f"{coverage}-{status}-{draft_id}.txt", render_draft(draft_id, verdict, FACTS, spanish, language="es"), folder
    )


@pytest.mark.parametrize("folder", [COVERAGE_GOLDEN, COVERAGE_GOLDEN / "es"], ids=["en", "es"])
def test_every_golden_file_is_a_case(folder):
    names = {p.name for p in folder.glob("*.txt")}
    assert {n for n in names if n.endswith("-verdict.txt")} == {f"{c}-{s}-verdict.txt" for c, s in CASES}
    assert len(names) == 2 * len(CASES)

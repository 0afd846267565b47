"""Spanish drafts: golden texts for every Spanish template on the same cases as the
English golden drafts (tests/test_drafts.py), only Spanish blanks, and no English."""

import os
import re

import pytest

from care_clock import check
from care_clock.writing.drafts import draft_folder, render_draft
from care_clock.writing.localize import in_language
from care_clock.writing.wording import spanish_phrases

from .conftest import ROOT
from .test_drafts import CASES, COVERAGE_CASES, FACTS, GOLDEN, verdict_for

SPANISH_GOLDEN = GOLDEN / "es"
SPANISH_FOLDER = ROOT / "seeds" / "drafts" / "es"
# Words that would only be in a draft written, or left, in English.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|your|you|with|appointment|deadline|within|please|canceled|offered|phone|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|November|October|December)\b"
)
# English names a Spanish draft keeps: the law, the regulator and the plan.
NAMES = re.compile(
    r"Kaiser Permanente|Covered California|Medicare Advantage|self-insured|EXPEDITED GRIEVANCE|GRIEVANCE"
)


def spanish_templates() -> list[str]:
    return sorted(p.name.removesuffix(".txt.j2") for p in SPANISH_FOLDER.glob("[!_]*.txt.j2"))


def spanish_verdict(case, coverage=None, guidance=None):
    english = verdict_for(case, coverage)
    facts = CASES[case]
    return check(**facts, today=english.today, coverage=coverage, guidance=guidance, language="es")


def spanish_drafts(guidance):
    spanish = in_language(guidance, "es")
    cases = [(case, case, None) for case in CASES] + [(name, *args) for name, args in COVERAGE_CASES.items()]
    for name, case, coverage in cases:
        verdict = spanish_verdict(case, coverage, spanish)
        for draft_id in verdict.next_steps:
            yield name, draft_id, verdict, spanish


@pytest.fixture(scope="module")
def drafts(guidance):
    return {
        (name, draft_id): render_draft(draft_id, verdict, FACTS, spanish, language="es")
        for name, draft_id, verdict, spanish in spanish_drafts(guidance)
    }


def test_every_draft_the_engine_offers_has_a_spanish_template(guidance):
    offered = {draft_id for _, draft_id, _, _ in spanish_drafts(guidance)}
    assert offered <= set(spanish_templates())
    for draft_id in offered:
        assert draft_folder(guidance, draft_id, "es") == SPANISH_FOLDER


def test_each_spanish_template_has_a_golden_case(drafts):
    assert {draft_id for _, draft_id in drafts} == set(spanish_templates())


def test_spanish_drafts_match_their_golden_texts(drafts):
    SPANISH_GOLDEN.mkdir(exist_ok=True)
    for (name, draft_id), text in drafts.items():
        golden = SPANISH_GOLDEN / f"{name}-{draft_id}.txt"
        if os.environ.get("UPDATE_GOLDEN"):
            golden.write_text(text, encoding="utf-8")
        assert text == golden.read_text(encoding="utf-8"), f"{golden.name} differs; rerun with UPDATE_GOLDEN=1"


def test_only_spanish_blanks_and_no_english_sentence(drafts):
    phrases = spanish_phrases()
    allowed = {
        *phrases["draft_blanks"].values(),
        *phrases["draft_row_blanks"].values(),
        "[número de la queja]",
        "[fecha de la queja]",
        "[nombres y números de referencia]",
        "[cantidad y recibos, si hay]",
    }
    for key, text in drafts.items():
        assert "{{" not in text and "{%" not in text and "None" not in text, key
        assert set(re.findall(r"\[[^\]]*\]", text)) <= allowed, key
        prose = NAMES.sub("", re.sub(r"https?://\S+", "", text))
        assert not ENGLISH_WORDS.findall(prose), (key, ENGLISH_WORDS.findall(prose))


@pytest.mark.parametrize("name", ["cdi-late", "cdi-urgent"])
def test_the_spanish_cdi_complaint_keeps_the_facts_and_citations(drafts, guidance, name):
    text = drafts[(name, "cdi_complaint")]
    english = render_draft("cdi_complaint", verdict_for(*COVERAGE_CASES[name]), FACTS, guidance)
    for fact in (
        "1-800-927-4357",
        "1-800-482-4833",
        "§10133.54",
        "§10144.5",
        "30 días",
        "6 meses",
        "Kaiser Permanente",
    ):
        assert fact in text, fact
    assert "1-888-466-2219" not in text and "1-888-466-2219" not in english
    assert text.count("[") == english.count("[")


@pytest.mark.parametrize("name", ["medicare-late", "self-funded-late"])
def test_the_spanish_where_to_turn_keeps_the_offices_and_dates(drafts, guidance, name):
    text = drafts[(name, "where_to_turn")]
    english = render_draft("where_to_turn", verdict_for(*COVERAGE_CASES[name]), FACTS, guidance)
    for phone in re.findall(r"\b\d-\d{3}-\d{3}-\d{4}\b|https?://\S+", english):
        assert phone in text, phone
    assert "lunes, 28 de octubre de 2024" in text and "miércoles, 20 de noviembre de 2024" in text
    assert text.count("[") == english.count("[")

"""Plain words (issue 27): every reply and every draft at grade 8 or below.

English is scored with Flesch-Kincaid grade, Spanish with Fernández-Huerta (70 and up reads
as "fairly easy", about grade 7). What is measured is what a patient has to read: citations,
web addresses, office contact lines, blanks to fill in and the dates themselves are facts to
copy, not sentences, so they are taken out first; a heading or list item counts as a sentence
of its own. The worst ten of each language are printed on every run.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import textstat
import yaml

from care_clock import check
from care_clock.facts import COVERAGE_KINDS, load_guidance
from care_clock.writing.drafts import render_draft
from care_clock.writing.explain import explain
from care_clock.writing.localize import in_language

from .conftest import ROOT

GRADE_EN = 8.0
EASE_ES = 70.0
TODAY = dt.date(2024, 11, 22)
CASES = {
    "late": dict(kind="followup", start=dt.date(2024, 10, 28), offered=dt.date(2024, 11, 20)),
    "overdue": dict(kind="followup", start=dt.date(2024, 10, 28)),
    "pending": dict(kind="initial", start=dt.date(2024, 11, 18)),
    "on_time": dict(kind="psychiatry", start=dt.date(2024, 11, 12), offered=dt.date(2024, 11, 25)),
    "urgent": dict(kind="urgent", start=dt.datetime(2024, 11, 20, 15, 0)),
}
CITATION = re.compile(r"\((?:[^()]*(?:§|Code|CCR|SB \d|AB \d|DMHC,|CMS,|Source|Fuente)[^()]*)\)")
SOURCE_LINE = re.compile(r"(?:Sources?|Fuentes?): [^\n]*")
CONTACT = re.compile(r"phone|tel[eé]fono|TDD|\d-\d{3}-\d{3}-\d{4}")
DATES = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \w+ \d{1,2}, \d{4}(?: at [\d:]+ [AP]M)?"
    r"|(?:lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de \w+ de \d{4}(?: a las [\d:]+(?: [ap]\. m\.)?)?"
)


def readable_part(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip() and not CONTACT.search(line)]
    text = "\n".join(lines)
    text = re.sub(r"https?://\S+", "", text)
    text = DATES.sub("that day", text)
    text = CITATION.sub("", text)
    text = SOURCE_LINE.sub("", text)
    text = re.sub(r"\[[^\]]*\]", "blank", text)
    return "\n".join(line if re.search(r"[.?!:;]$", line.strip()) else line + "." for line in text.splitlines())


def score(text: str, language: str) -> float:
    textstat.set_lang(language)
    plain = readable_part(text)
    return textstat.flesch_kincaid_grade(plain) if language == "en" else textstat.fernandez_huerta(plain)


def engine_texts(language: str):
    """Every draft and every verdict, for every coverage and status."""
    guidance = in_language(load_guidance(), language)
    for coverage in COVERAGE_KINDS:
        for name, facts in CASES.items():
            today = dt.datetime(2024, 11, 22, 12, 0) if name == "urgent" else TODAY
            verdict = check(today=today, coverage=coverage, guidance=guidance, language=language, **facts)
            yield f"{coverage}/{name}/verdict", explain(verdict, guidance, language)
            for draft_id in guidance.next_steps:
                yield (
                    f"{coverage}/{name}/{draft_id}",
                    render_draft(draft_id, verdict, guidance=guidance, language=language),
                )


def domain_texts(language: str):
    """Every response in bot/domain/ in `language` (a response with no language condition is English)."""
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        responses = yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}
        for name, variants in responses.items():
            for i, variant in enumerate(variants):
                conditions = {c.get("name"): c.get("value") for c in variant.get("condition") or []}
                if conditions.get("language", "en") == language and variant.get("text"):
                    yield f"{Path(path).stem}/{name}/{i}", variant["text"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_reply_and_draft_reads_at_grade_8_or_below(language, capsys):
    scored = [(score(text, language), name) for name, text in [*engine_texts(language), *domain_texts(language)]]
    hard_first = sorted(scored, reverse=language == "en")
    with capsys.disabled():
        measure = "Flesch-Kincaid grade" if language == "en" else "Fernández-Huerta ease"
        print(f"\nreadability ({language}, {measure}), {len(scored)} texts, the hardest ten:")
        for value, name in hard_first[:10]:
            print(f"  {value:6.1f}  {name}")
    too_hard = [(v, n) for v, n in scored if (v > GRADE_EN if language == "en" else v < EASE_ES)]
    assert not too_hard, f"above grade 8: {sorted(too_hard)[:10]}"

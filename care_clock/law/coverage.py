"""Kinds of coverage (seeds/coverage.yml): which rules apply and where to complain."""

from __future__ import annotations

import re

from care_clock.errors import InputError
from care_clock.facts import COVERAGE_KINDS, Coverage, Guidance, load_guidance
from care_clock.writing.wording import say, unknown_choice

DEFAULT = "dmhc"


def coverage_for_plan(plan_name: str | None, guidance: Guidance | None = None) -> str | None:
    """The likely coverage kind for the plan a patient names, or None when the name does not settle it.

    Matches the `plan_words` of seeds/coverage.yml as whole words, case-insensitively;
    the first kind in the file's order wins, so "Medi-Cal through L.A. Care" is
    "medi-cal" and "Medicare through Kaiser" is "medicare", while "Kaiser" is "dmhc".
    Names that fit several kinds ("Blue Shield", "through my job", "a PPO") give
    None: ask the patient the coverage's questions instead, with "not sure"
    leading to "unknown".
    """
    if not plan_name:
        return None
    guidance = guidance or load_guidance()
    text = " ".join(plan_name.lower().replace("\u2011", "-").split())
    for kind, coverage in guidance.coverage.items():
        if any(re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) for word in coverage.plan_words):
            return kind
    return None


def coverage_of(kind: str | None, guidance: Guidance) -> Coverage:
    """The coverage entry for `kind` (the default when None). Raises InputError."""
    kind = kind or DEFAULT
    if kind not in guidance.coverage:
        raise InputError(unknown_choice("coverage", "coverage", kind, COVERAGE_KINDS))
    return guidance.coverage[kind]


def cited_for(coverage: Coverage, source_ids) -> list[str]:
    """The sources a rule cites, with this coverage's own law in place of the DMHC plans' (no repeats)."""
    return list(dict.fromkeys(coverage.cites.get(s, s) for s in source_ids))


def steps_for(coverage: Coverage, step_ids) -> list[str]:
    return list(dict.fromkeys(coverage.steps.get(s, s) for s in step_ids))


def contacts_for(coverage: Coverage, guidance: Guidance) -> list[dict]:
    return [guidance.offices[c] for c in coverage.contacts]


def contact_line(contact: dict, language: str = "en") -> str:
    """'CDI Consumer Hotline (...): phone 1-800-927-4357, TTY 1-800-482-4833, Monday to Friday, 8 to 5, https://...'."""
    parts = [say(language, "phone", "phone {phone}", phone=contact["phone"]) if contact.get("phone") else ""]
    parts += [
        f"TDD/TTY {contact['tdd']}" if contact.get("tdd") else "",
        contact.get("hours") or "",
        contact.get("web") or "",
    ]
    details = ", ".join(p for p in parts if p)
    return f"{contact['name']}: {details}" if details else contact["name"]

"""Drafts of the patient's next steps, rendered from the templates in seeds/drafts/.

StrictUndefined makes a template that names an unknown value fail loudly in the
tests instead of showing a placeholder to a patient; facts we do not have (the
patient's name, member number) are written as explicit [blanks] to fill in.
"""
from __future__ import annotations

import re
from functools import lru_cache

import jinja2

from .errors import InputError
from .explain import cited, full_date, headline, late_by, time_left
from .seeds import Guidance, load_guidance
from .verdict import Verdict

BLANKS = {"name": "[your name]", "member_id": "[your member number]", "contact": "[your phone or email]"}


@lru_cache(maxsize=4)
def _environment(folder: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def _cite(guidance: Guidance, source_ids) -> str:
    return "; ".join(c["cite"] for c in guidance.cite(source_ids))


def draft_context(verdict: Verdict, guidance: Guidance, facts: dict | None = None) -> dict:
    facts = {k: v for k, v in (facts or {}).items() if v}
    grievance = guidance.rights["grievance"]
    standard = guidance.standards[verdict.kind]
    return {
        **BLANKS,
        **facts,
        "plan": facts.get("plan") or "your health plan",
        "kind": verdict.kind,
        "in_my_words": standard.in_my_words,
        "provider_word": standard.provider,
        "start": full_date(verdict.start),
        "canceled": verdict.canceled and full_date(verdict.canceled),
        "offered": verdict.offered and full_date(verdict.offered),
        "today": full_date(verdict.today),
        "status": verdict.status,
        "late_by": late_by(verdict),
        "left": time_left(verdict),
        "rule": verdict.rule,
        "cites": cited(verdict),
        "deadline": full_date(verdict.deadline),
        "headline": headline(verdict),
        "holidays": "; ".join(f"{name} ({full_date(day)})" for day, name in verdict.holidays_skipped),
        "past_deadline": verdict.status in ("late", "overdue"),
        "expedited": verdict.kind == "urgent",
        # The statute alone: a letter cites the law, not the news release beside it.
        "oon_cite": _cite(guidance, guidance.rights["out_of_network"]["sources"][:1]),
        "reschedule_cite": _cite(guidance, guidance.rights["prompt_rescheduling"]["sources"]),
        "grievance_cite": _cite(guidance, grievance["sources"]),
        "resolve_days": grievance["resolve_days"],
        "expedited_days": grievance["expedited_days"],
        "dmhc": guidance.contacts["dmhc_help_center"],
        "dmhc_cite": _cite(guidance, guidance.contacts["dmhc_help_center"]["sources"]),
    }


def render_draft(draft_id: str, verdict: Verdict, facts: dict | None = None, guidance: Guidance | None = None) -> str:
    """One draft as plain text that copies cleanly."""
    guidance = guidance or load_guidance()
    if draft_id not in guidance.next_steps:
        raise InputError(f"Unknown draft {draft_id!r}; choose one of {', '.join(guidance.next_steps)}.")
    template = _environment(str(guidance.folder / "drafts")).get_template(f"{draft_id}.txt.j2")
    text = template.render(**draft_context(verdict, guidance, facts))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def find_draft(text: str, guidance: Guidance) -> str | None:
    """A draft named in free text ("show me the grievance letter")."""
    lowered = text.lower()
    for draft_id, step in guidance.next_steps.items():
        if any(re.search(rf"\b{re.escape(alias)}\b", lowered) for alias in step["aliases"]):
            return draft_id
    return None

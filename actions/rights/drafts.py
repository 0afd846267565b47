"""Drafts of the patient's next steps, rendered from the templates in seeds/drafts/.

StrictUndefined makes a template that names an unknown value fail loudly in the
tests instead of showing a placeholder to a patient; facts we do not have (the
patient's name, member number) are written as explicit [blanks] to fill in.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache, partial

import jinja2
from dateutil.relativedelta import relativedelta

from .case import Case, as_date, timeline_rows
from .coverage import cited_for, contact_line, contacts_for
from .errors import InputError
from .explain import certainty, cited, disputed, full_date, headline, late_by, time_left
from .seeds import Guidance, load_guidance
from .verdict import Verdict

BLANKS = {"name": "[your name]", "member_id": "[your member number]", "contact": "[your phone or email]"}
# Blanks in the lists of a grievance, when the patient has not told us.
ROW_BLANKS = {"who": "[who canceled: the plan, the provider or you]", "group": "[one-to-one or a group class?]",
              "call_date": "[date of call]", "call_name": "[name of the person]", "reference": "[reference number]",
              "date": "[date]"}


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


def _listed(facts: dict, key: str, fallback: list[dict]) -> list[dict]:
    """Rows the chat or the command line gave (cancellations, offers, calls), else blanks to fill in."""
    return list(facts.get(key) or fallback)


def case_rows(case: Case) -> dict[str, list[dict]]:
    """The grievance's lists (cancellations, offers, calls) from every event of a case."""
    by_kind = {kind: [e for e in sorted(case.events, key=lambda e: e.date) if e.kind == kind]
               for kind in ("canceled", "offered", "call")}
    who = {"plan": "the plan", "provider": "the provider", "patient": "me"}
    return {
        "cancellations": [{"date": full_date(e.date), "by": who.get(e.by)} for e in by_kind["canceled"]],
        "offers": [{"date": full_date(e.date), "group": e.group} for e in by_kind["offered"]],
        "calls": [{"date": full_date(e.date), "name": e.who, "reference": e.reference} for e in by_kind["call"]],
    }


def _case_facts(case: Case | None, verdict: Verdict, guidance: Guidance) -> dict:
    """Rows and the full event list of a case, written as the patient; nothing without a case."""
    if case is None:
        return {"events": []}
    rows = timeline_rows(case, as_date(verdict.today), "me", guidance)
    return {**case_rows(case), "events": [f"{full_date(day)}: {words}" for day, words in rows]}


def _rows(verdict: Verdict, facts: dict) -> dict[str, list[dict]]:
    canceled = [{"date": full_date(verdict.canceled)}] if verdict.canceled else []
    offered = [{"date": full_date(verdict.offered)}] if verdict.offered else []
    return {
        "cancellations": _listed(facts, "cancellations", canceled),
        "offers": _listed(facts, "offers", offered),
        "calls": _listed(facts, "calls", [{}, {}]),
    }


def _past_grievance_window(verdict: Verdict, months: int) -> bool:
    """True when the missed deadline is older than the grievance filing window."""
    deadline = verdict.deadline.date() if isinstance(verdict.deadline, dt.datetime) else verdict.deadline
    today = verdict.today.date() if isinstance(verdict.today, dt.datetime) else verdict.today
    return verdict.status in ("late", "overdue", "exception_noted") and deadline + relativedelta(months=months) < today


def draft_context(verdict: Verdict, guidance: Guidance, facts: dict | None = None, case: Case | None = None) -> dict:
    """Everything a template may name. A case fills the lists the facts leave out, and `events`."""
    facts = {**_case_facts(case, verdict, guidance), **{k: v for k, v in (facts or {}).items() if v}}
    grievance = guidance.rights["grievance"]
    standard = guidance.standards[verdict.kind]
    coverage = guidance.coverage[verdict.coverage]
    law = partial(cited_for, coverage)
    plan_known = bool(facts.get("plan"))
    return {
        **BLANKS,
        **facts,
        **_rows(verdict, facts),
        "blank": ROW_BLANKS,
        "plan": facts.get("plan") or "your health plan",
        "i_am_member": f"I am a member of {facts['plan']}." if plan_known else "I am a member of my health plan.",
        "kind": verdict.kind,
        "in_my_words": standard.in_my_words,
        "provider_word": standard.provider,
        "start": full_date(verdict.start),
        "canceled": verdict.canceled and full_date(verdict.canceled),
        "offered": verdict.offered and full_date(verdict.offered),
        "today": full_date(verdict.today),
        "status": verdict.status,
        "late_by": late_by(verdict),
        "certainty": certainty(verdict),
        "left": time_left(verdict),
        "rule": verdict.rule,
        "cites": cited(verdict),
        "deadline": full_date(verdict.deadline),
        "offered_on_last_day": verdict.offered is not None and verdict.offered == verdict.deadline,
        "headline": headline(verdict),
        "holidays": "; ".join(f"{name} ({full_date(day)})" for day, name in verdict.holidays_skipped),
        "disputed": disputed(verdict),
        "past_deadline": verdict.status in ("late", "overdue"),
        # The patient's own choice: only then does a draft claim a serious and imminent threat.
        "expedited": bool(facts.get("serious_threat")),
        "urgent_kind": verdict.kind == "urgent",
        "coverage": coverage,
        "regulator": verdict.regulator,
        "offices": contacts_for(coverage, guidance),
        "contact_line": contact_line,
        # The statute alone: a letter cites the law, not the news release beside it.
        "oon_is_law": coverage.out_of_network,
        "oon_cite": _cite(guidance, law(guidance.rights["out_of_network"]["sources"][:1])),
        "oon_regs_cite": _cite(guidance, ["ccr_sb_855"]),
        "oon_notice_cite": _cite(guidance, ["sb_855_notice"]),
        "oon_plan_steps_cite": _cite(guidance, ["plan_oon_steps"]),
        "reschedule_cite": _cite(guidance, law(guidance.rights["prompt_rescheduling"]["sources"])),
        "grievance_cite": _cite(guidance, ["hsc_1368_01"]),
        "urgent_cite": _cite(guidance, grievance["urgent_sources"]),
        "urgent_no_wait_cite": _cite(guidance, ["ccr_1300_68_01"]),
        "resolve_days": grievance["resolve_days"],
        "expedited_days": grievance["expedited_days"],
        "window_months": grievance["file_within_months"],
        "window_cite": _cite(guidance, ["opa_filing_window"]),
        "past_window": _past_grievance_window(verdict, grievance["file_within_months"]),
        "dmhc": guidance.contacts["dmhc_help_center"],
        "dmhc_form": guidance.sources["dmhc_complaint"].url,
        "cdi": guidance.offices["cdi_hotline"],
        "cdi_imr_cite": _cite(guidance, ["cdi_imr"]),
    }


def render_draft(
    draft_id: str, verdict: Verdict, facts: dict | None = None, guidance: Guidance | None = None, case: Case | None = None
) -> str:
    """One draft as plain text that copies cleanly; with a case, it lists every event of it."""
    guidance = guidance or load_guidance()
    if draft_id not in guidance.next_steps:
        raise InputError(f"Unknown draft {draft_id!r}; choose one of {', '.join(guidance.next_steps)}.")
    template = _environment(str(guidance.folder / "drafts")).get_template(f"{draft_id}.txt.j2")
    text = template.render(**draft_context(verdict, guidance, facts, case))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def find_draft(text: str, guidance: Guidance) -> str | None:
    """A draft named in free text ("show me the grievance letter")."""
    lowered = text.lower()
    for draft_id, step in guidance.next_steps.items():
        if any(re.search(rf"\b{re.escape(alias)}\b", lowered) for alias in step["aliases"]):
            return draft_id
    return None

"""Drafts of the patient's next steps, rendered from the templates in seeds/drafts/.

StrictUndefined makes a template that names an unknown value fail loudly in the
tests instead of showing a placeholder to a patient; facts we do not have (the
patient's name, member number) are written as explicit [blanks] to fill in.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache, partial

import jinja2
from dateutil.relativedelta import relativedelta

from care_clock.case.record import Case, as_date, timeline_rows
from care_clock.errors import InputError
from care_clock.facts import Guidance, load_guidance
from care_clock.law.coverage import cited_for, contact_line, contacts_for
from care_clock.law.verdict import Verdict
from care_clock.writing.explain import certainty, cited, disputed, full_date, headline, late_by, time_left
from care_clock.writing.wording import SPANISH, holiday_name, say, spanish_phrases, unknown_choice

BLANKS = {"name": "[your name]", "member_id": "[your member number]", "contact": "[your phone or email]"}
# Blanks in the lists of a grievance, when the patient has not told us.
ROW_BLANKS = {
    "who": "[who canceled: the plan, the provider or you]",
    "group": "[one-to-one or a group class?]",
    "call_date": "[date of call]",
    "call_name": "[name of the person]",
    "reference": "[reference number]",
    "date": "[date]",
}


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


def case_rows(case: Case, language: str = "en") -> dict[str, list[dict]]:
    """The grievance's lists (cancellations, offers, calls) from every event of a case."""
    by_kind = {
        kind: [e for e in sorted(case.events, key=lambda e: e.date) if e.kind == kind]
        for kind in ("canceled", "offered", "call")
    }
    who = (
        spanish_phrases()["canceled_by"]
        if language == SPANISH
        else {"plan": "the plan", "provider": "the provider", "patient": "me"}
    )
    day = partial(full_date, language=language)
    return {
        "cancellations": [{"date": day(e.date), "by": who.get(e.by)} for e in by_kind["canceled"]],
        "offers": [{"date": day(e.date), "group": e.group} for e in by_kind["offered"]],
        "calls": [{"date": day(e.date), "name": e.who, "reference": e.reference} for e in by_kind["call"]],
    }


def _case_facts(case: Case | None, verdict: Verdict, guidance: Guidance, language: str) -> dict:
    """Rows and the full event list of a case, written as the patient; nothing without a case."""
    if case is None:
        return {"events": []}
    rows = timeline_rows(case, as_date(verdict.today), "me", guidance, language)
    return {**case_rows(case, language), "events": [f"{full_date(day, language)}: {words}" for day, words in rows]}


def _rows(verdict: Verdict, facts: dict, language: str) -> dict[str, list[dict]]:
    canceled = [{"date": full_date(verdict.canceled, language)}] if verdict.canceled else []
    offered = [{"date": full_date(verdict.offered, language)}] if verdict.offered else []
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


def _oon_basis(coverage, citation: str, language: str) -> str:
    """The out-of-network law after a request: as the plan's law, or as the law of the plans the
    DMHC regulates when the patient's coverage is not known."""
    if coverage.rule_applies is True:
        return f"({citation})"
    return say(language, "oon_basis_if_dmhc", "(for plans the DMHC regulates: {cite})", cite=citation)


def _blanks(language: str) -> tuple[dict, dict]:
    if language == SPANISH:
        return spanish_phrases()["draft_blanks"], spanish_phrases()["draft_row_blanks"]
    return BLANKS, ROW_BLANKS


def draft_context(
    verdict: Verdict, guidance: Guidance, facts: dict | None = None, case: Case | None = None, language: str = "en"
) -> dict:
    """Everything a template may name. A case fills the lists the facts leave out, and `events`.
    `guidance` and `verdict` are in `language` already (care_clock/writing/localize.py)."""
    facts = {**_case_facts(case, verdict, guidance, language), **{k: v for k, v in (facts or {}).items() if v}}
    blanks, row_blanks = _blanks(language)
    day = partial(full_date, language=language)
    grievance = guidance.rights["grievance"]
    standard = guidance.standards[verdict.kind]
    coverage = guidance.coverage[verdict.coverage]
    law = partial(cited_for, coverage)
    plan_known = bool(facts.get("plan"))
    return {
        **blanks,
        **facts,
        **_rows(verdict, facts, language),
        "blank": row_blanks,
        "plan": facts.get("plan") or say(language, "your_plan", "your health plan"),
        "i_am_member": say(language, "i_am_member", "I am a member of {plan}.", plan=facts["plan"])
        if plan_known
        else say(language, "i_am_member_unknown", "I am a member of my health plan."),
        "kind": verdict.kind,
        "in_my_words": standard.in_my_words,
        "provider_word": standard.provider,
        "start": day(verdict.start),
        "canceled": verdict.canceled and day(verdict.canceled),
        "offered": verdict.offered and day(verdict.offered),
        "today": day(verdict.today),
        "status": verdict.status,
        "late_by": late_by(verdict, language),
        "certainty": certainty(verdict, language),
        "left": time_left(verdict, language),
        "rule": verdict.rule,
        "cites": cited(verdict),
        "deadline": day(verdict.deadline),
        "offered_on_last_day": verdict.offered is not None and verdict.offered == verdict.deadline,
        "headline": headline(verdict, language),
        "holidays": "; ".join(f"{holiday_name(name, language)} ({day(d)})" for d, name in verdict.holidays_skipped),
        "disputed": disputed(verdict, language),
        # Judged: the state rule gave a verdict; missed: the offer (or its absence) broke the deadline;
        # past_deadline: today is after the deadline, so no request may ask for a date by then.
        "judged": verdict.judged,
        "in_force": verdict.in_force_from and day(verdict.in_force_from),
        "missed": verdict.status in ("late", "overdue"),
        "past_deadline": as_date(verdict.today) > as_date(verdict.deadline),
        # State law stated as fact only for coverage it is known to bind; `dmhc_law` for the DMHC's own duties.
        "law_certain": coverage.rule_applies is True,
        "dmhc_law": coverage.rule_applies is True and coverage.regulator == "DMHC",
        # The patient's own choice: only then does a draft claim a serious and imminent threat.
        "expedited": bool(facts.get("serious_threat")),
        "urgent_kind": verdict.kind == "urgent",
        "coverage": coverage,
        "regulator": verdict.regulator,
        "offices": contacts_for(coverage, guidance),
        "contact_line": partial(contact_line, language=language),
        # The statute alone: a letter cites the law, not the news release beside it.
        "oon_is_law": coverage.out_of_network,
        "oon_cite": _cite(guidance, law(guidance.rights["out_of_network"]["sources"][:1])),
        "oon_basis": _oon_basis(
            coverage, _cite(guidance, law(guidance.rights["out_of_network"]["sources"][:1])), language
        ),
        "oon_regs_cite": _cite(guidance, ["ccr_sb_855"]),
        "oon_notice_cite": _cite(guidance, ["sb_855_notice"]),
        "oon_plan_steps_cite": _cite(guidance, ["plan_oon_steps"]),
        "reschedule_cite": _cite(guidance, law(guidance.rights["prompt_rescheduling"]["sources"])),
        "grievance_cite": _cite(guidance, ["hsc_1368_01"]),
        "language_help_cite": _cite(guidance, ["dmhc_language_assistance"]),
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
        # A complaint to the Department of Insurance cites the insurers' law, whatever the coverage is thought to be.
        "insurer_cites": _cite(guidance, cited_for(guidance.coverage["cdi"], standard.sources)),
        "insurer_oon_cite": _cite(
            guidance, cited_for(guidance.coverage["cdi"], guidance.rights["out_of_network"]["sources"][:1])
        ),
    }


def draft_folder(guidance: Guidance, draft_id: str, language: str = "en"):
    """seeds/drafts/es/ for a Spanish draft written there, else seeds/drafts/."""
    spanish = guidance.folder / "drafts" / SPANISH
    if language == SPANISH and (spanish / f"{draft_id}.txt.j2").is_file():
        return spanish
    return guidance.folder / "drafts"


def render_draft(
    draft_id: str,
    verdict: Verdict,
    facts: dict | None = None,
    guidance: Guidance | None = None,
    case: Case | None = None,
    language: str = "en",
) -> str:
    """One draft as plain text that copies cleanly; with a case, it lists every event of it."""
    guidance = guidance or load_guidance()
    if draft_id not in guidance.next_steps:
        raise InputError(unknown_choice("draft", "draft", draft_id, guidance.next_steps))
    coverage = guidance.coverage[verdict.coverage]
    asked, draft_id = draft_id, coverage.steps.get(draft_id, draft_id)
    template = _environment(str(draft_folder(guidance, draft_id, language))).get_template(f"{draft_id}.txt.j2")
    text = template.render(**draft_context(verdict, guidance, facts, case, language))
    lines = [
        say(language, "draft_note", "A draft to check and change as you need. General information, not legal advice.")
    ]
    if asked != draft_id:
        # A draft for another regulator would send the patient to the wrong office.
        lines.append(
            say(
                language,
                "draft_redirected",
                "You asked for: {asked}. For your coverage, this is the right step: {right}.",
                asked=guidance.next_steps[asked]["title"],
                right=guidance.next_steps[draft_id]["title"],
            )
        )
    text = "\n".join(lines) + "\n\n" + text
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def find_draft(text: str, guidance: Guidance) -> str | None:
    """A draft named in free text ("show me the grievance letter")."""
    lowered = text.lower()
    for draft_id, step in guidance.next_steps.items():
        if any(re.search(rf"\b{re.escape(alias)}\b", lowered) for alias in step["aliases"]):
            return draft_id
    return None


def letter_filename(title: str, extension: str = "txt") -> str:
    """ "Carta de queja" -> care-clock-carta-de-queja.txt: the draft's name in the patient's language,
    plain ASCII (the web page's .txt, Word and PDF downloads; the documents' Content-Disposition)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return "care-clock-" + ("-".join(re.findall(r"[a-z0-9]+", plain)) or "letter") + "." + extension

"""The clocks of the complaint path (seeds/clocks.yml), dated from the patient's own dates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from dateutil.relativedelta import relativedelta

from care_clock.case.record import Case, as_date, episodes, in_date_order
from care_clock.errors import InputError
from care_clock.facts import CLOCK_STARTS, Clock, Guidance, load_clocks, load_guidance
from care_clock.law import business_days as bd
from care_clock.writing.explain import HEADLINES, full_date
from care_clock.writing.localize import in_language
from care_clock.writing.wording import SPANISH, say, spanish_phrases

# How a clock's certainty is said next to its date: secondary facts are reported, never asserted.
QUALIFIERS = {
    "official": "",
    "practice": "the DMHC's usual time, not a legal deadline",
    "secondary": "as reported, not confirmed in the law itself",
}
MEANING_WORDS = {
    "plan_by": "deadline",
    "may_from": "from this day",
    "until": "last day",
    "last_day": "last day",
    "usual_by": "usually by",
}
SPANISH_CLOCKS = "clocks.yml"  # under seeds/es/: the label and rule of each clock, by id


def _said(certainty: str, language: str) -> str:
    """' (as reported, not confirmed in the law itself)', or nothing for an official clock."""
    qualifier = spanish_phrases()["clock_qualifiers"][certainty] if language == SPANISH else QUALIFIERS[certainty]
    return f" ({qualifier})" if qualifier else ""


def _meaning(meaning: str, language: str) -> str:
    return spanish_phrases()["clock_meanings"][meaning] if language == SPANISH else MEANING_WORDS[meaning]


@lru_cache(maxsize=4)
def _spanish_texts(folder: str) -> dict[str, dict[str, Any]]:
    return yaml.safe_load((Path(folder) / SPANISH / SPANISH_CLOCKS).read_text(encoding="utf-8"))["clocks"]


def clocks_in(guidance: Guidance, language: str = "en") -> tuple[Clock, ...]:
    """The clocks of seeds/clocks.yml, with their label and rule in `language`."""
    clocks = load_clocks(guidance.folder)
    if language != SPANISH:
        return clocks
    texts = _spanish_texts(str(guidance.folder))
    return tuple(dataclasses.replace(clock, **texts.get(clock.id, {})) for clock in clocks)


@dataclass(frozen=True)
class ClockDate:
    """One clock applied: its date, what it means, and the rule with its sources."""

    id: str
    label: str
    date: dt.date
    meaning: str
    certainty: str
    starts_from: str
    start: dt.date
    rule: str
    citations: list[dict[str, str]]
    # Set when the rule took effect after `start`: the clock is not counted, and says so.
    in_force_from: dt.date | None = None

    @property
    def cites(self) -> str:
        return "; ".join(c["cite"] for c in self.citations)

    def line(self, language: str = "en") -> str:
        """'Monday, December 2, 2024: Your plan must resolve your grievance (by). Rule ... Source: ...'."""
        if self.in_force_from:
            return f"{self.label}{_said(self.certainty, language)}: {_not_in_force(self, language)}"
        return say(
            language,
            "clock_line",
            "{date} ({meaning}): {label}{said}. {rule} Source: {cites}.",
            date=full_date(self.date, language),
            meaning=_meaning(self.meaning, language),
            label=self.label,
            said=_said(self.certainty, language),
            rule=self.rule,
            cites=self.cites,
        )

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "date": self.date.isoformat(),
            "meaning": self.meaning,
            "certainty": self.certainty,
            "from": self.starts_from,
            "start": self.start.isoformat(),
            "rule": self.rule,
            "citations": self.citations,
            "in_force_from": self.in_force_from and self.in_force_from.isoformat(),
        }


def _not_in_force(clock: ClockDate, language: str) -> str:
    """The verdict's own sentence for a rule that took effect after the day the clock would start."""
    assert clock.in_force_from is not None  # only called for a clock not yet in force
    return say(
        language,
        "not_in_force",
        HEADLINES["not_in_force"],
        in_force=full_date(clock.in_force_from, language),
        start=full_date(clock.start, language),
    )


def clock_date(clock: Clock, start: dt.date, guidance: Guidance | None = None) -> dt.date:
    if clock.unit == "months":
        day = start + relativedelta(months=clock.count)
    elif clock.unit == "business_days":
        day = bd.add_business_days(start, clock.count, bd.deadline_calendar(guidance))
    else:
        day = start + dt.timedelta(days=clock.count)
    return day + dt.timedelta(days=1) if clock.next_day else day


def _on_path(clock: Clock, expedited: bool) -> bool:
    return clock.path == "any" or clock.path == ("expedited" if expedited else "standard")


def complaint_clocks(
    starts: Mapping[str, dt.date | None],
    expedited: bool = False,
    guidance: Guidance | None = None,
    language: str = "en",
    coverage: str = "dmhc",
    kind: str | None = None,
) -> list[ClockDate]:
    """Every clock of `coverage` (and of the appointment `kind`, when given) whose starting date is
    given, in date order, its words in `language`.

    `starts` maps the names in seeds/clocks.yml (incident, filed, decision,
    dmhc_filed, oon_request, first_request) to dates; missing or None ones are skipped.
    """
    unknown = set(starts) - set(CLOCK_STARTS)
    if unknown:
        raise InputError(f"Unknown starting date {min(unknown)!r}; use {', '.join(CLOCK_STARTS)}.")
    guidance = guidance or load_guidance()
    _check_order(starts, language)
    given = {name: day for name, day in starts.items() if day}  # missing or None ones are skipped
    dated = [
        ClockDate(
            id=clock.id,
            label=clock.label,
            date=clock_date(clock, given[clock.starts_from], guidance),
            meaning=clock.meaning,
            certainty=clock.certainty,
            starts_from=clock.starts_from,
            start=given[clock.starts_from],
            rule=clock.rule + _if_dmhc(clock, coverage, language),
            citations=guidance.cite(clock.sources),
            in_force_from=_not_yet(clock, given[clock.starts_from]),
        )
        for clock in clocks_in(guidance, language)
        if clock.starts_from in given
        and _on_path(clock, expedited)
        and coverage in clock.coverages
        and (not clock.kinds or kind is None or kind in clock.kinds)
    ]
    return sorted(dated, key=lambda c: c.date)


def _not_yet(clock: Clock, start: dt.date) -> dt.date | None:
    """The day the clock's rule took effect, when that is after `start` (else None: it counts)."""
    return clock.in_force_from if clock.in_force_from and start < clock.in_force_from else None


def _if_dmhc(clock: Clock, coverage: str, language: str) -> str:
    """For a patient not sure of their coverage, a DMHC duty is said as one that binds the plans it regulates."""
    if coverage != "unknown" or "dmhc" not in clock.coverages:
        return ""
    return " " + say(language, "clock_if_dmhc", "This holds for plans the DMHC regulates.")


def _check_order(starts: Mapping[str, dt.date | None], language: str = "en") -> None:
    filed, decision = starts.get("filed"), starts.get("decision")
    if filed and decision and decision < filed:
        raise InputError(
            say(
                language,
                "decision_before_filing",
                "The plan's decision ({decision}) is before the grievance was filed ({filed}); please check the dates.",
                decision=full_date(decision, language),
                filed=full_date(filed, language),
            )
        )


def clocks_text(clocks: list[ClockDate], language: str = "en") -> str:
    if not clocks:
        return say(language, "no_clock_starts", "No clock starts from the dates given.")
    lines = [f"- {c.line(language)}" for c in clocks]
    return "\n".join([*lines, say(language, "not_advice_line", "General information, not legal advice.")])


# --- The clocks of one case, and what comes next ---------------------------


def _latest(events, kind: str, filing: str, after: dt.date | None = None):
    found = [e for e in events if e.kind == kind and e.filing == filing and (after is None or e.date >= after)]
    return found[-1] if found else None


def _incident(missed: list[dt.date], today: dt.date, guidance: Guidance) -> dt.date | None:
    """The first missed deadline whose grievance window is still open, else the latest one."""
    window = next(c for c in load_clocks(guidance.folder) if c.id == "grievance_window")
    still_open = [day for day in missed if clock_date(window, day, guidance) >= today]
    return still_open[0] if still_open else (missed[-1] if missed else None)


def case_starts(case: Case, today: dt.date, guidance: Guidance | None = None) -> tuple[dict[str, dt.date], bool]:
    """The starting dates the case gives the clocks, and whether the grievance is expedited."""
    guidance = guidance or load_guidance()
    events = in_date_order(case)
    missed = [as_date(ep.verdict.deadline) for ep in episodes(case, today, guidance) if ep.met is False]
    grievance = _latest(events, "filed", "grievance")
    decision = grievance and _latest(events, "decision", "grievance", grievance.date)
    dmhc = _latest(events, "filed", "dmhc_complaint")
    oon = [e.date for e in events if e.kind == "requested" and e.out_of_network]
    # The out-of-network sources count from the first request for the care itself.
    first_request = min([e.date for e in events if e.kind == "requested"], default=None) if oon else None
    incident = _incident(missed, today, guidance)
    if incident is None and guidance.coverage[case.coverage].rule_applies is False:
        # No state deadline to miss: the problem is the latest cancellation.
        canceled = [e.date for e in events if e.kind == "canceled"]
        incident = canceled[-1] if canceled else None
    starts = {
        "incident": incident,
        "filed": grievance and grievance.date,
        "decision": decision and decision.date,
        "dmhc_filed": dmhc and dmhc.date,
        "oon_request": oon[0] if oon else None,
        "first_request": first_request,
    }
    return {k: v for k, v in starts.items() if v}, bool(grievance and grievance.expedited)


def case_clocks(case: Case, today: dt.date, guidance: Guidance | None = None, language: str = "en") -> list[ClockDate]:
    starts, expedited = case_starts(case, today, guidance)
    return complaint_clocks(starts, expedited, guidance, language, case.coverage, case.kind)


@dataclass(frozen=True)
class NextStep:
    """A dated step: `when` is today for what the patient may do now (until `until`, if it closes)."""

    when: dt.date
    what: str
    rule: str
    cites: str
    certainty: str = "official"
    until: dt.date | None = None
    source: str = "deadline"
    language: str = "en"  # of `what` and `rule`, and of the sentence `text` writes

    def text(self, today: dt.date) -> str:
        words = dict(what=self.what, said=_said(self.certainty, self.language), rule=self.rule, cites=self.cites)
        if self.when <= today:
            closing = (
                say(self.language, "step_until", ", until {date}", date=full_date(self.until, self.language))
                if self.until
                else ""
            )
            return say(
                self.language,
                "step_now",
                "Now{closing}: {what}{said}. {rule} Source: {cites}.",
                closing=closing,
                **words,
            )
        return say(
            self.language,
            "step_on",
            "{date}: {what}{said}. {rule} Source: {cites}.",
            date=full_date(self.when, self.language),
            **words,
        )

    def to_dict(self) -> dict:
        return {
            "when": self.when.isoformat(),
            "what": self.what,
            "until": self.until and self.until.isoformat(),
            "certainty": self.certainty,
            "rule": self.rule,
            "cites": self.cites,
            "source": self.source,
        }


def _done(clock: ClockDate, events) -> bool:
    """Whether the patient already took the step this clock opens."""
    # The Help Center decides whether a filing after a decision is a review or a complaint.
    filings = {
        "grievance_window": ("grievance",),
        "medicare_grievance_window": ("grievance",),
        "imr_window": ("imr", "dmhc_complaint"),
        "cdi_imr_window": ("imr",),
        "cdi_imr_after_30_days": ("imr",),
    }.get(clock.id, ())
    if clock.id.startswith("dmhc_") and clock.meaning == "may_from":
        filings = ("dmhc_complaint",)
    return any(_latest(events, "filed", filing, clock.start) for filing in filings)


def _step(clock: ClockDate, today: dt.date, language: str) -> NextStep | None:
    if clock.in_force_from:
        return None  # the rule did not exist yet on the day it would count from
    if clock.meaning in ("plan_by", "usual_by", "last_day"):
        if clock.date < today:
            return None  # past: what follows is another clock (the Help Center)
        return NextStep(
            clock.date, clock.label, clock.rule, clock.cites, clock.certainty, source=clock.id, language=language
        )
    if clock.meaning == "until" and clock.date < today:
        return None
    until = clock.date if clock.meaning == "until" else None
    return NextStep(
        max(clock.date if clock.meaning == "may_from" else today, today),
        clock.label,
        clock.rule,
        clock.cites,
        clock.certainty,
        until,
        clock.id,
        language,
    )


def steps_ahead(case: Case, today: dt.date, guidance: Guidance | None = None, language: str = "en") -> list[NextStep]:
    """Everything dated from today on: what the patient may do now first, then the coming dates (in `language`)."""
    guidance = in_language(guidance or load_guidance(), language)
    events = in_date_order(case)
    starts, _ = case_starts(case, today, guidance)
    steps = []
    for clock in case_clocks(case, today, guidance, language):
        if "decision" in starts and clock.starts_from == "filed":
            continue  # the grievance is answered: its waiting clocks are moot
        if not _done(clock, events) and (step := _step(clock, today, language)):
            steps.append(step)
    found = episodes(case, today, guidance)
    if found and found[-1].verdict.status == "pending":
        verdict = found[-1].verdict
        steps.append(
            NextStep(
                as_date(verdict.deadline),
                say(language, "plan_deadline_step", "Your plan's deadline to offer you an appointment"),
                verdict.rule,
                "; ".join(c["cite"] for c in verdict.citations),
                source="deadline",
                language=language,
            )
        )
    # On one day: what opens without a closing date first, then the window that closes soonest.
    return sorted(steps, key=lambda s: (s.when, s.until is not None, s.until or s.when))


def whats_next(case: Case, today: dt.date, guidance: Guidance | None = None, language: str = "en") -> NextStep | None:
    """'What's next and when?': the first dated step, or None when nothing is due."""
    steps = steps_ahead(case, today, guidance, language)
    return steps[0] if steps else None

"""Verdicts: is an offered (or missing) appointment within the legal limit?"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from care_clock.errors import InputError
from care_clock.facts import KINDS, UNJUDGED, Guidance, load_guidance
from care_clock.law import business_days as bd
from care_clock.law.coverage import cited_for, coverage_of, steps_for
from care_clock.writing.wording import SPANISH, say, spanish_date, spanish_phrases, unknown_choice

PACIFIC = ZoneInfo("America/Los_Angeles")


def now_in_california() -> dt.datetime:
    return dt.datetime.now(PACIFIC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class Verdict:
    kind: str
    label: str
    start: dt.date | dt.datetime
    deadline: dt.date | dt.datetime
    status: str
    today: dt.date | dt.datetime
    rule: str
    citations: list[dict[str, str]]
    next_steps: list[str]
    holidays_skipped: list[tuple[dt.date, str]] = field(default_factory=list)
    offered: dt.date | dt.datetime | None = None
    canceled: dt.date | None = None
    business_days_late: int | None = None
    business_days_left: int | None = None
    hours_late: int | None = None
    hours_left: int | None = None
    limit: int = 0
    unit: str = "business_days"
    exception: str = ""
    notes: list[str] = field(default_factory=list)
    # Notes that change what the deadline means ("the hour you asked is not known"): said with the
    # short verdict too, not only on "Why?".
    caveats: list[str] = field(default_factory=list)
    # The latest deadline a plan could argue, skipping every federal-only and
    # state-only closure too, and those disputed days (date, name).
    deadline_latest: dt.date | dt.datetime | None = None
    disputed_days: list[tuple[dt.date, str]] = field(default_factory=list)
    late_under_any_count: bool = False
    business_days_late_latest: int | None = None
    # Who regulates the patient's coverage, and whether the state rule binds it
    # (None: the patient does not know their coverage yet).
    coverage: str = "dmhc"
    regulator: str = "DMHC"
    rule_applies: bool | None = True
    where_to_turn: str = ""
    in_force_from: dt.date | None = None  # the rule's first day, when it is after the start

    @property
    def judged(self) -> bool:
        """False when no state deadline binds this wait (coverage, or a rule not yet in force)."""
        return self.status not in UNJUDGED

    def to_dict(self) -> dict:
        """JSON-ready: dates as ISO strings, empty optional numbers left out."""
        data = {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "deadline": self.deadline.isoformat(),
            "deadline_latest": (self.deadline_latest or self.deadline).isoformat(),
            "disputed_days": [d.isoformat() for d, _ in self.disputed_days],
            "late_under_any_count": self.late_under_any_count,
            "status": self.status,
            "coverage": self.coverage,
            "regulator": self.regulator,
            "rule_applies": self.rule_applies,
            "where_to_turn": self.where_to_turn,
            "today": self.today.isoformat(),
            "limit": self.limit,
            "unit": self.unit,
            "offered": self.offered.isoformat() if self.offered else None,
            "canceled": self.canceled.isoformat() if self.canceled else None,
            "holidays_skipped": [{"date": d.isoformat(), "name": n} for d, n in self.holidays_skipped],
            "rule": self.rule,
            "citations": self.citations,
            "next_steps": self.next_steps,
            "notes": self.notes,
        }
        for key in (
            "business_days_late",
            "business_days_late_latest",
            "business_days_left",
            "hours_late",
            "hours_left",
        ):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _as_datetime(value: dt.date | dt.datetime, end_of_day=False) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(23, 59) if end_of_day else dt.time(0, 0))


def _day_written(value: dt.date, language: str) -> str:
    return spanish_date(value) if language == SPANISH else f"{value:%B %-d, %Y}"


def validate_timeline(kind, start, offered=None, canceled=None, today=None, language: str = "en") -> None:
    """Raise InputError when the dates cannot all be right together."""
    today = today if today is not None else now_in_california()
    followup = kind == "followup"
    what = say(
        language,
        "from_last_visit" if followup else "from_request",
        "last appointment you attended" if followup else "request",
    )
    start_day = _day_written(_as_date(start), language)
    if _as_date(start) > _as_date(today):
        raise InputError(
            say(
                language,
                "start_after_today",
                "The {what} ({date}) is after today; it must be in the past.",
                what=what,
                date=start_day,
            )
        )
    if offered is not None and _as_date(offered) < _as_date(start):
        raise InputError(
            say(
                language,
                "offered_before_start",
                "The offered date ({offered}) is before the {what} ({start}); an offer has to come after it.",
                offered=_day_written(_as_date(offered), language),
                what=what,
                start=start_day,
            )
        )
    if canceled is not None and canceled < _as_date(start):
        raise InputError(
            say(
                language,
                "canceled_before_start",
                "The canceled appointment ({canceled}) is before the {what} ({start}); please check the dates.",
                canceled=_day_written(canceled, language),
                what=what,
                start=start_day,
            )
        )


def _business_day_verdict(limit, start, offered, today, guidance):
    """Judged against the deadline; the latest deadline says whether a late offer is late under any count."""
    everyone, anyone = bd.deadline_calendar(guidance), bd.latest_calendar(guidance)
    deadline = bd.add_business_days(start, limit, everyone)
    latest = bd.add_business_days(start, limit, anyone)
    skipped = bd.weekday_holidays_between(start, deadline, everyone)
    counts = {"deadline_latest": latest, "disputed_days": bd.disputed_days_between(start, latest, guidance)}
    if offered is None and today <= deadline:
        status = "pending"
        counts["business_days_left"] = bd.business_days_between(today, deadline, everyone)
    elif offered is not None and offered <= deadline:
        status = "on_time"
    else:
        status, until = ("late", offered) if offered is not None else ("overdue", today)
        counts["business_days_late"] = bd.business_days_between(deadline, until, everyone)
        skipped += bd.weekday_holidays_between(deadline, until, everyone)
        if until > latest:
            counts["late_under_any_count"] = True
            counts["business_days_late_latest"] = bd.business_days_between(latest, until, anyone)
    return deadline, status, skipped, counts


def _hours_verdict(limit, start, offered, now):
    deadline = start + dt.timedelta(hours=limit)
    counts = {}
    if offered is not None:
        # A date with no time is given the benefit of the doubt: any time that day.
        offered_at = _as_datetime(offered) if isinstance(offered, dt.datetime) else None
        on_time = offered_at <= deadline if offered_at else offered <= deadline.date()
        status = "on_time" if on_time else "late"
        if not on_time:
            late_by = (offered_at or _as_datetime(offered)) - deadline
            counts["hours_late"] = max(1, int(late_by.total_seconds() // 3600))
    elif now <= deadline:
        status = "pending"
        counts["hours_left"] = int((deadline - now).total_seconds() // 3600)
    else:
        status = "overdue"
        counts["hours_late"] = max(1, int((now - deadline).total_seconds() // 3600))
    return deadline, status, counts


def check(
    kind: str,
    start: dt.date | dt.datetime,
    offered: dt.date | dt.datetime | None = None,
    today: dt.date | dt.datetime | None = None,
    prior_auth: bool = False,
    longer_wait_approved: bool = False,
    canceled: dt.date | None = None,
    guidance: Guidance | None = None,
    coverage: str | None = None,
    language: str = "en",
) -> Verdict:
    """Apply the standard for `kind` to the given dates, for the patient's kind of
    coverage (seeds/coverage.yml; default "dmhc"). Raises InputError."""
    if kind not in KINDS:
        raise InputError(unknown_choice("kind", "kind of appointment", kind, KINDS))
    guidance = guidance or load_guidance()
    plan = coverage_of(coverage, guidance)
    standard = guidance.standards[kind]
    now = today if today is not None else now_in_california()
    validate_timeline(kind, start, offered, canceled, now, language)

    notes, counts, skipped, caveats = [], {}, [], []
    if standard.unit == "hours":
        limit = standard.limit_with_prior_auth if prior_auth else standard.limit
        assert limit is not None  # an hours standard always has one (facts._load_standards)
        time_unknown = not isinstance(start, dt.datetime)
        # The request's hour not known: the plan gets until the end of that day, so "late" is
        # said only when it is late whatever the hour was, and no deadline is shown at midnight.
        start, now = _as_datetime(start, end_of_day=time_unknown), _as_datetime(now, end_of_day=True)
        deadline, status, counts = _hours_verdict(limit, start, offered, now)
        if time_unknown:
            start, deadline = start.date(), deadline.date()
            if status == "late" and not isinstance(offered, dt.datetime):
                counts["hours_late"] = 24 * (offered - deadline).days  # whole days: no hour on either side
            caveats.append(
                note := say(
                    language,
                    "request_hour_unknown",
                    "You did not say at what time you asked, so the {limit} hours are counted to the end of "
                    '{day}. If you know the time, tell me (for example "{example} at 3pm").',
                    limit=limit,
                    day=_day_written(deadline, language),
                    example=f"{start:%b} {start.day}"
                    if language != SPANISH
                    else f"{start.day} de {spanish_phrases()['months'][start.month - 1]}",
                )
            )
            notes.append(note)
        # Calendar hours: no holiday is in dispute, so late is late under any count.
        counts.update(deadline_latest=deadline, late_under_any_count=status in ("late", "overdue"))
        if prior_auth:
            notes.append(
                say(
                    language,
                    "prior_auth_note",
                    "Prior authorization is required, so the limit is 96 hours instead of 48.",
                )
            )
    else:
        limit = standard.limit
        start, offered, now = _as_date(start), offered and _as_date(offered), _as_date(now)
        deadline, status, skipped, counts = _business_day_verdict(limit, start, offered, now, guidance)

    if canceled is not None and kind == "followup":
        notes.append(
            say(
                language,
                "clock_from_last_visit",
                "The clock runs from the last appointment you attended ({start}), not from the canceled one ({canceled}).",
                start=f"{start:%B %-d}" if language != SPANISH else spanish_date(start),
                canceled=f"{canceled:%B %-d}" if language != SPANISH else spanish_date(canceled),
            )
        )
    if longer_wait_approved or plan.rule_applies is False:
        # No judgement: a documented exception, or a coverage the state rule does not bind.
        status = "exception_noted" if plan.rule_applies is not False else "rule_does_not_apply"
        counts = {k: counts[k] for k in ("deadline_latest", "disputed_days") if k in counts}
    in_force = standard.in_force_from
    if in_force and _as_date(start) < in_force:
        # A rule is not applied to a wait that began before it existed.
        status = "not_in_force"
        counts = {k: counts[k] for k in ("deadline_latest", "disputed_days") if k in counts} | {
            "in_force_from": in_force
        }
    steps_table = guidance.urgent_steps_by_status if kind == "urgent" else guidance.steps_by_status
    return Verdict(
        kind=kind,
        label=standard.label,
        start=start,
        deadline=deadline,
        status=status,
        today=now,
        rule=standard.rule,
        citations=guidance.cite(plan.sources if status == "rule_does_not_apply" else cited_for(plan, standard.sources)),
        next_steps=steps_for(plan, steps_table[status]),
        holidays_skipped=skipped,
        offered=offered,
        canceled=canceled,
        limit=limit,
        unit=standard.unit,
        exception=guidance.exception["summary"],
        notes=notes,
        caveats=caveats,
        coverage=plan.id,
        regulator=plan.regulator,
        rule_applies=plan.rule_applies,
        where_to_turn=plan.where_to_turn,
        **counts,
    )


def deadlines_from(
    start: dt.date,
    today: dt.date | dt.datetime | None = None,
    guidance: Guidance | None = None,
    coverage: str | None = None,
    language: str = "en",
) -> list[Verdict]:
    """A date kept when the kind of appointment is not known: the verdict of each kind whose rule needs
    only that date (business days, from the last visit or the request). Urgent care counts hours from
    a time of day, so it is left out, as is a kind the date does not fit (after today, say)."""
    guidance = guidance or load_guidance()
    verdicts = []
    for kind in KINDS:
        if guidance.standards[kind].unit != "business_days":
            continue
        try:
            verdicts.append(check(kind, start, today=today, guidance=guidance, coverage=coverage, language=language))
        except InputError:
            continue
    return verdicts

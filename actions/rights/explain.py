"""Verdicts in plain words, the same for the chat and the command line."""
from __future__ import annotations

import datetime as dt

from .coverage import contact_line, contacts_for
from .seeds import Guidance, load_guidance
from .verdict import Verdict


def full_date(value: dt.date | dt.datetime) -> str:
    """'Tuesday, November 12, 2024' (with the time for date-times)."""
    text = f"{value:%A, %B} {value.day}, {value.year}"
    if isinstance(value, dt.datetime):
        text += f" at {value:%I:%M %p}".replace(" 0", " ")
    return text


def _counted(verdict: Verdict, days: int | None, hours: int | None) -> str:
    count = days if verdict.unit == "business_days" else hours
    word = "business day" if verdict.unit == "business_days" else "hour"
    return f"{count} {word}{'' if count == 1 else 's'}" if count is not None else ""


def late_by(verdict: Verdict) -> str:
    """'6 business days' (or hours for urgent care); empty when not late."""
    return _counted(verdict, verdict.business_days_late, verdict.hours_late)


def time_left(verdict: Verdict) -> str:
    return _counted(verdict, verdict.business_days_left, verdict.hours_left)


def cited(verdict: Verdict) -> str:
    """The rule's sources on one line: 'SB 221 (Wiener, 2021); Cal. Health & Safety Code §1367.03'."""
    return "; ".join(c["cite"] for c in verdict.citations)


def disputed(verdict: Verdict) -> str:
    """'Friday, November 29, 2024 (Day after Thanksgiving, California state offices only)'."""
    return "; ".join(f"{full_date(day)} ({name})" for day, name in verdict.disputed_days)


def certainty(verdict: Verdict) -> str:
    """Whether a late verdict holds when the disputed days are counted as holidays too."""
    if not verdict.disputed_days:
        return ""
    if verdict.late_under_any_count:
        return ", late under any count"
    return f", unless the plan was closed on {disputed(verdict)}"


def headline(verdict: Verdict) -> str:
    """One line: the deadline and where the patient stands."""
    deadline = full_date(verdict.deadline)
    if verdict.status == "on_time":
        return f"The date you were offered ({full_date(verdict.offered)}) is on time: the deadline is {deadline}."
    if verdict.status == "late":
        return (
            f"The date you were offered ({full_date(verdict.offered)}) is late by {late_by(verdict)}"
            f"{certainty(verdict)}: the plan had to offer an appointment by {deadline}."
        )
    if verdict.status == "pending":
        return f"The plan has until {deadline} to offer you an appointment: {time_left(verdict)} left."
    if verdict.status == "rule_does_not_apply":
        return "Care Clock does not judge this wait against California's waiting-time rules; here is why, and where to turn."
    if verdict.status == "overdue":
        return (
            f"The deadline was {deadline} and nothing has been offered: the plan is {late_by(verdict)} "
            f"overdue{certainty(verdict)}."
        )
    return (
        f"The deadline would be {deadline}, but your provider noted that a longer wait "
        f"will not harm your health, so a later date can be allowed."
    )


def disputed_line(verdict: Verdict) -> str:
    """Why a plan might name a later date, or '' when both counts agree."""
    if not verdict.disputed_days:
        return ""
    days = "that day" if len(verdict.disputed_days) == 1 else "those days"
    return (
        f"Not counted as holidays: {disputed(verdict)}. Only some offices close then, and which holidays a "
        f"plan's business days skip is not settled; a plan that was closed on {days} could argue for "
        f"{full_date(verdict.deadline_latest)}."
    )


def coverage_lines(verdict: Verdict, guidance: Guidance) -> list[str]:
    """Which rules apply and where to turn, for any coverage but a DMHC plan's (the default answer)."""
    if verdict.coverage == "dmhc":
        return []
    plan = guidance.coverage[verdict.coverage]
    lines = []
    if plan.rule_applies is None:
        lines.append("Whether this rule applies depends on your coverage. " + " ".join(plan.questions))
    lines.append(f"Where to turn: {plan.where_to_turn}")
    lines.extend(contact_line(c) for c in contacts_for(plan, guidance))
    return lines


def next_steps_line(verdict: Verdict, guidance: Guidance) -> str:
    steps = [guidance.next_steps[s]["title"] for s in verdict.next_steps]
    return "Next steps: " + "; ".join(f"{i}. {t}" for i, t in enumerate(steps, 1)) + "."


def counted_from(verdict: Verdict) -> str:
    return "your last attended appointment" if verdict.kind == "followup" else "your request"


def short_answer(verdict: Verdict) -> str:
    """What fits a phone screen: where the patient stands, the deadline, the rule's name."""
    if verdict.status == "rule_does_not_apply":
        return headline(verdict)
    unit = "business days" if verdict.unit == "business_days" else "hours"
    first_source = verdict.citations[0]["cite"] if verdict.citations else ""
    rule = f"Rule: {verdict.limit} {unit} from {counted_from(verdict)}"
    return "\n".join([headline(verdict), f"{rule} ({first_source})." if first_source else f"{rule}."])


def counting(verdict: Verdict, guidance: Guidance | None = None) -> list[str]:
    """How the deadline was counted (start, skipped and disputed days, notes, the rule, its sources), and
    where to turn for coverage other than a DMHC plan's."""
    guidance = guidance or load_guidance()
    if verdict.status == "rule_does_not_apply":
        return [*coverage_lines(verdict, guidance), f"Source: {cited(verdict)}."]
    unit = "business days" if verdict.unit == "business_days" else "hours"
    lines = [f"Counted {verdict.limit} {unit} from {counted_from(verdict)} on {full_date(verdict.start)}."]
    if verdict.holidays_skipped:
        skipped = "; ".join(f"{name} ({day:%a %b} {day.day})" for day, name in verdict.holidays_skipped)
        lines.append(f"Holidays not counted: {skipped}.")
    elif verdict.unit == "business_days":
        lines.append("No holidays fell in this period; weekends are not counted.")
    if disputed_line(verdict):
        lines.append(disputed_line(verdict))
    lines.extend(verdict.notes)
    if verdict.status == "exception_noted":
        lines.append(f"About the exception: {verdict.exception}")
    lines.append(f"The rule: {verdict.rule}")
    lines.append(f"Source: {cited(verdict)}.")
    lines.extend(coverage_lines(verdict, guidance))
    return lines


def explain(verdict: Verdict, guidance: Guidance | None = None) -> str:
    """The whole answer: headline, counting with citations, next steps."""
    guidance = guidance or load_guidance()
    return "\n".join([headline(verdict), *counting(verdict, guidance), next_steps_line(verdict, guidance)])

"""Verdicts in plain words, the same for the chat and the command line."""
from __future__ import annotations

import datetime as dt

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


def headline(verdict: Verdict) -> str:
    """One line: the deadline and where the patient stands."""
    deadline = full_date(verdict.deadline)
    if verdict.status == "on_time":
        return f"The date you were offered ({full_date(verdict.offered)}) is on time: the deadline is {deadline}."
    if verdict.status == "late":
        return (
            f"The date you were offered ({full_date(verdict.offered)}) is late by {late_by(verdict)}: "
            f"the plan had to offer an appointment by {deadline}."
        )
    if verdict.status == "pending":
        return f"The plan has until {deadline} to offer you an appointment: {time_left(verdict)} left."
    if verdict.status == "overdue":
        return f"The deadline was {deadline} and nothing has been offered: the plan is {late_by(verdict)} overdue."
    return (
        f"The deadline would be {deadline}, but your provider noted that a longer wait "
        f"will not harm your health, so a later date can be allowed."
    )


def counted_from(verdict: Verdict) -> str:
    return "your last attended appointment" if verdict.kind == "followup" else "your request"


def short_answer(verdict: Verdict) -> str:
    """What fits a phone screen: where the patient stands, the deadline, the rule's name."""
    unit = "business days" if verdict.unit == "business_days" else "hours"
    first_source = verdict.citations[0]["cite"] if verdict.citations else ""
    rule = f"Rule: {verdict.limit} {unit} from {counted_from(verdict)}"
    return "\n".join([headline(verdict), f"{rule} ({first_source})." if first_source else f"{rule}."])


def counting(verdict: Verdict) -> list[str]:
    """How the deadline was counted: the start, the skipped days, notes, the rule and its sources."""
    unit = "business days" if verdict.unit == "business_days" else "hours"
    lines = [f"Counted {verdict.limit} {unit} from {counted_from(verdict)} on {full_date(verdict.start)}."]
    if verdict.holidays_skipped:
        skipped = "; ".join(f"{name} ({day:%a %b} {day.day})" for day, name in verdict.holidays_skipped)
        lines.append(f"Holidays not counted: {skipped}.")
    elif verdict.unit == "business_days":
        lines.append("No holidays fell in this period; weekends are not counted.")
    lines.extend(verdict.notes)
    if verdict.status == "exception_noted":
        lines.append(f"About the exception: {verdict.exception}")
    lines.append(f"The rule: {verdict.rule}")
    lines.append(f"Source: {cited(verdict)}.")
    return lines


def explain(verdict: Verdict, guidance: Guidance | None = None) -> str:
    """The whole answer: headline, rule with citations, holidays, notes, next steps."""
    guidance = guidance or load_guidance()
    steps = [guidance.next_steps[s]["title"] for s in verdict.next_steps]
    lines = [headline(verdict), *counting(verdict)]
    lines.append("Next steps: " + "; ".join(f"{i}. {t}" for i, t in enumerate(steps, 1)) + ".")
    return "\n".join(lines)

"""Verdicts in plain words, the same for the chat and the command line."""

from __future__ import annotations

import datetime as dt

from care_clock.facts import Guidance, load_guidance
from care_clock.law.coverage import contact_line, contacts_for
from care_clock.law.verdict import Verdict
from care_clock.writing.wording import SPANISH, holiday_name, say, spanish_date, spanish_short_date


def full_date(value: dt.date | dt.datetime, language: str = "en") -> str:
    """'Tuesday, November 12, 2024' (with the time for date-times); 'martes, 12 de noviembre de 2024'."""
    if language == SPANISH:
        return spanish_date(value)
    text = f"{value:%A, %B} {value.day}, {value.year}"
    if isinstance(value, dt.datetime):
        text += f" at {value:%I:%M %p}".replace(" 0", " ")
    return text


def unit_words(verdict: Verdict, count: int | None, language: str = "en") -> str:
    """'business days', 'hour', 'días hábiles'..."""
    word = "business_day" if verdict.unit == "business_days" else "hour"
    key = word if count == 1 else word + "s"
    return say(language, key, key.replace("_", " "))


def _counted(verdict: Verdict, days: int | None, hours: int | None, language: str) -> str:
    count = days if verdict.unit == "business_days" else hours
    return f"{count} {unit_words(verdict, count, language)}" if count is not None else ""


def late_by(verdict: Verdict, language: str = "en") -> str:
    """'6 business days' (or hours for urgent care); empty when not late."""
    return _counted(verdict, verdict.business_days_late, verdict.hours_late, language)


def time_left(verdict: Verdict, language: str = "en") -> str:
    return _counted(verdict, verdict.business_days_left, verdict.hours_left, language)


def cited(verdict: Verdict) -> str:
    """The rule's sources on one line: 'SB 221 (Wiener, 2021); Cal. Health & Safety Code §1367.03'."""
    return "; ".join(c["cite"] for c in verdict.citations)


def source_list(verdict: Verdict, language: str = "en") -> str:
    """ "Why?": the rule's sources as a short list, each with its link (the page turns links into links)."""
    items = [f"- {c['cite']}: {c['url']}" if c.get("url") else f"- {c['cite']}" for c in verdict.citations]
    return "\n".join([say(language, "sources", "Sources:"), *items])


def disputed(verdict: Verdict, language: str = "en") -> str:
    """'Friday, November 29, 2024 (Day after Thanksgiving, California state offices only)'."""
    return "; ".join(
        f"{full_date(day, language)} ({holiday_name(name, language)})" for day, name in verdict.disputed_days
    )


def certainty(verdict: Verdict, language: str = "en") -> str:
    """Whether a late verdict holds when the disputed days are counted as holidays too."""
    if not verdict.disputed_days:
        return ""
    if verdict.late_under_any_count:
        return say(language, "late_under_any_count", ", late under any count")
    return say(language, "unless_closed", ", unless the plan was closed on {days}", days=disputed(verdict, language))


HEADLINES = {
    "on_time": "The date you were offered ({offered}) is on time: the deadline is {deadline}.",
    "late": "The date you were offered ({offered}) is late by {late_by}{certainty}: the plan had to offer an "
    "appointment by {deadline}.",
    "pending": "The plan has until {deadline} to offer you an appointment: {left} left.",
    "rule_does_not_apply": "Care Clock does not judge this wait against California's waiting-time rules; here is "
    "why, and where to turn.",
    "overdue": "The deadline was {deadline} and nothing has been offered: the plan is {late_by} overdue{certainty}.",
    "not_in_force": "This rule took effect on {in_force}, after the day your wait began ({start}), so Care Clock "
    "does not judge this wait by it.",
    "exception_noted": "The deadline would be {deadline}, but your provider noted that a longer wait will not harm "
    "your health, so a later date can be allowed.",
}


def headline(verdict: Verdict, language: str = "en") -> str:
    """One line: the deadline and where the patient stands."""
    return say(
        language,
        verdict.status,
        HEADLINES[verdict.status],
        deadline=full_date(verdict.deadline, language),
        offered=verdict.offered and full_date(verdict.offered, language),
        late_by=late_by(verdict, language),
        left=time_left(verdict, language),
        certainty=certainty(verdict, language),
        in_force=verdict.in_force_from and full_date(verdict.in_force_from, language),
        start=full_date(verdict.start, language),
    )


# What the clock started from, per kind: the role of the start date in a patient's words.
START_ROLES = {"followup": "last visit", "initial": "request", "psychiatry": "request", "urgent": "request"}
# One next move per status, in a sentence: the verdict's third line (the drafts are one tap away).
NEXT_MOVES = {
    "late": "Next: ask the plan for an earlier appointment, or for care outside its network at in-network cost.",
    "overdue": "Next: ask the plan for an appointment now, or for care outside its network at in-network cost.",
    "pending": "Next: if nothing comes by then, ask the plan to arrange care in time. I can remind you that day.",
    "on_time": "Next: nothing to do now. Tell me if it is canceled or moved again.",
    "exception_noted": "Next: if the wait does harm your health, tell the plan and your provider.",
}


def _short_moment(value: dt.date | dt.datetime, language: str) -> str:
    """'Mon Oct 28' or 'Thu Nov 21, 3:00 PM'; 'lun 28 de octubre' in Spanish."""
    day = value.date() if isinstance(value, dt.datetime) else value
    text = spanish_short_date(day) if language == SPANISH else f"{day:%a %b} {day.day}"
    if isinstance(value, dt.datetime):
        hour, half = value.hour % 12 or 12, value.hour < 12
        clock = f"{hour}:{value.minute:02d} " + ("a. m." if half else "p. m.") if language == SPANISH else ""
        clock = clock or f"{hour}:{value.minute:02d} {'AM' if half else 'PM'}"
        text += ", " + clock
    return text


def dates_used(verdict: Verdict, language: str = "en") -> str:
    """One short line of the dates the verdict rests on and their roles, so a misread date shows
    before anything is built on it ("Dates I used: last visit Mon Oct 28; offered Wed Nov 20.")."""
    role = START_ROLES.get(verdict.kind, "request")
    parts = [
        say(language, "used_" + role.replace(" ", "_"), role + " {day}", day=_short_moment(verdict.start, language))
    ]
    if verdict.canceled:
        parts.append(say(language, "used_canceled", "canceled {day}", day=_short_moment(verdict.canceled, language)))
    if verdict.offered:
        parts.append(say(language, "used_offered", "offered {day}", day=_short_moment(verdict.offered, language)))
    else:
        parts.append(say(language, "used_no_offer", "nothing offered yet"))
    return say(language, "dates_used", "Dates I used: {parts}.", parts="; ".join(parts))


def disputed_short(verdict: Verdict, language: str = "en") -> str:
    """One line for the short verdict when a holiday only some offices keep moves the deadline:
    "A plan closed on Fri Nov 29 could argue for Wednesday, December 4, 2024." ('' otherwise)."""
    if not verdict.disputed_days or verdict.deadline_latest in (None, verdict.deadline):
        return ""
    return say(
        language,
        "disputed_short",
        "A plan closed on {days} could argue for {latest}.",
        days=", ".join(_short_moment(day, language) for day, _ in verdict.disputed_days),
        latest=full_date(verdict.deadline_latest, language),
    )


def next_move(verdict: Verdict, language: str = "en") -> str:
    """The one thing to do now, or '' for a verdict that judges nothing."""
    if verdict.status not in NEXT_MOVES:
        return ""
    return say(language, "next_" + verdict.status, NEXT_MOVES[verdict.status])


def disputed_line(verdict: Verdict, language: str = "en") -> str:
    """Why a plan might name a later date, or '' when both counts agree."""
    if not verdict.disputed_days:
        return ""
    assert verdict.deadline_latest is not None  # counted with the disputed days (law/verdict.py)
    one = len(verdict.disputed_days) == 1
    return say(
        language,
        "disputed_line",
        "Not counted as holidays: {disputed}. Only some offices close then. No rule says which holidays a plan "
        "skips, so a plan that was closed on {days} could argue for {latest}.",
        disputed=disputed(verdict, language),
        days=say(language, "that_day", "that day") if one else say(language, "those_days", "those days"),
        latest=full_date(verdict.deadline_latest, language),
    )


def coverage_lines(verdict: Verdict, guidance: Guidance, language: str = "en") -> list[str]:
    """Which rules apply and where to turn, for any coverage but a DMHC plan's (the default answer)."""
    if verdict.coverage == "dmhc":
        return []
    plan = guidance.coverage[verdict.coverage]
    lines = []
    if plan.rule_applies is None:
        lines.append(
            say(language, "rule_applies_depends", "Whether this rule applies depends on your coverage. ")
            + " ".join(plan.questions)
        )
    lines.append(say(language, "where_to_turn", "Where to turn: {where}", where=plan.where_to_turn))
    lines.extend(contact_line(c, language) for c in contacts_for(plan, guidance))
    return lines


def next_steps_line(verdict: Verdict, guidance: Guidance, language: str = "en") -> str:
    steps = [guidance.next_steps[s]["title"] for s in verdict.next_steps]
    if not steps:
        return ""
    return say(language, "next_steps", "Next steps: ") + "; ".join(f"{i}. {t}" for i, t in enumerate(steps, 1)) + "."


def counted_from(verdict: Verdict, language: str = "en") -> str:
    if verdict.kind == "followup":
        return say(language, "from_last_visit", "your last attended appointment")
    return say(language, "from_request", "your request")


def _limit_words(verdict: Verdict, language: str) -> dict[str, int | str]:
    """'10', 'business days', 'your last attended appointment': the rule's limit in words."""
    return {
        "limit": verdict.limit,
        "unit": unit_words(verdict, verdict.limit, language),
        "counted_from": counted_from(verdict, language),
    }


def short_answer(verdict: Verdict, language: str = "en") -> str:
    """What fits a phone screen: where the patient stands, the deadline, the rule's name."""
    if not verdict.judged:
        return headline(verdict, language)
    first_source = verdict.citations[0]["cite"] if verdict.citations else ""
    rule = say(language, "rule_line", "Rule: {limit} {unit} from {counted_from}", **_limit_words(verdict, language))
    return "\n".join([headline(verdict, language), f"{rule} ({first_source})." if first_source else f"{rule}."])


def _holiday_day(day: dt.date, language: str) -> str:
    return spanish_short_date(day) if language == SPANISH else f"{day:%a %b} {day.day}"


def counting(verdict: Verdict, guidance: Guidance | None = None, language: str = "en") -> list[str]:
    """How the deadline was counted (start, skipped and disputed days, notes, the rule, its sources), and
    where to turn for coverage other than a DMHC plan's. `verdict` was checked with the guidance in
    `language`, so its rule and notes are already in it."""
    guidance = guidance or load_guidance()
    source = source_list(verdict, language)
    not_advice = say(language, "not_advice_line", "General information, not legal advice.")
    if verdict.status == "rule_does_not_apply":
        return [*coverage_lines(verdict, guidance, language), source, not_advice]
    if verdict.status == "not_in_force":
        return [say(language, "the_rule", "The rule: {rule}", rule=verdict.rule), source, not_advice]
    lines = [
        say(
            language,
            "counted",
            "Counted {limit} {unit} from {counted_from} on {start}.",
            start=full_date(verdict.start, language),
            **_limit_words(verdict, language),
        )
    ]
    if verdict.holidays_skipped:
        skipped = "; ".join(
            f"{holiday_name(name, language)} ({_holiday_day(day, language)})" for day, name in verdict.holidays_skipped
        )
        lines.append(say(language, "holidays_skipped", "Holidays not counted: {skipped}.", skipped=skipped))
    elif verdict.unit == "business_days":
        lines.append(say(language, "no_holidays", "No holidays fell in this period; weekends are not counted."))
    if disputed_line(verdict, language):
        lines.append(disputed_line(verdict, language))
    lines.extend(verdict.notes)
    if verdict.status == "exception_noted":
        lines.append(say(language, "about_exception", "About the exception: {exception}", exception=verdict.exception))
    if verdict.kind == "psychiatry":
        lines.append(
            say(
                language,
                "periodic_followup",
                "Regular follow-up visits, such as medication checks, may be booked further ahead when your "
                "treating provider decides that fits the standards of their field ({cite}).",
                cite=guidance.sources["sb_221_digest"].cite,
            )
        )
    lines.append(say(language, "the_rule", "The rule: {rule}", rule=verdict.rule))
    lines.append(source)
    lines.extend(coverage_lines(verdict, guidance, language))
    lines.append(not_advice)
    return lines


def explain(verdict: Verdict, guidance: Guidance | None = None, language: str = "en") -> str:
    """The whole answer: headline, counting with citations, next steps."""
    guidance = guidance or load_guidance()
    return "\n".join(
        [
            headline(verdict, language),
            *counting(verdict, guidance, language),
            next_steps_line(verdict, guidance, language),
        ]
    ).rstrip("\n")

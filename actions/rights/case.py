"""A patient's case: every appointment, cancellation, offer, call and filing on one timeline.

A Case is an immutable value: adding or correcting an event returns a new Case,
so the chat can keep it in a slot (case_to_dict / case_from_dict) and the
command line can build one from flags. The deadline of each appointment episode
comes from verdict.check(), counted from the right anchor: for a follow-up, the
last visit actually attended, however many cancellations came after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from .errors import InputError
from .explain import full_date, late_by, time_left
from .seeds import COVERAGE_KINDS, KINDS, Guidance, load_guidance
from .verdict import Verdict, check

EVENT_KINDS = ("requested", "attended", "call", "offered", "canceled", "filed", "decision")
CANCELED_BY = ("plan", "provider", "patient")
FILINGS = ("grievance", "dmhc_complaint", "imr")
CERTAINTIES = ("exact", "approximate")
# Which details each kind of event may carry (every event has id, kind, date, certainty, note).
DETAILS = {
    "requested": {"out_of_network"},
    "attended": set(),
    "call": {"who", "reference"},
    "offered": {"group"},
    "canceled": {"by"},
    "filed": {"filing", "expedited", "reference"},
    "decision": {"filing"},
}


@dataclass(frozen=True)
class Event:
    """One dated fact. For `offered` and `canceled` the date is the appointment's own date."""

    id: str
    kind: str
    date: dt.date
    certainty: str = "exact"
    note: str | None = None
    by: str | None = None  # canceled: plan, provider or patient (None: not said)
    group: bool | None = None  # offered: a group class rather than one-to-one (None: not said)
    who: str | None = None  # call: the person spoken to
    reference: str | None = None  # call or filing: reference or grievance number
    filing: str | None = None  # filed or decision: grievance, dmhc_complaint or imr
    expedited: bool = False  # filed: the patient asked for the expedited path
    out_of_network: bool = False  # requested: out-of-network care rather than an appointment

    def to_dict(self) -> dict:
        data = {"id": self.id, "kind": self.kind, "date": self.date.isoformat(), "certainty": self.certainty}
        defaults = {f.name: f.default for f in dataclasses.fields(self)}
        for name in ("note", *sorted(DETAILS[self.kind])):
            if getattr(self, name) != defaults[name]:  # False is kept where the default is None ("one-to-one")
                data[name] = getattr(self, name)
        return data


@dataclass(frozen=True)
class Case:
    kind: str = "followup"
    coverage: str = "dmhc"
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class Episode:
    """One appointment clock: from its anchor to the appointment that ended it (if any)."""

    anchor: Event
    events: tuple[Event, ...]
    verdict: Verdict
    counted: dt.date | None  # the appointment date judged against the deadline

    @property
    def met(self) -> bool | None:
        """True on time, False late or overdue, None while open or not judged."""
        return {"on_time": True, "late": False, "overdue": False}.get(self.verdict.status)


def _validated(event: Event) -> Event:
    if event.kind not in EVENT_KINDS:
        raise InputError(f"Unknown kind of event {event.kind!r}; choose one of {', '.join(EVENT_KINDS)}.")
    if not isinstance(event.date, dt.date) or isinstance(event.date, dt.datetime):
        raise InputError(f"An event needs a date, got {event.date!r}.")
    if event.certainty not in CERTAINTIES:
        raise InputError(f"Certainty must be one of {', '.join(CERTAINTIES)}, got {event.certainty!r}.")
    if event.by is not None and event.by not in CANCELED_BY:
        raise InputError(f"Canceled by must be one of {', '.join(CANCELED_BY)}, got {event.by!r}.")
    if event.kind in ("filed", "decision") and event.filing not in FILINGS:
        raise InputError(f"Say what was filed or decided: one of {', '.join(FILINGS)}.")
    defaults = Event("", event.kind, event.date)
    extra = [
        name
        for name in ("by", "group", "who", "reference", "filing", "expedited", "out_of_network")
        if getattr(event, name) != getattr(defaults, name) and name not in DETAILS[event.kind]
    ]
    if extra:
        raise InputError(f"An event of kind {event.kind!r} takes no {extra[0]!r}.")
    return event


def new_case(kind: str = "followup", coverage: str = "dmhc") -> Case:
    if kind not in KINDS:
        raise InputError(f"Unknown kind of appointment {kind!r}; choose one of {', '.join(KINDS)}.")
    if coverage not in COVERAGE_KINDS:
        raise InputError(f"Unknown coverage {coverage!r}; choose one of {', '.join(COVERAGE_KINDS)}.")
    return Case(kind=kind, coverage=coverage)


def add_event(case: Case, kind: str, date: dt.date, **details) -> Case:
    """A new Case with the event added; it gets the next free id (e1, e2, ...)."""
    number = max((int(e.id[1:]) for e in case.events), default=0) + 1
    event = _validated(Event(id=f"e{number}", kind=kind, date=date, **details))
    return dataclasses.replace(case, events=(*case.events, event))


def correct_event(case: Case, event_id: str, **changes) -> Case:
    """A new Case with one event's date or details changed (the patient corrected themselves)."""
    if "id" in changes:
        raise InputError("An event's id cannot be changed.")
    events = [_validated(dataclasses.replace(e, **changes)) if e.id == event_id else e for e in case.events]
    if events == list(case.events) and event_id not in {e.id for e in case.events}:
        raise InputError(f"No event {event_id!r} in this case.")
    return dataclasses.replace(case, events=tuple(events))


def remove_event(case: Case, event_id: str) -> Case:
    if event_id not in {e.id for e in case.events}:
        raise InputError(f"No event {event_id!r} in this case.")
    return dataclasses.replace(case, events=tuple(e for e in case.events if e.id != event_id))


def in_date_order(case: Case) -> list[Event]:
    """Date order; on one day, the visit before the calls, offers and cancellations that follow it."""
    return sorted(case.events, key=lambda e: (e.date, EVENT_KINDS.index(e.kind), int(e.id[1:])))


def _is_anchor(case: Case, event: Event) -> bool:
    if case.kind == "followup":
        return event.kind == "attended"
    return event.kind == "requested" and not event.out_of_network


def anchor(case: Case) -> Event | None:
    """What the current deadline counts from: the last attended visit (follow-up) or the last request."""
    anchors = [e for e in in_date_order(case) if _is_anchor(case, e)]
    return anchors[-1] if anchors else None


def _counted_appointment(events: list[Event]) -> dt.date | None:
    """The first appointment that counts: attended, or offered one-to-one and not canceled by the plan.

    An offer the patient canceled still counts (it was offered); a group class is
    listed but not counted, since the rules speak of an appointment with a provider.
    """
    plan_canceled = {e.date for e in events if e.kind == "canceled" and e.by in ("plan", "provider", None)}
    dates = [e.date for e in events if e.kind == "attended"]
    dates += [e.date for e in events if e.kind == "offered" and e.group is not True and e.date not in plan_canceled]
    dates += [e.date for e in events if e.kind == "canceled" and e.by == "patient"]
    return min(dates, default=None)


def episodes(case: Case, today: dt.date, guidance: Guidance | None = None) -> list[Episode]:
    """One episode per anchor, each with its verdict as of `today`. Raises InputError."""
    guidance = guidance or load_guidance()
    ordered = in_date_order(case)
    found = []
    for position, start in enumerate(ordered):
        if not _is_anchor(case, start):
            continue
        within = []
        for event in ordered[position + 1 :]:
            if _is_anchor(case, event) and case.kind == "followup":
                within.append(event)
                break
            if event.kind in ("offered", "canceled", "attended"):
                within.append(event)
                if event.kind == "attended":  # the request was served
                    break
        counted = _counted_appointment(within)
        canceled = [e.date for e in within if e.kind == "canceled" and e.by != "patient"]
        verdict = check(
            case.kind,
            start.date,
            offered=counted,
            canceled=canceled[-1] if canceled else None,
            today=today,
            coverage=case.coverage,
            guidance=guidance,
        )
        found.append(Episode(start, tuple(within), verdict, counted))
    return found


def current_verdict(case: Case, today: dt.date, guidance: Guidance | None = None) -> Verdict | None:
    """The verdict of the latest episode: what the patient is waiting for now."""
    found = episodes(case, today, guidance)
    return found[-1].verdict if found else None


# --- Words -----------------------------------------------------------------

VOICES = {"you": {"I": "You", "my": "your", "me": "you"}, "me": {"I": "I", "my": "my", "me": "me"}}
FILING_WORDS = {
    "grievance": "a grievance with the plan",
    "dmhc_complaint": "a complaint with the DMHC Help Center",
    "imr": "a request for an Independent Medical Review",
}
DECISION_WORDS = {
    "grievance": "The plan's written decision on the grievance",
    "dmhc_complaint": "The DMHC's answer to the complaint",
    "imr": "The Independent Medical Review decision",
}


def describe(event: Event, voice: str = "you") -> str:
    """One event in words, addressed to the patient ("you") or written as the patient ("me")."""
    w = VOICES[voice]
    if event.kind == "attended":
        text = f"{w['I']} attended an appointment"
    elif event.kind == "requested":
        text = f"{w['I']} asked the plan for " + ("out-of-network care" if event.out_of_network else "an appointment")
    elif event.kind == "canceled":
        who = {"plan": "the plan", "provider": "the provider", "patient": w["me"]}.get(event.by)
        text = f"{w['my'].capitalize()} appointment on this day was canceled" + (f" by {who}" if who else "")
    elif event.kind == "offered":
        form = {True: ", a group class (not counted as the appointment)", False: ", one-to-one"}.get(event.group, "")
        text = f"The plan offered {w['me']} an appointment on this day{form}"
    elif event.kind == "call":
        text = f"{w['I']} called the plan" + (f" and spoke with {event.who}" if event.who else "")
        text += f" (reference number {event.reference})" if event.reference else ""
    elif event.kind == "filed":
        text = f"{w['I']} filed {FILING_WORDS[event.filing]}" + (", expedited" if event.expedited else "")
        text += f" (reference number {event.reference})" if event.reference else ""
    else:
        text = DECISION_WORDS[event.filing]
    if event.note:
        text += f": {event.note}"
    return text + (" (date approximate)" if event.certainty == "approximate" else "")


def episode_outcome(episode: Episode) -> str:
    """'met: appointment on ...', 'missed: ... late', or 'open: ... left'."""
    verdict = episode.verdict
    if verdict.status == "on_time":
        return f"met (appointment on {full_date(episode.counted)})"
    if verdict.status == "late":
        return f"missed (first appointment on {full_date(episode.counted)}, {late_by(verdict)} late)"
    if verdict.status == "overdue":
        return f"missed (nothing offered yet, {late_by(verdict)} overdue)"
    if verdict.status == "pending":
        return f"open ({time_left(verdict)} left)"
    if verdict.status == "rule_does_not_apply":
        return "not judged under California's waiting-time rules for this coverage"
    return "a longer wait was noted by the provider"


def _deadline_line(episode: Episode, voice: str) -> str:
    after = "visit" if episode.anchor.kind == "attended" else "request"
    return (
        f"Deadline for an appointment after {VOICES[voice]['my']} {after} of {full_date(episode.anchor.date)}: "
        f"{episode_outcome(episode)}"
    )


def timeline_rows(
    case: Case, today: dt.date, voice: str = "you", guidance: Guidance | None = None
) -> list[tuple[dt.date, str]]:
    """Every event and every deadline, in date order: (date, words)."""
    rows = [(e.date, EVENT_KINDS.index(e.kind), describe(e, voice)) for e in case.events]
    rows += [
        (as_date(ep.verdict.deadline), len(EVENT_KINDS), _deadline_line(ep, voice))
        for ep in episodes(case, today, guidance)
    ]
    return [(day, words) for day, _, words in sorted(rows, key=lambda r: (r[0], r[1]))]


def as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def timeline_text(case: Case, today: dt.date, guidance: Guidance | None = None) -> str:
    """'Show my timeline': every event and deadline in date order, for the chat and the command line."""
    if not case.events:
        return "Your timeline is empty: tell me about an appointment, a cancellation or a call."
    guidance = guidance or load_guidance()
    label = guidance.standards[case.kind].in_my_words
    lines = [f"Your timeline ({label}), as of {full_date(today)}:"]
    lines += [f"- {full_date(day)}: {words}" for day, words in timeline_rows(case, today, "you", guidance)]
    return "\n".join(lines)


# --- Storage ---------------------------------------------------------------


def case_to_dict(case: Case) -> dict:
    """JSON-safe, for a Rasa slot or a file."""
    return {"kind": case.kind, "coverage": case.coverage, "events": [e.to_dict() for e in case.events]}


def case_from_dict(data: dict | None) -> Case:
    """The Case stored by case_to_dict (an empty follow-up case for None). Raises InputError."""
    if not data:
        return new_case()
    try:
        case = new_case(data.get("kind", "followup"), data.get("coverage", "dmhc"))
        events = []
        for item in data.get("events", []):
            fields = {k: v for k, v in item.items() if k != "date"}
            events.append(_validated(Event(date=dt.date.fromisoformat(item["date"]), **fields)))
    except (TypeError, KeyError, ValueError, AttributeError) as error:
        if isinstance(error, InputError):
            raise
        raise InputError(f"A stored case could not be read: {error}") from None
    return dataclasses.replace(case, events=tuple(events))

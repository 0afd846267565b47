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
from typing import Any

from care_clock.errors import InputError
from care_clock.facts import COVERAGE_KINDS, KINDS, Guidance, load_guidance
from care_clock.law.verdict import Verdict, check
from care_clock.writing.explain import full_date, late_by, time_left
from care_clock.writing.wording import SPANISH, Worded, spanish_phrases, unknown_choice

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
        raise InputError(unknown_choice("event_kind", "kind of event", event.kind, EVENT_KINDS))
    if not isinstance(event.date, dt.date) or isinstance(event.date, dt.datetime):
        raise InputError(f"An event needs a date, got {event.date!r}.")
    if event.certainty not in CERTAINTIES:
        english = "Certainty must be one of {choices}, got {value!r}."
        raise InputError(Worded("bad_certainty", english, choices=", ".join(CERTAINTIES), value=event.certainty))
    if event.by is not None and event.by not in CANCELED_BY:
        english = "Canceled by must be one of {choices}, got {value!r}."
        raise InputError(Worded("bad_canceled_by", english, choices=", ".join(CANCELED_BY), value=event.by))
    if event.kind in ("filed", "decision") and event.filing not in FILINGS:
        raise InputError(
            Worded("say_filing", "Say what was filed or decided: one of {choices}.", choices=", ".join(FILINGS))
        )
    defaults = Event("", event.kind, event.date)
    extra = [
        name
        for name in ("by", "group", "who", "reference", "filing", "expedited", "out_of_network")
        if getattr(event, name) != getattr(defaults, name) and name not in DETAILS[event.kind]
    ]
    if extra:
        english = "An event of kind {kind!r} takes no {detail!r}."
        raise InputError(Worded("event_takes_no", english, kind=event.kind, detail=extra[0]))
    return event


def new_case(kind: str = "followup", coverage: str = "dmhc") -> Case:
    if kind not in KINDS:
        raise InputError(unknown_choice("kind", "kind of appointment", kind, KINDS))
    if coverage not in COVERAGE_KINDS:
        raise InputError(unknown_choice("coverage", "coverage", coverage, COVERAGE_KINDS))
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


def episodes(case: Case, today: dt.date, guidance: Guidance | None = None, language: str = "en") -> list[Episode]:
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
            language=language,
        )
        found.append(Episode(start, tuple(within), verdict, counted))
    return found


def current_verdict(
    case: Case, today: dt.date, guidance: Guidance | None = None, language: str = "en"
) -> Verdict | None:
    """The verdict of the latest episode: what the patient is waiting for now."""
    found = episodes(case, today, guidance, language)
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


def _english_words(voice: str) -> dict:
    """The English of seeds/es/phrases.yml `case_words`, in one voice."""
    w = VOICES[voice]
    return {
        voice: {
            "attended": f"{w['I']} attended an appointment",
            "requested": f"{w['I']} asked the plan for {{what}}",
            "canceled": f"{w['my'].capitalize()} appointment on this day was canceled",
            "offered": f"The plan offered {w['me']} an appointment on this day{{form}}",
            "call": f"{w['I']} called the plan",
            "spoke": " and spoke with {who}",
            "filed": f"{w['I']} filed {{filing}}",
            "after_visit": f"{w['my']} visit",
            "after_request": f"{w['my']} request",
        },
        "out_of_network": "out-of-network care",
        "an_appointment": "an appointment",
        "by": " by {who}",
        "who": {"plan": "the plan", "provider": "the provider", "patient": w["me"], "patient_me": w["me"]},
        "group": ", a group class (not counted as the appointment)",
        "one_to_one": ", one-to-one",
        "expedited": ", expedited",
        "reference": " (reference number {reference})",
        "approximate": " (date approximate)",
        "filings": FILING_WORDS,
        "decisions": DECISION_WORDS,
        "deadline_line": "Deadline for an appointment after {after} of {date}: {outcome}",
        "met": "met (appointment on {date})",
        "missed_late": "missed (first appointment on {date}, {late_by} late)",
        "missed_overdue": "missed (nothing offered yet, {late_by} overdue)",
        "open": "open ({left} left)",
        "not_judged": "not judged under California's waiting-time rules for this coverage",
        "exception": "a longer wait was noted by the provider",
        "header": "Your timeline ({label}), as of {today}:",
        "empty": "Your timeline is empty: tell me about an appointment, a cancellation or a call.",
    }


def _words(voice: str, language: str) -> dict:
    return spanish_phrases()["case_words"] if language == SPANISH else _english_words(voice)


def describe(event: Event, voice: str = "you", language: str = "en") -> str:
    """One event in words, addressed to the patient ("you") or written as the patient ("me")."""
    words = _words(voice, language)
    said = words[voice]
    if event.kind in ("attended", "call"):
        text = said[event.kind]
        text += said["spoke"].format(who=event.who) if event.who else ""
        text += words["reference"].format(reference=event.reference) if event.reference else ""
    elif event.kind == "requested":
        text = said["requested"].format(what=words["out_of_network" if event.out_of_network else "an_appointment"])
    elif event.kind == "canceled":
        who = words["who"].get("patient_me" if event.by == "patient" and voice == "me" else event.by)
        text = said["canceled"] + (words["by"].format(who=who) if who else "")
    elif event.kind == "offered":
        forms: dict[bool | None, str] = {True: words["group"], False: words["one_to_one"]}
        form = forms.get(event.group, "")
        text = said["offered"].format(form=form)
    elif event.kind == "filed":
        text = said["filed"].format(filing=words["filings"][event.filing]) + (
            words["expedited"] if event.expedited else ""
        )
        text += words["reference"].format(reference=event.reference) if event.reference else ""
    else:
        text = words["decisions"][event.filing]
    if event.note:
        text += f": {event.note}"
    return text + (words["approximate"] if event.certainty == "approximate" else "")


def episode_outcome(episode: Episode, language: str = "en") -> str:
    """'met: appointment on ...', 'missed: ... late', or 'open: ... left'."""
    words, verdict = _words("you", language), episode.verdict
    day = episode.counted and full_date(episode.counted, language)
    outcomes: dict[str, tuple[str, dict[str, Any]]] = {
        "on_time": ("met", {"date": day}),
        "late": ("missed_late", {"date": day, "late_by": late_by(verdict, language)}),
        "overdue": ("missed_overdue", {"late_by": late_by(verdict, language)}),
        "pending": ("open", {"left": time_left(verdict, language)}),
        "rule_does_not_apply": ("not_judged", {}),
        "not_in_force": ("not_judged", {}),
    }
    key, values = outcomes.get(verdict.status, ("exception", {}))
    return words[key].format(**values)


def _deadline_line(episode: Episode, voice: str, language: str) -> str:
    words = _words(voice, language)
    after = words[voice]["after_visit" if episode.anchor.kind == "attended" else "after_request"]
    return words["deadline_line"].format(
        after=after, date=full_date(episode.anchor.date, language), outcome=episode_outcome(episode, language)
    )


def timeline_rows(
    case: Case, today: dt.date, voice: str = "you", guidance: Guidance | None = None, language: str = "en"
) -> list[tuple[dt.date, str]]:
    """Every event and every deadline, in date order: (date, words)."""
    rows = [(e.date, EVENT_KINDS.index(e.kind), describe(e, voice, language)) for e in case.events]
    rows += [
        (as_date(ep.verdict.deadline), len(EVENT_KINDS), _deadline_line(ep, voice, language))
        for ep in episodes(case, today, guidance, language)
    ]
    return [(day, words) for day, _, words in sorted(rows, key=lambda r: (r[0], r[1]))]


def as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def timeline_text(case: Case, today: dt.date, guidance: Guidance | None = None, language: str = "en") -> str:
    """'Show my timeline': every event and deadline in date order, for the chat and the command line.
    `guidance` is in `language` already (care_clock/writing/localize.py)."""
    words = _words("you", language)
    if not case.events:
        return words["empty"]
    guidance = guidance or load_guidance()
    label = guidance.standards[case.kind].in_my_words
    lines = [words["header"].format(label=label, today=full_date(today, language))]
    rows = timeline_rows(case, today, "you", guidance, language)
    lines += [f"- {full_date(day, language)}: {text}" for day, text in rows]
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

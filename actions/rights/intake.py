"""One turn of the appointment form: what the patient's message changes.

Pure: takes the message (text, intent, entities), the current slot values and
the slot the bot asked for; returns the slot changes and one-line problems to
show before asking again. The Rasa form action only passes these through.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .dates import DateMention, resolve, resolve_datetime
from .errors import InputError
from .reading import CANCELED, LAST_VISIT, OFFERED, REQUEST, read_message
from .seeds import KINDS, Guidance
from .verdict import validate_timeline

DATE_SLOTS = ("start_date", "canceled_date", "offered_date")
YES_NO_SLOTS = ("offered", "longer_wait_ok", "prior_auth")
ROLE_SLOTS = {LAST_VISIT: "start_date", REQUEST: "start_date", CANCELED: "canceled_date", OFFERED: "offered_date"}
# Intents that interrupt the form: the rules answer them, then the form goes on.
INTERRUPTIONS = {
    "crisis", "greet", "goodbye", "thank", "bot_challenge", "help", "out_of_scope", "start_over",
    "ask_out_of_network", "ask_followup_rule", "ask_wait_times", "ask_escalation",
    "ask_grievance", "ask_dmhc", "ask_strike", "delete_my_data",
}
UNREADABLE_DATE = 'I could not find a date in that. Please write it like "Oct 28", "10/28/2024" or "last Monday".'
NEED_YES_NO = "Please answer yes or no (the buttons work too)."
# An offered or canceled date with no anchor yet is looked for after this many days ago.
UNANCHORED_LOOKBACK = dt.timedelta(days=60)


@dataclass
class TurnResult:
    changes: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def required_slots(slots: dict[str, Any]) -> list[str]:
    """The questions to ask, in order, given what is known so far."""
    kind = slots.get("appointment_kind")
    needed = ["appointment_kind", "start_date"]
    if not slots.get("check_only") and kind != "urgent":
        needed.append("canceled_date")
    needed.append("offered")
    if slots.get("offered"):
        needed.append("offered_date")
    needed.append("prior_auth" if kind == "urgent" else "longer_wait_ok")
    return needed


def parse_slot_date(value: str | None) -> dt.date | dt.datetime | None:
    """Slots hold ISO text; urgent start dates carry a time."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)


def _kind_change(entities: list[dict], reading, current: str | None) -> str | None:
    """A new kind: from a button, a named kind, or (only when none is known) a guess."""
    for entity in entities:
        if entity.get("entity") == "appointment_kind" and entity.get("value") in KINDS:
            return entity["value"] if entity["value"] != current else None
    if reading.kind and reading.kind != current and (current is None or not reading.kind_inferred):
        return reading.kind
    return None


def _nearest_filled_slot(mention: DateMention, slots: dict, today: dt.date) -> str | None:
    """For "sorry, it was Oct 29": the date slot whose value is closest to the new date."""
    distances = []
    for slot in DATE_SLOTS:
        current = parse_slot_date(slots.get(slot))
        if current is None:
            continue
        try:
            candidate = resolve(mention, today, None if slot == "start_date" else _day(current) - UNANCHORED_LOOKBACK)
        except InputError:
            return None
        distances.append((abs((candidate - _day(current)).days), slot))
    return min(distances)[1] if distances else None


def _assign_dates(reading, slots: dict, requested: str | None, today: dt.date) -> dict[str, DateMention]:
    """Which date slot each mention in the message fills."""
    assigned = {ROLE_SLOTS[role]: mention for role, mention in reading.dates.items()}
    if reading.uncued:
        target = None
        if reading.correction:
            target = _nearest_filled_slot(reading.uncued[0], slots, today) or requested
        elif requested in DATE_SLOTS:
            target = requested
        elif requested == "offered":
            target = "offered_date"
        if target in DATE_SLOTS and target not in assigned:
            assigned[target] = reading.uncued[0]
    return assigned


def _resolve_dates(assigned, slots, kind, today, result: TurnResult) -> dict[str, str]:
    """ISO values for the assigned mentions; start first, the others anchored on it."""
    values = {}
    for slot in DATE_SLOTS:
        mention = assigned.get(slot)
        if mention is None:
            continue
        start = parse_slot_date(values.get("start_date") or slots.get("start_date"))
        anchor = None if slot == "start_date" else (start and _day(start)) or today - UNANCHORED_LOOKBACK
        try:
            if kind == "urgent" and slot != "canceled_date":
                values[slot] = resolve_datetime(mention, today, anchor).isoformat()
            else:
                values[slot] = resolve(mention, today, anchor).isoformat()
        except InputError as error:
            result.problems.append(str(error))
            result.changes[slot] = None
    return values


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _yes_no(intent: str | None, requested: str | None, slots: dict, changes: dict) -> None:
    if requested in YES_NO_SLOTS and intent in ("affirm", "deny"):
        changes[requested] = intent == "affirm"
    if changes.get("offered_date"):
        changes["offered"] = True
    if changes.get("offered") is False and slots.get("offered_date"):
        changes["offered_date"] = None


def _check_order(merged: dict, changed_dates: list[str], today: dt.datetime, result: TurnResult) -> None:
    kind = merged.get("appointment_kind")
    start = parse_slot_date(merged.get("start_date"))
    if not kind or start is None:
        return
    offered = parse_slot_date(merged.get("offered_date")) if merged.get("offered") else None
    canceled = parse_slot_date(merged.get("canceled_date"))
    try:
        validate_timeline(kind, start, offered, canceled and _day(canceled), today if kind == "urgent" else today.date())
    except InputError as error:
        result.problems.append(str(error))
        for slot in changed_dates:
            result.changes[slot] = None


def interpret(
    text: str,
    intent: str | None,
    entities: list[dict],
    slots: dict[str, Any],
    requested: str | None,
    now: dt.datetime,
    guidance: Guidance,
) -> TurnResult:
    """Slot changes and problems for one patient message."""
    result = TurnResult()
    if intent in INTERRUPTIONS:
        return result  # a rule answers first (crisis above all); the form then asks again
    reading = read_message(text or "", now, guidance)
    new_kind = _kind_change(entities, reading, slots.get("appointment_kind"))
    if new_kind:
        result.changes["appointment_kind"] = new_kind
    kind = new_kind or slots.get("appointment_kind")

    values = _resolve_dates(_assign_dates(reading, slots, requested, now.date()), slots, kind, now.date(), result)
    result.changes.update(values)
    _yes_no(intent, requested, slots, result.changes)
    if values:
        _check_order({**slots, **result.changes}, list(values), now, result)

    filled = requested is not None and result.changes.get(requested) is not None
    if requested and not filled and not result.problems and intent not in INTERRUPTIONS:
        if not any(v is not None for v in result.changes.values()):
            result.problems.append(UNREADABLE_DATE if requested in DATE_SLOTS else NEED_YES_NO)
            result.changes[requested] = None
    return result

"""The patient's timeline as the engine sees it: one value, real dates, the engine's own words.

The chat keeps it in slots and converts at one edge (actions/timeline_slots.py),
so nothing here knows how Rasa stores it. A fact's name is its field's name: a
question asks for one fact, and a fact the patient could not give is listed in
`unknown` so that it is not asked again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, overload

Moment = dt.date | dt.datetime

KIND, START, CANCELED = "kind", "start", "canceled"
OFFER_MADE, OFFER, OFFERED_AS, INDIVIDUAL = "offer_made", "offer", "offered_as", "individual"
PRIOR_AUTHORIZATION, LONGER_WAIT_APPROVED = "prior_authorization", "longer_wait_approved"
PLAN_NAME, JUST_CHECKING, UNKNOWN, ASKED = "plan_name", "just_checking", "unknown", "asked"
# An urgent request's hour, asked when only its day was told: the 48 or 96 hours count from it.
REQUEST_HOUR = "request_hour"
# The facts the appointment form asks for, one question each.
QUESTIONS = (
    KIND,
    START,
    REQUEST_HOUR,
    CANCELED,
    OFFER_MADE,
    OFFER,
    INDIVIDUAL,
    LONGER_WAIT_APPROVED,
    PRIOR_AUTHORIZATION,
)
DATE_FACTS = (START, CANCELED, OFFER)
YES_NO_FACTS = (OFFER_MADE, LONGER_WAIT_APPROVED, PRIOR_AUTHORIZATION, INDIVIDUAL)
# Without these there is no deadline.
REQUIRED_FACTS = (KIND, START)
# In `asked`: the kind was guessed from cue words ("my therapist canceled") and the patient told so.
KIND_GUESSED = "kind_guessed"


@dataclass(frozen=True)
class Timeline:
    kind: str | None = None
    # The day the clock counts from: the last visit attended (follow-up) or the request
    # (the others); an urgent request carries its time when the patient gave it.
    start: Moment | None = None
    request_hour: str | None = None  # "16:45" once an urgent request's hour was told (start then has it)
    canceled: Moment | None = None
    offer_made: bool | None = None  # whether the plan has offered a new date yet
    offer: Moment | None = None
    # What the offer was called when it is not plainly an appointment ("group class", "phone check-in").
    offered_as: str | None = None
    individual: bool | None = None  # the patient's answer: is the offer an individual appointment?
    prior_authorization: bool | None = None
    longer_wait_approved: bool | None = None
    plan_name: str | None = None
    just_checking: bool = False  # "is Dec 3 too late?": a what-if, not a report for the case
    unknown: frozenset[str] = frozenset()
    asked: Mapping[str, int] = field(default_factory=dict)  # how many times each question was asked

    def fact(self, name: str) -> Any:
        return getattr(self, name)

    def changed(self, changes: Mapping[str, Any]) -> Timeline:
        return dataclasses.replace(self, **changes)

    def counted_offer(self) -> Moment | None:
        """The offered date, unless it is a group class or a check-in rather than an appointment
        (or the patient has not said yet whether it is an individual one)."""
        if not self.offer_made or self.individual is False:
            return None
        if self.offered_as and self.individual is None:
            return None
        return self.offer

    def kind_guessed(self) -> bool:
        return bool(self.asked.get(KIND_GUESSED))

    def missing_required(self) -> bool:
        """A fact without which there is no deadline was given up as unknown."""
        return bool(self.unknown & set(REQUIRED_FACTS))


@overload
def day_of(value: Moment) -> dt.date: ...
@overload
def day_of(value: Moment | None) -> dt.date | None: ...
def day_of(value: Moment | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value

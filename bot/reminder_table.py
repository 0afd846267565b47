"""Pending reminders in a table of their own, beside the conversations' events.

Rasa keeps reminders as APScheduler jobs in memory, and their ReminderScheduled
events somewhere in a conversation's history. Finding them again after a restart
meant loading every stored conversation (issue 30: 10 s with 387 of them), and a
reminder set in an older session was not found at all. Here each pending reminder
is one row, written in the same transaction as the turn that set it and removed in
the same transaction as the turn that fired, canceled or restarted it, or the
erase of its conversation: the server's start reads this table only, and a
reminder that fired is never sent again.

The functional core is `replay` (which reminders are pending after some events);
the rest reads and writes rows inside a session the tracker store opened.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.constants import EXTERNAL_MESSAGE_PREFIX
from rasa.shared.core.events import Event, ReminderCancelled, ReminderScheduled, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

METADATA = sa.MetaData()
REMINDERS = sa.Table(
    "care_clock_reminders",
    METADATA,
    sa.Column("name", sa.String(255), primary_key=True),  # the reminder's name: Rasa's job id
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("trigger_at", sa.Float, nullable=False),  # when it is due, seconds since the epoch
    sa.Column("channel", sa.String(255)),  # the channel the patient last wrote on when it was set
    sa.Column("channel_metadata", sa.Text),  # JSON: how that channel addresses them (e.g. Slack's channel id)
    sa.Column("event", sa.Text, nullable=False),  # JSON: the ReminderScheduled event
)


@dataclass(frozen=True)
class Pending:
    """One reminder to schedule: whose, what, and where to send it."""

    sender_id: str
    reminder: ReminderScheduled
    trigger_at: float
    channel: str | None
    channel_metadata: dict[str, Any]


def _fired(event: Event) -> bool:
    """A reminder's own message (Rasa's external message), as opposed to a patient's."""
    return isinstance(event, UserUttered) and (event.text or "").startswith(EXTERNAL_MESSAGE_PREFIX)


def concerns_reminders(event: Event) -> bool:
    """Whether an event can set or end a reminder: the only turns that touch the table."""
    return isinstance(event, (ReminderScheduled, ReminderCancelled, Restarted)) or _fired(event)


def replay(
    pending: dict[str, ReminderScheduled], events: Iterable[Event], sender_id: str
) -> dict[str, ReminderScheduled]:
    """The reminders (by name) still pending after `events`: a new one with a name replaces the
    old (as Rasa's scheduler does); a cancellation, a restart of the conversation, or the
    reminder's own firing (an external message of its intent) ends it."""
    pending = dict(pending)
    for event in events:
        if isinstance(event, ReminderScheduled):
            pending[event.name] = event
        elif isinstance(event, Restarted):
            pending = {}
        elif isinstance(event, ReminderCancelled):
            pending = {
                name: reminder
                for name, reminder in pending.items()
                if not event.cancels_job_with_name(reminder.scheduled_job_name(sender_id), sender_id)
            }
        elif _fired(event):
            pending = {name: r for name, r in pending.items() if r.intent != event.intent_name}
    return pending


def _last_metadata(tracker: DialogueStateTracker, channel: str | None) -> dict[str, Any]:
    """The metadata of the patient's last message on that channel (e.g. Slack's channel id)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered) and event.input_channel == channel and event.metadata:
            return event.metadata
    return {}


def _as_reminder(event_json: str) -> ReminderScheduled:
    return Event.from_parameters(json.loads(event_json))


def _stored(session: Any, sender_id: str) -> dict[str, ReminderScheduled]:
    rows = session.execute(sa.select(REMINDERS.c.event).where(REMINDERS.c.sender_id == sender_id)).scalars()
    return {reminder.name: reminder for reminder in map(_as_reminder, rows)}


def record(session: Any, tracker: DialogueStateTracker, new_events: list[Event]) -> None:
    """Bring the sender's rows up to date with the turn's new events, in the turn's transaction.
    A turn with no reminder event costs nothing here."""
    if not any(concerns_reminders(event) for event in new_events):
        return
    sender_id = tracker.sender_id
    before = _stored(session, sender_id)
    after = replay(before, new_events, sender_id)
    gone = [name for name in before if name not in after]
    if gone:
        session.execute(REMINDERS.delete().where(REMINDERS.c.name.in_(gone)))
    channel = tracker.get_latest_input_channel()
    added = [
        {
            "name": name,
            "sender_id": sender_id,
            "trigger_at": reminder.trigger_date_time.timestamp(),
            "channel": channel,
            "channel_metadata": json.dumps(_last_metadata(tracker, channel)),
            "event": json.dumps(reminder.as_dict()),
        }
        for name, reminder in after.items()
        if before.get(name) is not reminder
    ]
    if added:
        # A name is one reminder across conversations too (Rasa's job id): the newest wins.
        session.execute(REMINDERS.delete().where(REMINDERS.c.name.in_([row["name"] for row in added])))
        session.execute(REMINDERS.insert(), added)


def forget(session: Any, sender_ids: list[str]) -> None:
    """Remove every reminder of these conversations (their patients' data is being erased)."""
    for start in range(0, len(sender_ids), 500):  # keeps each IN (...) list small
        session.execute(REMINDERS.delete().where(REMINDERS.c.sender_id.in_(sender_ids[start : start + 500])))


def drop(session: Any, name: str) -> None:
    """Remove one reminder that will not be sent (Rasa found it canceled by the patient's writing)."""
    session.execute(REMINDERS.delete().where(REMINDERS.c.name == name))


def count(session: Any, sender_ids: list[str]) -> int:
    """How many reminders these conversations still have (an erase checks it is none)."""
    query = sa.select(sa.func.count()).select_from(REMINDERS)
    return sum(
        session.execute(query.where(REMINDERS.c.sender_id.in_(sender_ids[start : start + 500]))).scalar_one()
        for start in range(0, len(sender_ids), 500)
    )


def every_pending(session: Any) -> list[Pending]:
    """Every row, soonest first."""
    rows = session.execute(sa.select(REMINDERS).order_by(REMINDERS.c.trigger_at)).mappings()
    return [
        Pending(
            sender_id=row["sender_id"],
            reminder=_as_reminder(row["event"]),
            trigger_at=row["trigger_at"],
            channel=row["channel"],
            channel_metadata=json.loads(row["channel_metadata"] or "{}"),
        )
        for row in rows
    ]


def create(engine: sa.engine.Engine, events: sa.Table, session_scope, full_tracker) -> None:
    """Create the table if it is missing, and adopt the reminders still pending in the events
    of the conversations that set one (those of a server that ran without the table).
    `session_scope()` opens a session; `full_tracker(sender_id)` loads a whole conversation."""
    if sa.inspect(engine).has_table(REMINDERS.name):
        return
    METADATA.create_all(engine)
    with session_scope() as session:
        setters = list(
            session.execute(
                sa.select(events.c.sender_id).where(events.c.type_name == ReminderScheduled.type_name).distinct()
            ).scalars()
        )
    for sender_id in setters:
        tracker = full_tracker(sender_id)
        if tracker is not None:
            with session_scope() as session:
                record(session, tracker, list(tracker.events))
                session.commit()
    with session_scope() as session:
        adopted = session.execute(sa.select(sa.func.count()).select_from(REMINDERS)).scalar_one()
    if adopted:
        logger.info("Moved %d pending reminder(s) from the conversations into their own table", adopted)

"""Where conversations are kept: Rasa's SQL tracker store, plus what patients are owed.

- The database is CARE_CLOCK_DATABASE_URL when set (e.g. PostgreSQL), otherwise
  the SQLite file named in bot/endpoints.yml (var/tracker.db by default).
- A conversation whose patient confirmed "delete my data" is erased instead of
  saved: the confirmation reply (ERASE_REPLY) is the signal.
- erase_older_than(days) backs the retention command (bot/retention.py).
- SQLite runs in write-ahead-log mode over pooled connections: a turn's commit
  no longer waits for the disk, and a killed server still loses nothing it
  committed.
- The count of a conversation's stored events is remembered between a turn's
  load and its save. In scaled mode (CARE_CLOCK_REDIS_URL set) other servers
  append to the same conversations, so a count is trusted only within the turn
  that read it: every turn loads the conversation under its Redis lock before
  saving, and a count older than the lock's lifetime (TICKET_LOCK_LIFETIME) is
  counted again in the database, as Rasa does (6 ms a save on PostgreSQL).
- Loading a conversation runs Rasa's own query, built once as a plain SQL
  statement that reads only the event data: Rasa's ORM query was rebuilt and
  mapped to objects on every turn (a sixth of the server's CPU, bench/README.md).
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import time
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Tuple

import sqlalchemy as sa
from rasa.core.lock_store import LOCK_LIFETIME
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.core.trackers import DialogueStateTracker

from bot.lock_store import REDIS_URL_ENV

logger = logging.getLogger(__name__)

DATABASE_URL_ENV = "CARE_CLOCK_DATABASE_URL"
ERASE_REPLY = "utter_conversation_erased"
SECONDS_PER_DAY = 86400
REMEMBERED_COUNTS = 10_000  # senders whose stored-event count is kept between a save and the next load


def erase_requested(tracker: DialogueStateTracker) -> bool:
    """Whether the bot confirmed erasing this conversation since the patient last wrote."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_REPLY:
            return True
    return False


def event_row(sender_id: str, event: Event) -> Dict[str, Any]:
    """One row of Rasa's events table, filled exactly as SQLTrackerStore.save fills it."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _tune_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def event_data_queries(events: sa.Table) -> Tuple[Any, Any]:
    """The event data of one sender (bound as :sender_id), in order: (latest session, all sessions).

    The same rows as SQLTrackerStore._event_query: the latest session is every
    event at or after the last session_started event, or all of them if none.
    """
    sender = sa.bindparam("sender_id")
    session_start = (
        sa.select(sa.func.max(events.c.timestamp))
        .where(events.c.sender_id == sender, events.c.type_name == SessionStarted.type_name)
        .scalar_subquery()
    )
    every = sa.select(events.c.data).where(events.c.sender_id == sender).order_by(events.c.id)
    latest = every.where(sa.or_(events.c.timestamp >= session_start, session_start.is_(None)))
    return latest, every


class CareClockTrackerStore(SQLTrackerStore):
    def __init__(self, domain=None, host: Optional[str] = None, **kwargs: Any) -> None:
        url = os.environ.get(DATABASE_URL_ENV, "").strip()
        if url:
            kwargs.pop("dialect", None)
        super().__init__(domain=domain, host=url or host, **kwargs)
        self._stored_counts: "OrderedDict[str, Tuple[int, float]]" = OrderedDict()  # sender -> (count, when)
        # Seconds a remembered count stays true: for ever for the one writer;
        # in scaled mode, the turn that read it (bounded by the lock's lifetime).
        self._count_lifetime = float(LOCK_LIFETIME) if os.environ.get(REDIS_URL_ENV, "").strip() else float("inf")
        self._latest_session_query, self._all_sessions_query = event_data_queries(self.SQLEvent.__table__)
        if self.engine.dialect.name == "sqlite":
            # Rasa opens a new SQLite connection for every read and write (two a
            # turn); a pool keeps them open. Every connection gets the WAL settings.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _tune_sqlite)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        logger.info("Conversations are kept in a %s database", self.engine.dialect.name)

    def _event_data(self, sender_id: str, all_sessions: bool) -> List[Dict[str, Any]]:
        query = self._all_sessions_query if all_sessions else self._latest_session_query
        with self.session_scope() as session:
            return [json.loads(data) for data in session.execute(query, {"sender_id": sender_id}).scalars()]

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        events = self._event_data(sender_id, fetch_events_from_all_sessions)
        if not (self.domain and events):
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        tracker = await super().retrieve(sender_id)
        # The turn's save needs to know how many of these events are stored
        # already: remember it instead of counting them again in the database.
        self._remember_count(sender_id, len(tracker.events) if tracker else 0)
        return tracker

    def _remember_count(self, sender_id: str, stored: int) -> None:
        self._stored_counts[sender_id] = (stored, time.monotonic())
        self._stored_counts.move_to_end(sender_id)
        if len(self._stored_counts) > REMEMBERED_COUNTS:
            self._stored_counts.popitem(last=False)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker):
        stored, when = self._stored_counts.get(tracker.sender_id, (None, 0.0))
        if stored is None or stored > len(tracker.events) or time.monotonic() - when > self._count_lifetime:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save, with the new events written in one statement instead of one ORM object each."""
        if erase_requested(tracker):
            self._stored_counts.pop(tracker.sender_id, None)
            self.erase(tracker.sender_id)
            return
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [event_row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
        # A new conversation is saved twice in its first turn (created, then
        # answered): the second save need not count what the first wrote.
        self._remember_count(tracker.sender_id, len(tracker.events))

    def erase(self, sender_id: str) -> int:
        """Delete every event of one conversation; returns how many were deleted."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        logger.info("Erased a conversation at the patient's request (%d events)", deleted)
        return deleted

    def erase_older_than(self, days: float, now: Optional[float] = None) -> Tuple[int, int]:
        """Delete conversations with no event in the last `days` days.

        Returns (conversations, events) deleted.
        """
        cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
        event = self.SQLEvent
        with self.session_scope() as session:
            stale = (
                session.query(event.sender_id)
                .group_by(event.sender_id)
                .having(sa.func.max(event.timestamp) < cutoff)
            )
            senders = [sender for (sender,) in stale.all()]
            deleted = 0
            for start in range(0, len(senders), 500):  # keeps each IN (...) list small
                deleted += (
                    session.query(event)
                    .filter(event.sender_id.in_(senders[start:start + 500]))
                    .delete(synchronize_session=False)
                )
            session.commit()
        return len(senders), deleted

"""Where conversations are kept: Rasa's SQL tracker store, plus what patients are owed.

- The database is CARE_CLOCK_DATABASE_URL when set (e.g. PostgreSQL), otherwise
  the SQLite file named in bot/endpoints.yml (var/tracker.db by default).
- A conversation whose patient confirmed "delete my data" is erased instead of
  saved: the confirmation reply (ERASE_REPLY) is the signal.
- erase_older_than(days) backs the retention command (bot/retention.py).
- SQLite keeps a rollback journal (TRUNCATE) and maps nothing into memory
  (mmap_size=0), over pooled connections: a killed server loses nothing it
  committed. Not write-ahead logging: its shared index (`-shm`) is always
  memory-mapped, and a write to a mapped page of a file made immutable or
  read-only kills the whole process with SIGBUS (2 crashes in 3 runs with 8
  writers); WAL also kept failing for seconds after the fault cleared, because
  every connection of the process shares one read-only mapping opened during
  the fault. With the journal, the same runs never crash and recover at once.
  A commit costs about 1 ms more (two fsyncs).
- The count of a conversation's stored events is remembered between a turn's
  load and its save. In scaled mode (CARE_CLOCK_REDIS_URL set) other servers
  append to the same conversations, so a count is trusted only within the turn
  that read it: every turn loads the conversation under its Redis lock before
  saving, and a count older than the lock's lifetime (TICKET_LOCK_LIFETIME) is
  counted again in the database, as Rasa does (6 ms a save on PostgreSQL).
- The tracker a turn saved is kept in memory for the next turn while the
  database still holds exactly that (bot/kept_trackers.py; not in scaled mode).
- Loading a conversation runs Rasa's own query, built once as a plain SQL
  statement that reads only the event data: Rasa's ORM query was rebuilt and
  mapped to objects on every turn (a sixth of the server's CPU, bench/README.md).
- Faults are loud and waits are bounded: every database call runs in a worker
  thread (a locked or slow database holds up only the turns that need it, not
  the server), reads and writes in pools of their own (a read never queues
  behind writes waiting for a lock), and each call has DATABASE_WAIT_SECONDS in
  all to get a thread, a connection and SQLite's lock; a call whose time ran
  out while it queued fails without trying. So a database locked by another
  process for 10 s gets every patient "not saved" within about a second, not
  in waves of 3 s behind each other. Any
  failure is raised as StorageFailed, which the server answers by telling the
  patient the message was not saved (bot/patches/storage_faults.py). SQLite is
  opened read-write without creating, and a connection whose file was deleted
  or replaced is not used, so nothing is written where no one will find it.
- Pending reminders have a table of their own (bot/reminder_table.py), kept in
  the same transaction as the turn that set, fired or canceled them and the
  erase of their conversation: the server's start reads only that table.
- An erase is reported only after a count shows the rows gone (its reminders'
  too), and it leaves no text on disk: SQLite overwrites deleted content
  (secure_delete), the journal is truncated at each commit, and a write-ahead log
  left by an older version is checkpointed and truncated; otherwise EraseFailed.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa
from rasa.core.lock_store import LOCK_LIFETIME
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot import reminder_table, reminders
from bot.kept_trackers import KeptTrackers, Stored
from bot.lock_store import REDIS_URL_ENV

logger = logging.getLogger(__name__)

DATABASE_URL_ENV = "CARE_CLOCK_DATABASE_URL"
ERASE_REPLY = "utter_conversation_erased"
SECONDS_PER_DAY = 86400
REMEMBERED_COUNTS = 10_000  # senders whose stored-event count is kept between a save and the next load
DATABASE_WAIT_SECONDS = 1.0  # the longest a database call waits (thread, connection, lock) before "not saved"
READ_THREADS = 8  # loads: quick, never blocked by a writer (rollback journal: only while one commits)
# Writes: SQLite takes one writer at a time, so more threads would only wait on
# its lock (and hold connections); PostgreSQL takes several.
WRITE_THREADS = {"sqlite": 1}
OTHER_WRITE_THREADS = 4
CHECKPOINT_ATTEMPTS = 20  # an erase retries the WAL truncation while other turns are reading
STORAGE_ERRORS = (sa.exc.SQLAlchemyError, sqlite3.Error, OSError)


class StorageFailed(RasaException):
    """The database did not read or store this turn (locked, read-only, full, gone)."""


class EraseFailed(StorageFailed):
    """A conversation the patient asked to delete may still be on disk."""


def erase_requested(tracker: DialogueStateTracker) -> bool:
    """Whether the bot confirmed erasing this conversation since the patient last wrote."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_REPLY:
            return True
    return False


def event_row(sender_id: str, event: Event) -> dict[str, Any]:
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


_call = threading.local()  # the deadline of the database call this worker thread runs


def _tune_sqlite(connection: Any, record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=TRUNCATE")  # no memory-mapped `-shm` (see the module's docstring)
    cursor.execute("PRAGMA mmap_size=0")  # nor a memory-mapped database file
    cursor.execute("PRAGMA synchronous=FULL")  # a rollback journal needs it to survive a power loss
    cursor.execute("PRAGMA secure_delete=ON")  # deleted text is overwritten, not left in free pages
    database = cursor.execute("PRAGMA database_list").fetchone()[2]
    cursor.close()
    record.info["file"] = _file_identity(database)


def _file_identity(path: str) -> tuple[int, int, bool] | None:
    """Which file a path names now, and whether it may be written."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino, os.access(path, os.W_OK)


def _refuse_moved_file(connection: Any, record: Any, _proxy: Any) -> None:
    """A pooled connection to a file that was deleted, replaced or made read-only
    since it was opened would write where no one reads, or keep writing what should
    fail: drop it. The pool then reopens the path, which fails if it is gone, or
    opens it read-only so that every write fails. A connection opened while the
    file was read-only is dropped the same way once it is writable again."""
    database = connection.execute("PRAGMA database_list").fetchone()[2]
    if record.info.get("file") != _file_identity(database):
        raise sa.exc.DisconnectionError("the SQLite file was deleted, replaced or made read-only")
    connection.execute(f"PRAGMA busy_timeout={int(_seconds_left() * 1000)}")


def _seconds_left() -> float:
    """What is left of this thread's call's time (all of it outside a call, e.g. `make forget`)."""
    deadline = getattr(_call, "deadline", None)
    return DATABASE_WAIT_SECONDS if deadline is None else max(deadline - time.monotonic(), 0.0)


def _within(deadline: float, call, *args: Any) -> Any:
    """Run a database call in a worker thread, unless its time ran out while it queued."""
    if deadline <= time.monotonic():
        raise StorageFailed(f"the database was busy for {DATABASE_WAIT_SECONDS:g} s")
    _call.deadline = deadline
    try:
        return call(*args)
    finally:
        _call.deadline = None


def sqlite_engine(path: str) -> sa.engine.Engine:
    """Pooled, journaled connections to an existing file (never creating one): one
    for each worker thread, and a bounded wait for one."""

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=_seconds_left(), check_same_thread=False)

    engine = sa.create_engine(
        f"sqlite:///{path}",
        creator=connect,
        poolclass=sa.pool.QueuePool,
        pool_size=READ_THREADS + WRITE_THREADS["sqlite"] + 1,  # the threads, and `make forget` or a test beside them
        pool_timeout=DATABASE_WAIT_SECONDS,
    )
    sa.event.listen(engine, "connect", _tune_sqlite)
    sa.event.listen(engine, "checkout", _refuse_moved_file)
    return engine


def event_data_queries(events: sa.Table) -> tuple[Any, Any, Any]:
    """The event data of one sender (bound as :sender_id), in order: (latest session, all sessions),
    and what is stored of the latest session (newest row id, latest time, number of events).

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
    in_latest = sa.or_(events.c.timestamp >= session_start, session_start.is_(None))
    stored = sa.select(sa.func.max(events.c.id), sa.func.max(events.c.timestamp), sa.func.count()).where(
        events.c.sender_id == sender, in_latest
    )
    return every.where(in_latest), every, stored


class CareClockTrackerStore(SQLTrackerStore):
    def __init__(self, domain=None, host: str | None = None, **kwargs: Any) -> None:
        url = os.environ.get(DATABASE_URL_ENV, "").strip()
        if url:
            kwargs.pop("dialect", None)
        super().__init__(domain=domain, host=url or host, **kwargs)
        self._stored_counts: "OrderedDict[str, tuple[int, float]]" = OrderedDict()  # sender -> (count, when)
        # Seconds a remembered count stays true: for ever for the one writer;
        # in scaled mode, the turn that read it (bounded by the lock's lifetime).
        self._count_lifetime = float(LOCK_LIFETIME) if os.environ.get(REDIS_URL_ENV, "").strip() else float("inf")
        queries = event_data_queries(self.SQLEvent.__table__)
        self._latest_session_query, self._all_sessions_query, self._stored_query = queries
        # The tracker each turn saved, for the next turn (bot/kept_trackers.py): not in scaled
        # mode, where other servers write the same conversations.
        self._kept = None if os.environ.get(REDIS_URL_ENV, "").strip() else KeptTrackers()
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            # (an in-memory database, as a probe uses, keeps Rasa's own engine: there is no file to pool)
            # Rasa opens a new SQLite connection for every read and write (two a
            # turn); a pool keeps them open. Every connection gets the journal settings.
            path = os.path.abspath(self.engine.url.database)
            self.engine.dispose()
            self.engine = sqlite_engine(path)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        dialect = self.engine.dialect.name
        self._readers = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="database-read")
        self._writers = ThreadPoolExecutor(
            WRITE_THREADS.get(dialect, OTHER_WRITE_THREADS), thread_name_prefix="database-write"
        )
        reminder_table.create(self.engine, self.SQLEvent.__table__, self.session_scope, self._full_tracker)
        logger.info("Conversations are kept in a %s database", dialect)

    async def _in_thread(self, what: str, call, *args: Any, write: bool = True) -> Any:
        """Run one database call in a worker thread of its kind, within DATABASE_WAIT_SECONDS
        of waiting; any failure is StorageFailed."""
        deadline = time.monotonic() + DATABASE_WAIT_SECONDS
        work = functools.partial(_within, deadline, call, *args)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._writers if write else self._readers, work)
        except StorageFailed:
            raise
        except STORAGE_ERRORS as error:
            raise StorageFailed(f"could not {what}: {type(error).__name__}: {error}") from error

    def _event_data(self, sender_id: str, all_sessions: bool) -> list[dict[str, Any]]:
        query = self._all_sessions_query if all_sessions else self._latest_session_query
        with self.session_scope() as session:
            return [json.loads(data) for data in session.execute(query, {"sender_id": sender_id}).scalars()]

    def _stored(self, sender_id: str, session: Any = None) -> Stored:
        if session is None:
            with self.session_scope() as session:
                return self._stored(sender_id, session)
        return Stored(*session.execute(self._stored_query, {"sender_id": sender_id}).one())

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        if not fetch_events_from_all_sessions and self._kept is not None and self._kept.waiting(sender_id):
            stored = await self._in_thread("check a conversation", self._stored, sender_id)
            kept = self._kept.take(sender_id, stored)
            if kept is not None:
                return kept
        events = await self._in_thread(
            "load a conversation", self._event_data, sender_id, fetch_events_from_all_sessions, write=False
        )
        return self._tracker(sender_id, events)

    def _tracker(self, sender_id: str, events: list[dict[str, Any]]) -> DialogueStateTracker | None:
        if not (self.domain and events):
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def _full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        return self._tracker(sender_id, self._event_data(sender_id, all_sessions=True))

    async def pending_reminders(self) -> list[reminder_table.Pending]:
        """Every reminder set and not yet fired, canceled or erased: one read of their table."""
        return await self._in_thread("read the pending reminders", self._read_reminders)

    def _read_reminders(self) -> list[reminder_table.Pending]:
        with self.session_scope() as session:
            return reminder_table.every_pending(session)

    async def drop_reminder(self, name: str) -> None:
        """Forget a reminder that will not be sent."""
        await self._in_thread("drop a reminder", self._drop_reminder, name)

    def _drop_reminder(self, name: str) -> None:
        with self.session_scope() as session:
            reminder_table.drop(session, name)
            session.commit()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
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
        if self._kept is not None:
            self._kept.forget(tracker.sender_id)  # kept again below only once this turn is stored
        if erase_requested(tracker):
            self._stored_counts.pop(tracker.sender_id, None)
            await self._in_thread("erase a conversation", self.erase, tracker.sender_id)
            await reminders.forget(tracker.sender_id)
            return
        await self.stream_events(tracker)
        stored = await self._in_thread("save a turn", self._insert_new_events, tracker)
        if self._kept is not None:
            self._kept.keep(tracker, stored)
        # A new conversation is saved twice in its first turn (created, then
        # answered): the second save need not count what the first wrote.
        self._remember_count(tracker.sender_id, len(tracker.events))

    def _insert_new_events(self, tracker: DialogueStateTracker) -> Stored:
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            if new_events:
                session.execute(
                    self.SQLEvent.__table__.insert(), [event_row(tracker.sender_id, event) for event in new_events]
                )
            reminder_table.record(session, tracker, new_events)
            stored = self._stored(tracker.sender_id, session)
            session.commit()
        return stored

    def erase(self, sender_id: str) -> int:
        """Delete every event of one conversation and wipe it from disk; returns how many
        were deleted. Raises EraseFailed unless a count shows them gone."""
        try:
            with self.session_scope() as session:
                rows = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id)
                deleted = rows.delete(synchronize_session=False)
                reminder_table.forget(session, [sender_id])
                session.commit()
                left = rows.count() + reminder_table.count(session, [sender_id])
            if left:
                raise EraseFailed(f"{left} event(s) still stored after the delete")
            self.wipe_deleted_text()
        except STORAGE_ERRORS as error:
            raise EraseFailed(f"could not erase a conversation: {type(error).__name__}") from error
        logger.info("Erased a conversation at the patient's request (%d events)", deleted)
        return deleted

    def wipe_deleted_text(self) -> None:
        """Move a write-ahead log, if the file still has one (a database another program
        kept in WAL mode), into the file and empty it, so deleted text is nowhere on
        disk (secure_delete zeroes it in the file). SQLite only; a no-op with a journal."""
        if self.engine.dialect.name != "sqlite":
            return
        for _attempt in range(CHECKPOINT_ATTEMPTS):
            with self.engine.connect() as connection:
                busy, _log, _moved = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            time.sleep(0.05)  # another turn was reading; its snapshot still needs the log
        raise EraseFailed("the write-ahead log could not be emptied (the database stayed busy)")

    def erase_older_than(self, days: float, now: float | None = None) -> tuple[int, int]:
        """Delete conversations with no event in the last `days` days.

        Returns (conversations, events) deleted.
        """
        cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
        event = self.SQLEvent
        try:
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
                        .filter(event.sender_id.in_(senders[start : start + 500]))
                        .delete(synchronize_session=False)
                    )
                reminder_table.forget(session, senders)
                session.commit()
                if stale.count() or reminder_table.count(session, senders):
                    raise EraseFailed("stale conversations still stored after the delete")
            self.wipe_deleted_text()
        except STORAGE_ERRORS as error:
            raise EraseFailed(f"could not erase old conversations: {type(error).__name__}: {error}") from error
        return len(senders), deleted

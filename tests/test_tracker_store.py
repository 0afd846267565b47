"""The tracker store: erase on confirmed request, retention by age, SQLite tuned, database URL from the environment."""

import asyncio
import sqlite3
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import ERASE_REPLY, CareClockTrackerStore, erase_requested


def save(store, tracker_):
    asyncio.run(store.save(tracker_))


def tracker(sender, *events):
    return DialogueStateTracker.from_events(sender, list(events))


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("CARE_CLOCK_DATABASE_URL", raising=False)
    return CareClockTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))


def count(path, sender):
    with sqlite3.connect(path) as db:
        return db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def test_erase_is_requested_only_by_the_confirmation_since_the_last_message():
    confirmed = tracker("a", UserUttered("yes"), ActionExecuted(ERASE_REPLY), ActionExecuted("action_listen"))
    assert erase_requested(confirmed)
    later = tracker("a", ActionExecuted(ERASE_REPLY), UserUttered("hello again"), ActionExecuted("utter_greet"))
    assert not erase_requested(later)
    assert not erase_requested(tracker("a", UserUttered("delete my data"), ActionExecuted("utter_confirm_erase")))


def test_saving_a_confirmed_erase_deletes_the_conversation(store, tmp_path):
    save(store, tracker("p1", UserUttered("my dates"), BotUttered("noted")))
    save(store, tracker("p2", UserUttered("other patient")))
    assert count(tmp_path / "t.db", "p1") == 2
    save(
        store,
        tracker("p1", UserUttered("my dates"), BotUttered("noted"), UserUttered("yes"), ActionExecuted(ERASE_REPLY)),
    )
    assert count(tmp_path / "t.db", "p1") == 0
    assert count(tmp_path / "t.db", "p2") == 1


def test_retention_keeps_conversations_with_recent_activity(store, tmp_path):
    now = time.time()
    save(store, tracker("stale", UserUttered("a", timestamp=now - 40 * 86400)))
    save(store, tracker("mixed", UserUttered("a", timestamp=now - 40 * 86400), UserUttered("b", timestamp=now - 86400)))
    save(store, tracker("fresh", UserUttered("a", timestamp=now)))
    assert store.erase_older_than(30, now=now) == (1, 1)
    assert [count(tmp_path / "t.db", s) for s in ("stale", "mixed", "fresh")] == [0, 2, 1]
    assert store.erase_older_than(0, now=now + 1) == (2, 3)


def test_sqlite_maps_nothing_into_memory(tmp_path, monkeypatch):
    """Issue 30: WAL's memory-mapped -shm crashed the server with SIGBUS when the file was made
    immutable. A database left in WAL mode by an older version is switched to the journal."""
    monkeypatch.delenv("CARE_CLOCK_DATABASE_URL", raising=False)
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.execute("PRAGMA journal_mode=WAL")
    store = CareClockTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))
    save(store, tracker("p", UserUttered("one")))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "truncate"
        assert connection.exec_driver_sql("PRAGMA mmap_size").scalar() == 0
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert not (tmp_path / "old.db-shm").exists()


def test_database_url_from_the_environment_wins(tmp_path, monkeypatch):
    target = tmp_path / "from-url.db"
    monkeypatch.setenv("CARE_CLOCK_DATABASE_URL", f"sqlite:///{target}")
    store = CareClockTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "ignored.db"))
    assert store.engine.url.database == str(target)
    assert target.exists() and not (tmp_path / "ignored.db").exists()


def test_a_retrieved_conversation_saves_only_its_new_events(store, tmp_path):
    save(store, tracker("p", UserUttered("one"), BotUttered("a")))
    loaded = asyncio.run(store.retrieve("p"))
    loaded.update(UserUttered("two"))
    save(store, loaded)
    again = asyncio.run(store.retrieve("p"))
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["one", "two"]
    assert count(tmp_path / "t.db", "p") == 3


def test_rows_are_written_as_rasas_own_store_writes_them(store, tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore

    rasas = SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "rasa.db"))
    conversation = tracker(
        "p",
        UserUttered("hi", intent={"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"),
        BotUttered("hello"),
    )
    save(store, conversation)
    save(rasas, conversation)
    query = "select sender_id, type_name, timestamp, intent_name, action_name, data from events order by id"
    with sqlite3.connect(tmp_path / "t.db") as ours, sqlite3.connect(tmp_path / "rasa.db") as theirs:
        assert ours.execute(query).fetchall() == theirs.execute(query).fetchall()


def two_sessions(sender):
    """A conversation that restarted: events before and after a second session_started."""
    from rasa.shared.core.events import SessionStarted

    return tracker(
        sender,
        ActionExecuted("action_session_start", timestamp=1),
        SessionStarted(timestamp=2),
        UserUttered("old news", timestamp=3),
        BotUttered("old answer", timestamp=4),
        ActionExecuted("action_session_start", timestamp=10),
        SessionStarted(timestamp=11),
        UserUttered("my dates", timestamp=12),
        BotUttered("noted", timestamp=13),
    )


def events_of(loaded):
    return loaded and [event.as_dict() for event in loaded.events]


def test_conversations_load_as_rasas_own_store_loads_them(store, tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore

    rasas = SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    save(store, two_sessions("restarted"))
    save(store, tracker("one-session", UserUttered("hi"), BotUttered("hello")))
    for sender in ("restarted", "one-session", "nobody"):
        for load in ("retrieve", "retrieve_full_tracker"):
            ours, theirs = (asyncio.run(getattr(s, load)(sender)) for s in (store, rasas))
            assert events_of(ours) == events_of(theirs), (sender, load)
    latest = asyncio.run(store.retrieve("restarted"))
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["my dates"]


def test_a_new_conversation_saved_twice_in_its_first_turn_is_stored_once(store, tmp_path):
    conversation = asyncio.run(store.get_or_create_tracker("new"))  # saved once on creation
    conversation.update(UserUttered("hi"))
    conversation.update(BotUttered("hello"))
    save(store, conversation)
    save(store, conversation)
    assert count(tmp_path / "t.db", "new") == len(conversation.events) == 3


def test_the_next_turn_gets_the_saved_tracker_only_while_the_database_holds_it(store, tmp_path):
    """Issue 30: a turn no longer reloads its whole session from the database, but never gets
    what the database no longer holds (another process deleted or wrote rows) or was not saved."""
    first = tracker("p", UserUttered("one"), BotUttered("a"))
    save(store, first)
    assert asyncio.run(store.retrieve("p")) is first  # kept: nothing read again

    first.update(UserUttered("two"))
    save(store, first)
    with sqlite3.connect(tmp_path / "t.db") as db:  # e.g. `make forget` in another process
        db.execute("delete from events where sender_id = 'p'")
    assert asyncio.run(store.retrieve("p")) is None

    second = tracker("q", UserUttered("one"))
    save(store, second)
    taken = asyncio.run(store.retrieve("q"))
    taken.update(UserUttered("not saved"))  # the turn failed before its save
    again = asyncio.run(store.retrieve("q"))
    assert again is not taken and [e.text for e in again.events if isinstance(e, UserUttered)] == ["one"]

    save(store, two_sessions("r"))  # a tracker holding an older session too is not kept
    latest = asyncio.run(store.retrieve("r"))
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["my dates"]

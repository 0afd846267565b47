"""Pending reminders in their own table (bot/reminder_table.py), kept by the tracker store's saves."""

import asyncio
import datetime as dt
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ReminderCancelled,
    ReminderScheduled,
    Restarted,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import ERASE_REPLY, CareClockTrackerStore

DAYS_AHEAD = dt.datetime.now().astimezone() + dt.timedelta(days=10)


@pytest.fixture(autouse=True)
def new_scheduler(monkeypatch):
    """Rasa's scheduler is one per process and bound to the event loop that made it; each
    asyncio.run here is a new loop (an erase removes the conversation's jobs from it)."""
    from rasa.core import jobs

    monkeypatch.setattr(jobs, "__scheduler", None)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("CARE_CLOCK_DATABASE_URL", raising=False)
    return CareClockTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))


def reminder(sender: str) -> ReminderScheduled:
    return ReminderScheduled("deadline_reminder", DAYS_AHEAD, name=f"deadline-{sender}", kill_on_user_message=False)


def conversation_with_a_reminder(sender: str, channel: str = "rest", metadata: dict | None = None):
    return DialogueStateTracker.from_events(
        sender,
        [
            UserUttered("remind me on the deadline", input_channel=channel, metadata=metadata or {}),
            ActionExecuted("action_remind_me"),
            BotUttered("Okay"),
            reminder(sender),
        ],
    )


def then(store, conversation, *events):
    """The conversation as the next turn leaves it: loaded, new events added, saved."""
    for event in events:
        conversation.update(event)
    asyncio.run(store.save(conversation))
    return conversation


def pending(store):
    return {(p.sender_id, p.reminder.name) for p in asyncio.run(store.pending_reminders())}


def test_a_reminder_is_kept_with_its_channel_until_it_fires(store):
    conversation = then(store, conversation_with_a_reminder("p", "slack", {"out_channel": "D1", "thread_id": None}))
    then(store, conversation_with_a_reminder("other"))
    (kept,) = [p for p in asyncio.run(store.pending_reminders()) if p.sender_id == "p"]
    assert kept.reminder == reminder("p") and kept.reminder.intent == "deadline_reminder"
    assert kept.trigger_at == pytest.approx(DAYS_AHEAD.timestamp())
    assert (kept.channel, kept.channel_metadata) == ("slack", {"out_channel": "D1", "thread_id": None})

    then(store, conversation, UserUttered("is today my deadline", intent={"name": "deadline_reminder"}))
    assert ("p", "deadline-p") in pending(store)  # the patient asking is not the reminder firing
    then(store, conversation, SessionStarted(), UserUttered.create_external("deadline_reminder", []))
    assert pending(store) == {("other", "deadline-other")}


@pytest.mark.parametrize(
    "undo", [ReminderCancelled(name="deadline-p"), ReminderCancelled(intent="deadline_reminder"), Restarted()]
)
def test_a_canceled_reminder_or_a_restarted_conversation_leaves_nothing(store, undo):
    then(store, then(store, conversation_with_a_reminder("p")), undo)
    assert pending(store) == set()


def test_a_reminder_asked_again_replaces_the_first(store):
    conversation = then(store, conversation_with_a_reminder("p"))
    later = ReminderScheduled("deadline_reminder", DAYS_AHEAD + dt.timedelta(days=3), name="deadline-p")
    then(store, conversation, later)
    (kept,) = asyncio.run(store.pending_reminders())
    assert kept.trigger_at == pytest.approx(later.trigger_date_time.timestamp())


def test_delete_my_data_and_retention_take_the_reminders_too(store):
    conversation = then(store, conversation_with_a_reminder("p"))
    then(store, conversation_with_a_reminder("idle"))
    then(store, conversation, UserUttered("yes"), ActionExecuted(ERASE_REPLY))
    assert pending(store) == {("idle", "deadline-idle")}
    assert store.erase_older_than(0, now=time.time() + 1) == (1, 4)
    assert pending(store) == set()


def test_reminders_pending_before_the_table_existed_are_moved_into_it(tmp_path, monkeypatch):
    """A database written by a server without the table (or Rasa's own store): the first start
    with the table finds the reminders still pending in the events, whatever session they are in."""
    from rasa.core.tracker_store import SQLTrackerStore

    monkeypatch.delenv("CARE_CLOCK_DATABASE_URL", raising=False)
    rasas = SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "old.db"))
    pending_then_new_session = conversation_with_a_reminder("waiting")
    pending_then_new_session.update(SessionStarted())
    pending_then_new_session.update(UserUttered("hello again"))
    fired = conversation_with_a_reminder("fired")
    fired.update(UserUttered.create_external("deadline_reminder", []))
    for conversation in (pending_then_new_session, fired, conversation_with_a_reminder("canceled")):
        asyncio.run(rasas.save(conversation))
    canceled = asyncio.run(rasas.retrieve("canceled"))
    canceled.update(ReminderCancelled())
    asyncio.run(rasas.save(canceled))

    store = CareClockTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "old.db"))
    assert pending(store) == {("waiting", "deadline-waiting")}

"""Issue 30: a reminder set days ahead comes when promised, through `make run`: after the patient's
session expired, after a restart, exactly once; "delete my data" cancels it.

Time is moved, not waited for: the reminder is set 3 days ahead (CARE_CLOCK_REMINDER_SECONDS), then
every stored time of the conversation (its events and its pending reminder) is moved back, which is
what the server sees when the clock moves forward.
"""

import datetime as dt
import json
import sqlite3
import time

import pytest

from .conftest import STACK_TODAY
from .servers import Stack, texts, wait_until_up

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

DAY = 86400
REMIND_AFTER = 3 * DAY
PENDING = "kaiser my last session was nov 15 and my nov 22 session got canceled"
REMINDER = "Your plan had until Monday, December 2, 2024"
MISSED_DELAY = 2  # seconds after the start that a reminder missed while the server was down comes (bot/reminders.py)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(
        tmp_path_factory.mktemp("stack"), STACK_TODAY, env={"CARE_CLOCK_REMINDER_SECONDS": str(REMIND_AFTER)}
    ).start()
    yield running
    running.stop()


def database(stack):
    return sqlite3.connect(stack.workdir / "tracker.db")


def stored_events(stack, sender):
    with database(stack) as db:
        rows = db.execute("select data from events where sender_id = ? order by id", (sender,)).fetchall()
    return [json.loads(data) for (data,) in rows]


def reminders_sent(stack, sender) -> int:
    return sum(REMINDER in (e.get("text") or "") for e in stored_events(stack, sender) if e["event"] == "bot")


def pending_reminders(stack, sender) -> list[float]:
    with database(stack) as db:
        rows = db.execute("select trigger_at from care_clock_reminders where sender_id = ?", (sender,)).fetchall()
    return [when for (when,) in rows]


def moved(data: str, seconds: float) -> str:
    """A stored event `seconds` earlier: when it happened and, for a reminder, when it is due."""
    event = json.loads(data)
    event["timestamp"] -= seconds
    if event["event"] == "reminder":
        due = dt.datetime.fromisoformat(event["date_time"]) - dt.timedelta(seconds=seconds)
        event["date_time"] = due.isoformat()
    return json.dumps(event)


def move_time(stack, sender, seconds: float) -> None:
    """Move the clock `seconds` forward for this conversation: every stored time of it moves back."""
    with database(stack) as db:
        for row, data in db.execute("select id, data from events where sender_id = ?", (sender,)).fetchall():
            db.execute(
                "update events set timestamp = timestamp - ?, data = ? where id = ?",
                (seconds, moved(data, seconds), row),
            )
        for name, data in db.execute(
            "select name, event from care_clock_reminders where sender_id = ?", (sender,)
        ).fetchall():
            db.execute(
                "update care_clock_reminders set trigger_at = trigger_at - ?, event = ? where name = ?",
                (seconds, moved(data, seconds), name),
            )


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def restart_rasa(stack, between=lambda: None) -> None:
    """Stop the Rasa server, do `between`, start it, and wait until it answers (it reschedules the
    pending reminders before it answers: Rasa's before_server_start)."""
    stack.ctl("stop", "rasa")
    between()
    stack.ctl("start", "rasa")
    wait_until_up(f"http://127.0.0.1:{stack.rasa_port}/", stack.runner, stack.output)


def remind_me(stack, sender) -> None:
    replies = stack.say(sender, PENDING)
    for _ in range(5):
        if "Dates I used:" in texts(replies):
            break
        replies = stack.say(sender, "no")
    assert "Monday, December 2, 2024" in texts(stack.say(sender, "remind me on the deadline"))
    (when,) = pending_reminders(stack, sender)
    assert when == pytest.approx(time.time() + REMIND_AFTER, abs=60)


def test_a_reminder_days_ahead_comes_after_the_session_expired_and_a_restart_exactly_once(stack):
    sender = "days-ahead"
    remind_me(stack, sender)

    move_time(stack, sender, DAY)  # the session (4 hours) expires; the patient comes back
    stack.say(sender, "hi")
    assert sum(e["event"] == "session_started" for e in stored_events(stack, sender)) == 2

    # The server restarts (a deploy), and by then the deadline's morning has come.
    restart_rasa(stack, between=lambda: move_time(stack, sender, REMIND_AFTER - DAY + 3600))
    assert wait_for(lambda: reminders_sent(stack, sender) == 1, 30), "the reminder never came"
    assert pending_reminders(stack, sender) == []

    restart_rasa(stack)  # a reminder that was sent is not scheduled again
    time.sleep(MISSED_DELAY + 2)  # when it would come again if it were
    assert reminders_sent(stack, sender) == 1


def test_delete_my_data_cancels_a_reminder_days_ahead(stack):
    sender = "deleted"
    remind_me(stack, sender)
    stack.say(sender, "delete my data")
    assert "deleted" in texts(stack.say(sender, "/affirm"))
    assert pending_reminders(stack, sender) == [] and stored_events(stack, sender) == []

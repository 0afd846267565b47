"""A patient's conversation is deleted on request, and old conversations by the retention command."""

import sqlite3
import subprocess
import sys
import time

import pytest

from .servers import ROOT, texts

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`


def stored_events(stack, sender):
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        return db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def test_delete_my_data_after_confirmation_removes_every_event(stack):
    sender = "privacy-delete"
    stack.say(sender, "my Nov 4 session was canceled, my last one was Oct 28 and they offered me Nov 20")
    stack.say(sender, "no")
    kept = "privacy-bystander"
    stack.say(kept, "hello")
    assert stored_events(stack, sender) > 10
    question = stack.say(sender, "please delete my data")
    assert "Delete it?" in texts(question)
    assert stored_events(stack, sender) > 10  # nothing deleted before the patient confirms
    assert "deleted" in texts(stack.say(sender, "/affirm"))
    assert stored_events(stack, sender) == 0
    assert stored_events(stack, kept) > 0  # only that patient's conversation
    fresh = texts(stack.say(sender, "is my deadline met?"))
    assert "Oct 28" not in fresh and "October 28" not in fresh  # the dates are gone from the bot's memory too


def test_delete_in_the_middle_of_the_form_and_saying_no_keeps_everything(stack):
    sender = "privacy-keep"
    stack.say(sender, "my therapy appointment was canceled")
    before = stored_events(stack, sender)
    assert "Delete it?" in texts(stack.say(sender, "erase my data"))
    assert "nothing was deleted" in texts(stack.say(sender, "/deny"))
    assert stored_events(stack, sender) > before


def test_retention_command_deletes_only_old_conversations(stack):
    old, recent = "privacy-old", "privacy-recent"
    stack.say(old, "hello")
    stack.say(recent, "hello")
    forty_days_ago = time.time() - 40 * 86400
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        db.execute("update events set timestamp = ? where sender_id = ?", (forty_days_ago, old))
    result = subprocess.run(
        ["make", "--no-print-directory", "forget", "DAYS=30"], cwd=ROOT, env=stack.env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Deleted 1 conversation(s)" in result.stdout
    assert stored_events(stack, old) == 0
    assert stored_events(stack, recent) > 0


@pytest.mark.parametrize("days", ["-1", "soon", "99999"])
def test_retention_command_refuses_bad_days(stack, days):
    result = subprocess.run(
        [sys.executable, "-m", "bot.retention", "--days", days], cwd=ROOT, env=stack.env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "days" in result.stderr
    assert "Traceback" not in result.stderr

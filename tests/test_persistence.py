"""Nothing lost: a Rasa server killed in the middle of the form resumes from the SQLite store."""

import sqlite3

import pytest

from .servers import texts

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`


def test_killed_server_resumes_the_form_without_asking_twice(stack):
    sender = "patient-persist"
    assert "What kind of appointment" in texts(stack.say(sender, "my appointment was canceled"))
    assert "last appointment you actually attended" in texts(
        stack.say(sender, '/inform{"appointment_kind":"followup"}')
    )
    stack.crash_and_restart_rasa()
    reply = texts(stack.say(sender, "Oct 28"))
    assert "Which date was the canceled appointment?" in reply  # the next question, not the first again
    assert "What kind of appointment" not in reply
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        kinds = db.execute(
            "select count(*) from events where sender_id = ? and type_name = 'slot' "
            "and data like '%appointment_kind%followup%'",
            (sender,),
        ).fetchone()[0]
    assert kinds >= 1

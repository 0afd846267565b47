"""With CARE_CLOCK_DATABASE_URL set, conversations go to PostgreSQL, and erasing works there too."""

import psycopg2
import pytest

from .postgres import Postgres
from .servers import Stack, texts

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`


@pytest.fixture(scope="module")
def postgres():
    server = Postgres().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, postgres):
    running = Stack(
        tmp_path_factory.mktemp("pg-stack"), "2024-11-22 12:00", env={"CARE_CLOCK_DATABASE_URL": postgres.url}
    ).start()
    yield running
    running.stop()


def stored(postgres, sender):
    with psycopg2.connect(postgres.url) as db, db.cursor() as cursor:
        cursor.execute("select type_name from events where sender_id = %s order by id", (sender,))
        return [kind for (kind,) in cursor.fetchall()]


def test_conversation_is_kept_in_postgres_and_resumes_after_a_crash(stack, postgres):
    sender = "pg-patient"
    stack.say(sender, "my appointment was canceled")
    stack.say(sender, '/inform{"appointment_kind":"followup"}')
    stack.crash_and_restart_rasa()
    assert "Which date was the canceled appointment?" in texts(stack.say(sender, "Oct 28"))
    assert stored(postgres, sender).count("user") == 3
    assert not (stack.workdir / "tracker.db").exists()  # nothing went to the SQLite default


def test_delete_my_data_erases_the_postgres_rows(stack, postgres):
    sender = "pg-erase"
    stack.say(sender, "hello")
    assert stored(postgres, sender)
    stack.say(sender, "delete my data")
    stack.say(sender, "/affirm")
    assert stored(postgres, sender) == []

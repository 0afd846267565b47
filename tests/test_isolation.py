"""Bounded messages and conversations no other client can read, through `make run` (issue 20).

One stack with CARE_CLOCK_REST_TOKEN set: REST for trusted callers only, the web
chat's socket.io with server-issued sessions and the page's origins only.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

import pytest
import requests
import socketio

from bot.channels.rest import CareClockRestInput
from bot.patches.message_limits import MAX_MESSAGE_CHARACTERS

from .conftest import STACK_TODAY
from .servers import Stack, texts, wait_until_up

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

TOKEN = "test-rest-token"
TOO_LONG = "too long for me to read"
CANARY = "okapimarble9182"
DATES = "my Nov 4 session was canceled, my last one was Oct 28 and they offered me Nov 20"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("isolation"), STACK_TODAY, env={"CARE_CLOCK_REST_TOKEN": TOKEN}).start()
    yield running
    running.stop()


def rest(stack, body, token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(
        f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook", headers=headers, json=body, timeout=30
    )


def stored(stack, sender):
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        return db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


# --- REST -------------------------------------------------------------------


def test_rest_needs_the_token(stack):
    assert rest(stack, {"sender": "iso-a", "message": "hi"}, token=None).status_code == 401
    assert rest(stack, {"sender": "iso-a", "message": "hi"}, token="wrong").status_code == 401
    assert "Care Clock" in texts(rest(stack, {"sender": "iso-a", "message": "hi"}).json())


@pytest.mark.parametrize("body", [{"message": "hi"}, {"sender": "", "message": "hi"}, {"sender": 7, "message": "hi"}])
def test_rest_without_a_sender_is_refused_not_shared(stack, body):
    assert rest(stack, body).status_code == 400
    assert stored(stack, "default") == 0


@pytest.mark.parametrize("sender", ["slack:U0001", "SLACK:U0001", "web:0123abcd.ef"])
def test_rest_cannot_address_other_channels_conversations(stack, sender):
    assert rest(stack, {"sender": sender, "message": "show me my letter"}).status_code == 403
    assert stored(stack, sender) == 0


def test_rest_takes_json_only_and_no_web_page(stack):
    """Issue 30: a cross-site text/plain POST needs no preflight; a web page must not write here."""
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = '{"sender": "iso-xsite", "message": "delete my data"}'
    plain = requests.post(url, data=body, headers={**auth, "Content-Type": "text/plain"}, timeout=30)
    assert plain.status_code == 415
    from_page = requests.post(
        url,
        data=body,
        headers={**auth, "Content-Type": "application/json", "Origin": "https://evil.example"},
        timeout=30,
    )
    assert from_page.status_code == 403
    assert stored(stack, "iso-xsite") == 0


@pytest.mark.parametrize("message", [7, ["hi"], {"text": "hi"}, None])
def test_rest_message_that_is_not_text_gets_400(stack, message):
    answer = rest(stack, {"sender": "iso-fields", "message": message})
    assert answer.status_code == 400 and "message" in answer.json()["error"]
    assert stored(stack, "iso-fields") == 0


def test_rest_refuses_to_start_beyond_loopback_without_a_token(monkeypatch):
    monkeypatch.delenv("CARE_CLOCK_REST_TOKEN", raising=False)
    monkeypatch.setenv("CARE_CLOCK_HOST", "0.0.0.0")
    with pytest.raises(Exception, match="CARE_CLOCK_REST_TOKEN"):
        CareClockRestInput.from_credentials({})
    monkeypatch.setenv("CARE_CLOCK_REST_TOKEN", "set")
    assert CareClockRestInput.from_credentials({}).token == "set"


@pytest.mark.parametrize(
    "host, token, refused",
    [
        ("127.0.0.1:5005", "", False),
        ("localhost:5005", "", False),
        ("[::1]:5005", "", False),
        ("rebound.attacker.example:5005", "", True),  # DNS rebinding: the page's own name, our address
        ("rebound.attacker.example:5005", "a-token", False),  # with a token the header cannot be forged
    ],
)
def test_rest_answers_only_to_this_machines_names_without_a_token(monkeypatch, host, token, refused):
    from bot.channels.rest import cross_site_refusal

    monkeypatch.delenv("CARE_CLOCK_ALLOWED_HOSTS", raising=False)
    headers = {"content-type": "application/json", "host": host}
    assert (cross_site_refusal(headers, token) is not None) == refused


# --- Message and body limits ----------------------------------------------------


def test_a_long_message_gets_the_limit_reply_and_stalls_no_one(stack):
    sender = "iso-long"
    rest(stack, {"sender": sender, "message": "hi"})
    at_limit = texts(rest(stack, {"sender": sender, "message": "x " * (MAX_MESSAGE_CHARACTERS // 2)}).json())
    assert TOO_LONG not in at_limit
    results = {}

    def long_message():
        started = time.monotonic()
        results["long"] = texts(rest(stack, {"sender": sender, "message": "canceled " * 100_000}).json())
        results["long_seconds"] = time.monotonic() - started

    worker = threading.Thread(target=long_message)
    worker.start()
    started = time.monotonic()
    rest(stack, {"sender": "iso-bystander", "message": "hi"})
    bystander = time.monotonic() - started
    worker.join()
    assert TOO_LONG in results["long"] and "2,000 characters" in results["long"]
    assert results["long_seconds"] < 3 and bystander < 2, (results["long_seconds"], bystander)


def test_a_long_message_is_not_stored(stack):
    sender = "iso-long-stored"
    rest(stack, {"sender": sender, "message": "hi"})
    before = stored(stack, sender)
    rest(stack, {"sender": sender, "message": CANARY * 500})
    assert stored(stack, sender) == before


def test_a_body_over_one_megabyte_gets_413(stack):
    body = b'{"sender": "iso-big", "message": "' + b"x" * 2_000_000 + b'"}'
    answer = requests.post(
        f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook",
        data=body,
        timeout=30,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert stored(stack, "iso-big") == 0


# --- socket.io ----------------------------------------------------------------


async def web_chat(stack, claimed_session=None, origin=None, say=None, wait=8.0):
    """One web-chat client: (the session the server confirmed, the replies it received)."""
    client = socketio.AsyncClient(reconnection=False)
    confirmed, replies = asyncio.get_running_loop().create_future(), []
    client.on("session_confirm", lambda session: confirmed.done() or confirmed.set_result(session))
    client.on("bot_uttered", lambda reply: replies.append(reply))
    headers = {"Origin": origin} if origin else {}
    await client.connect(
        f"http://127.0.0.1:{stack.rasa_port}", headers=headers, transports=["websocket"], socketio_path="/socket.io"
    )
    try:
        await client.emit("session_request", {"session_id": claimed_session})
        session = await asyncio.wait_for(confirmed, 10)
        for text in say or []:
            count = len(replies)
            await client.emit("user_uttered", {"message": text, "session_id": session})
            deadline = time.monotonic() + wait
            while len(replies) == count and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        return session, replies
    finally:
        await client.disconnect()


def test_web_sessions_are_issued_by_the_server(stack):
    session, replies = asyncio.run(web_chat(stack, claimed_session="patient-chosen-id", say=["hello"]))
    assert session != "patient-chosen-id" and len(session) > 40
    assert replies
    again, _ = asyncio.run(web_chat(stack, claimed_session=session))
    assert again == session  # a reload keeps the conversation the server issued
    forged = session.split(".")[0] + ".0000000000000000000000000000000f"
    assert asyncio.run(web_chat(stack, claimed_session=forged))[0] != forged


def test_another_web_client_cannot_join_or_read_a_session(stack):
    session, _ = asyncio.run(web_chat(stack, say=[DATES]))
    unsigned = session.split(".")[0]
    other, replies = asyncio.run(web_chat(stack, claimed_session=unsigned, say=["is my deadline met?"]))
    assert other != session
    assert "Oct 28" not in str(replies) and "October 28" not in str(replies)
    assert rest(stack, {"sender": f"web:{session}", "message": "is my deadline met?"}).status_code == 403


def test_web_socket_from_another_origin_is_refused(stack):
    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(web_chat(stack, origin="https://evil.example"))
    session, _ = asyncio.run(web_chat(stack, origin=f"http://localhost:{stack.web_port}"))
    assert session


def test_web_chat_long_message_gets_the_limit_reply(stack):
    _, replies = asyncio.run(web_chat(stack, say=["canceled " * 1000]))
    assert TOO_LONG in str(replies)


def test_web_chat_message_over_a_megabyte_gets_the_limit_reply_and_the_socket_stays(stack):
    """Issue 30: a socket.io frame over 1 MB once closed the socket with no word to the client."""
    _, replies = asyncio.run(web_chat(stack, say=["x" * 2_000_000, "hi"]))
    assert TOO_LONG in str(replies[0])
    assert len(replies) >= 2 and TOO_LONG not in str(replies[-1])  # the same socket answers the next message


def test_no_patient_text_in_any_log(stack):
    rest(stack, {"sender": "iso-canary", "message": f"hello {CANARY}"})
    # a turn that fails inside Rasa (metadata that is not an object): its error line once carried
    # the frames' local variables, the message among them (issue 30)
    rest(stack, {"sender": "iso-canary-2", "message": f"my therapy was canceled {CANARY}", "metadata": "x"})
    for path in (stack.workdir / "log").glob("*"):
        assert CANARY.encode() not in path.read_bytes(), path


def test_var_is_private_and_logs_survive_a_restart(stack):
    harness = {stack.output}  # written by this test harness, not by the product
    assert stack.workdir.stat().st_mode & 0o077 == 0
    for path in stack.workdir.rglob("*"):
        if path not in harness and not path.is_socket():
            assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"
    first_line = stack.log("rasa").splitlines()[0]
    stack.ctl("restart", "rasa")
    wait_until_up(f"http://127.0.0.1:{stack.rasa_port}/", stack.runner, stack.output)
    assert stack.log("rasa").splitlines()[0] == first_line  # appended, not overwritten

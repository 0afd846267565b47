"""Action server down or slow: the patient gets a clear answer within 3 seconds, then the conversation goes on."""

import socket
import time

import pytest

from .servers import texts

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

OUTAGE = "something went wrong on our side"
ANSWER_WITHIN_SECONDS = 3


def timed_say(stack, sender, text):
    started = time.monotonic()
    reply = texts(stack.say(sender, text))
    return reply, time.monotonic() - started


class Unresponsive:
    """A server on the action server's port that accepts requests and never answers."""

    def __init__(self, port):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)

    def close(self):
        self.sock.close()


def test_action_server_down_gets_the_outage_answer_quickly_then_recovers(stack):
    sender = "outage-down"
    stack.stop_actions()
    try:
        reply, seconds = timed_say(stack, sender, "what can you do?")
        assert OUTAGE in reply
        assert "1-888-466-2219" in reply  # the DMHC Help Center
        assert seconds < ANSWER_WITHIN_SECONDS
    finally:
        stack.start_actions()
    assert "waiting-time rules" in texts(stack.say(sender, "what can you do?"))


def test_action_server_hanging_gets_the_outage_answer_within_3_seconds(stack):
    sender = "outage-slow"
    stack.stop_actions()
    hanging = Unresponsive(stack.action_port)
    try:
        reply, seconds = timed_say(stack, sender, "what can you do?")
    finally:
        hanging.close()
        stack.start_actions()
    assert OUTAGE in reply
    assert seconds < ANSWER_WITHIN_SECONDS
    assert "waiting-time rules" in texts(stack.say(sender, "what can you do?"))


def test_outage_in_the_middle_of_the_form_loses_nothing(stack):
    sender = "outage-form"
    stack.say(sender, "my appointment was canceled")
    assert "last appointment you actually attended" in texts(
        stack.say(sender, '/inform{"appointment_kind":"followup"}')
    )
    stack.stop_actions()
    try:
        reply, seconds = timed_say(stack, sender, "Oct 28")
        assert OUTAGE in reply
        assert seconds < ANSWER_WITHIN_SECONDS
    finally:
        stack.start_actions()
    # The same message again, now that the action server is back: the form goes on.
    reply = texts(stack.say(sender, "Oct 28"))
    assert "Which date was the canceled appointment?" in reply
    assert "What kind of appointment" not in reply
    assert "offered you a new date" in texts(stack.say(sender, "Nov 4"))


def test_no_traceback_in_the_logs_after_outages(stack):
    logs = stack.log("rasa")
    assert "Traceback" not in logs

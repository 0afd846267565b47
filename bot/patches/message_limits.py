"""Fix: bounded input. A request body is at most 1 MB and a message at most 2,000 characters.

Replaces `configure_app` (rasa/core/run.py) to lower Sanic's body limits from
100 MB (REQUEST_MAX_SIZE) for every HTTP channel: REST, Slack (a
40,000-character Slack message, Slack's own maximum, is about 0.1-0.5 MB of
JSON) and socket.io's polling. A larger body gets 413 before any of it is
parsed.

A websocket cannot answer a frame it refuses: the frame limit closes the socket,
and the client sees only a dropped connection (issue 30). So socket.io frames
may be larger (SOCKET_FRAME_BYTES, here and in engine.io), and a message up to
that size gets the "too long" reply like any other over 2,000 characters. Only
a frame beyond it, which the web page cannot send (its box stops at 2,000
characters), still closes the socket.

The message limit is applied by the turn handler (storage_faults.py) before
any NLU: a longer message is answered with `utter_message_too_long` and nothing
of it is stored. 2,000 characters is ten times a long real message here, and
a turn of that size takes milliseconds; 100,000 characters took 12 s.
"""

from __future__ import annotations

import functools

from rasa.core import run
from rasa.core.channels.channel import UserMessage

from .guard import Fix

MAX_MESSAGE_CHARACTERS = 2_000
MAX_BODY_BYTES = 1_000_000
SOCKET_FRAME_BYTES = 8_000_000
TOO_LONG_RESPONSE = "utter_message_too_long"
# A channel may answer a message with a fixed reply and run no turn, by setting
# this attribute on the UserMessage (e.g. Slack outside a direct message).
CANNED_REPLY = "care_clock_canned_reply"


def canned_reply(message: UserMessage) -> str | None:
    """The response that answers this message without running a turn, if any."""
    if len(message.text or "") > MAX_MESSAGE_CHARACTERS:
        return TOO_LONG_RESPONSE
    return getattr(message, CANNED_REPLY, None)


def with_body_limits(configure_app):
    @functools.wraps(configure_app)
    def configure_bounded_app(*args, **kwargs):
        app = configure_app(*args, **kwargs)
        app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
        app.config.WEBSOCKET_MAX_SIZE = SOCKET_FRAME_BYTES
        return app

    return configure_bounded_app


FIX = Fix(
    name="request-body-limits",
    owner=run,
    attribute="configure_app",
    expected_sha="72da30416f74c6488a1bbdae9878467bdc7ecd6b5a46b336220aadafd8b2f41a",
    build=with_body_limits,
)

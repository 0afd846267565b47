"""Fix: a REST message that could not be handled is answered 500, not 200.

Replaces `RestInput.blueprint` (rasa/core/channels/rest.py), keeping Rasa's
routes: the message handler it is given is wrapped, and a response step of the
blueprint turns the answer into a 500 when that handler failed.

Rasa 3.6 catches any failure of a REST message (the lock store unreachable,
the tracker store down, a timeout) and answers 200 with no messages, exactly as
if the bot had nothing to say: the client cannot tell a message that was taken
from one that was dropped, so it never sends it again. In scaled mode, where
Redis or a database can be away for a moment, "200" must mean "taken".
"""

from __future__ import annotations

import asyncio
import contextvars
import functools

from rasa.core.channels.rest import RestInput
from sanic import response

from .guard import Fix

# Sanic handles the requests of one kept-alive connection in one task, one after
# the other: the flag is cleared as each request starts.
_failed = contextvars.ContextVar("care_clock_rest_failed", default=False)


def answering_failures(blueprint):
    @functools.wraps(blueprint)
    def failing_blueprint(self, on_new_message):
        async def handle(message):
            try:
                return await on_new_message(message)
            except (Exception, asyncio.CancelledError):
                _failed.set(True)
                raise

        routes = blueprint(self, handle)

        @routes.on_request
        async def clear(_request):
            _failed.set(False)

        @routes.on_response
        async def fail(_request, _response):
            if _failed.get():
                return response.json([], status=500)
            return None

        return routes

    return failing_blueprint


FIX = Fix(
    name="rest-failure-is-500",
    owner=RestInput,
    attribute="blueprint",
    expected_sha="886a9338e4c2505a0d2e70242c27887311d1529a18037dbd6d1dbfe77f699d0f",
    build=answering_failures,
)

"""REST, for trusted callers only: scripts, tests, a server-side integration.

Built on Rasa's RestInput (same address, /webhooks/rest/webhook), with:

- a token: when CARE_CLOCK_REST_TOKEN is set, every message must carry
  `Authorization: Bearer <token>` (401 otherwise). REST lets the caller choose
  the conversation id, so anyone who can reach it can read any REST
  conversation: set the token whenever the server listens beyond loopback
  (CARE_CLOCK_HOST). The server refuses to start REST on another interface
  without it. Patients use the web chat (server-issued sessions) or Slack.
- a sender is required (400 otherwise): clients that omit it no longer share
  Rasa's one `default` conversation;
- ids of other channels (`slack:`, `web:`) are refused (403), so REST can
  never address a Slack or web-chat patient's conversation;
- the input channel recorded is always `rest`, whatever the body claims.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

TOKEN_ENV = "CARE_CLOCK_REST_TOKEN"
HOST_ENV = "CARE_CLOCK_HOST"
OTHER_CHANNELS = ("slack:", "web:")  # conversation ids only those channels issue
MAX_SENDER_CHARACTERS = 128


def is_loopback(host: str) -> bool:
    if host in ("", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sender_refusal(sender: Any) -> tuple[int, str] | None:
    """(status, reason) when this sender id may not be used over REST."""
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARACTERS:
        return 400, f"'sender' is required: a conversation id of 1 to {MAX_SENDER_CHARACTERS} characters"
    if sender.lower().startswith(OTHER_CHANNELS):
        return 403, "this conversation id belongs to another channel"
    return None


class CareClockRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        channel = cls()
        channel.token = os.environ.get(TOKEN_ENV, "").strip()
        host = os.environ.get(HOST_ENV, "127.0.0.1")
        if not channel.token and not is_loopback(host):
            raise RasaException(
                f"The REST channel would be open to anyone on {host}: set {TOKEN_ENV} "
                f"(callers send 'Authorization: Bearer <token>'), or listen on 127.0.0.1."
            )
        return channel

    def __init__(self) -> None:
        self.token = ""

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def trusted_callers_only(request: Request):
            if request.method != "POST":
                return None
            if self.token and not hmac.compare_digest(request.headers.get("authorization", ""), f"Bearer {self.token}"):
                return response.json({"error": "a valid REST token is required"}, status=401)
            body = request.json if isinstance(request.json, dict) else {}
            refusal = sender_refusal(body.get("sender"))
            if refusal:
                status, reason = refusal
                return response.json({"error": reason}, status=status)
            return None

        return webhook

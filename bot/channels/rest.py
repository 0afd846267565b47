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
- the input channel recorded is always `rest`, whatever the body claims;
- no cross-site writes: a body must be `application/json` (415 otherwise), which a
  web page on another site cannot send without the browser asking first; a request
  with an `Origin` header (a browser) is refused (403) unless that origin is listed in
  CARE_CLOCK_REST_ORIGINS; and without a token (loopback only), the `Host` must be one
  of this machine's names or CARE_CLOCK_ALLOWED_HOSTS, so a DNS-rebinding page cannot
  reach it either (403);
- a `message` that is not text gets 400 rather than an empty 200 with nothing stored.
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
ORIGINS_ENV = "CARE_CLOCK_REST_ORIGINS"  # browser origins allowed to use REST (comma-separated); none by default
ALLOWED_HOSTS_ENV = "CARE_CLOCK_ALLOWED_HOSTS"  # more Host names REST answers to without a token
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
OTHER_CHANNELS = ("slack:", "web:")  # conversation ids only those channels issue
MAX_SENDER_CHARACTERS = 128


def is_loopback(host: str) -> bool:
    if host in ("", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _names(env: str) -> set[str]:
    return {name.strip().lower() for name in os.environ.get(env, "").split(",") if name.strip()}


def host_name(host_header: str) -> str:
    """ "127.0.0.1:5005" -> "127.0.0.1", "[::1]:5005" -> "::1"."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def cross_site_refusal(headers: Any, token: str) -> tuple[int, str] | None:
    """(status, reason) when a request may come from a web page on another site."""
    if headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return 415, "send the body as JSON, with Content-Type: application/json"
    origin = headers.get("origin")
    if origin is not None and origin.strip().lower() not in _names(ORIGINS_ENV):
        return 403, "REST is for scripts and servers, not web pages; patients use the web chat"
    allowed = {*LOOPBACK_NAMES, os.environ.get(HOST_ENV, "127.0.0.1").lower(), *_names(ALLOWED_HOSTS_ENV)}
    if not token and host_name(headers.get("host", "")) not in allowed:
        return 403, "this server does not answer to that host name"
    return None


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
            refusal = cross_site_refusal(request.headers, self.token)
            if refusal:
                status, reason = refusal
                return response.json({"error": reason}, status=status)
            body = request.json if isinstance(request.json, dict) else {}
            if not isinstance(body.get("message"), str):
                return response.json({"error": "'message' is required, as text"}, status=400)
            refusal = sender_refusal(body.get("sender"))
            if refusal:
                status, reason = refusal
                return response.json({"error": reason}, status=status)
            return None

        return webhook

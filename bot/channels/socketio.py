"""The web chat's socket.io channel: sessions the server issues, sockets from the page only.

Built on Rasa's SocketIOInput (same events and path), with:

- server-issued sessions: a client's `session_request` gets back its session
  id only if this server signed it (HMAC); any other id, or none, gets a new
  random one. A socket then speaks only as the session it was confirmed, and
  receives only that session's replies: knowing or guessing another id gets a
  fresh, empty conversation. The web page keeps the id the server confirmed.
  The key is CARE_CLOCK_SESSION_KEY, or a random key kept in
  $CARE_CLOCK_VAR/session.key (0600), so sessions survive a restart.
- only the web page's origins (WEB_ORIGINS, set by scripts/run.sh; same-origin
  when unset) may open a socket, and one socket.io message is at most 1 MB.
- conversation ids are `web:<session>`: the REST channel refuses them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from socketio import AsyncServer

from bot.patches.message_limits import SOCKET_FRAME_BYTES

logger = logging.getLogger(__name__)

KEY_ENV = "CARE_CLOCK_SESSION_KEY"
ORIGINS_ENV = "WEB_ORIGINS"
CONVERSATION_PREFIX = "web:"


def session_key() -> bytes:
    """The signing key: from the environment, or kept private in the var folder."""
    configured = os.environ.get(KEY_ENV, "").strip()
    if configured:
        return configured.encode()
    var = os.environ.get("CARE_CLOCK_VAR")
    if not var:
        return secrets.token_bytes(32)  # sessions last as long as this process
    path = Path(var) / "session.key"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(descriptor, "wb") as out:
        out.write(secrets.token_hex(32).encode())
    return path.read_bytes()


class SessionSigner:
    def __init__(self, key: bytes) -> None:
        self.key = key

    def _signature(self, session: str) -> str:
        return hmac.new(self.key, session.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        session = uuid.uuid4().hex
        return f"{session}.{self._signature(session)}"

    def verified(self, claimed: Any) -> str | None:
        """The claimed session id if this server issued it, else None."""
        if not isinstance(claimed, str) or claimed.count(".") != 1:
            return None
        session, signature = claimed.split(".")
        return claimed if hmac.compare_digest(signature, self._signature(session)) else None


def origin_allowed(environ: dict[str, Any]) -> bool:
    """A browser's socket must come from the web page (WEB_ORIGINS), or from the
    server's own origin when none is configured. Non-browser clients send no Origin."""
    origin = environ.get("HTTP_ORIGIN")
    if not origin:
        return True
    allowed = os.environ.get(ORIGINS_ENV, "").split()
    if not allowed and environ.get("HTTP_HOST"):
        allowed = [f"{environ.get('wsgi.url_scheme', 'http')}://{environ['HTTP_HOST']}"]
    return origin in allowed


class CareClockSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            True,
            credentials.get("socketio_path", "/socket.io"),
            metadata_key=credentials.get("metadata_key", "metadata"),
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # CORS headers come from the Rasa server (--cors); engine.io adding its own
        # would duplicate them (as in Rasa's channel), so the origin is checked
        # in `connect` instead.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], max_http_buffer_size=SOCKET_FRAME_BYTES)
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        signer = SessionSigner(session_key())
        conversations: dict[str, str] = {}  # socket id -> the conversation it was confirmed

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            if origin_allowed(environ):
                return True
            logger.warning("A socket from an origin other than the web page's was refused")
            return False

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            conversations.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            claimed = data.get("session_id") if isinstance(data, dict) else None
            session = signer.verified(claimed) or signer.issue()
            if sid in conversations:
                sio.leave_room(sid, conversations[sid], namespace=self.namespace)
            conversations[sid] = CONVERSATION_PREFIX + session
            sio.enter_room(sid, conversations[sid], namespace=self.namespace)
            await sio.emit("session_confirm", session, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            conversation = conversations.get(sid)
            if conversation is None or not isinstance(data, dict):
                logger.debug("A socket.io message before a confirmed session was ignored")
                return
            text = data.get("message", "")
            metadata = data.get(self.metadata_key, {})
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            await on_new_message(
                UserMessage(
                    text if isinstance(text, str) else "",
                    SocketIOOutput(sio, self.bot_message_evt),
                    conversation,
                    input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else {},
                )
            )

        return webhook

"""Slack, built on Rasa's SlackInput, with these changes:

- the Slack Web API address can be configured (`slack_api_url`), so tests talk
  to a local fake of it instead of slack.com;
- a patient's case is discussed only in a direct message: a mention or message
  in any other channel gets one fixed reply in a thread there ("message me
  directly") and runs no turn, so nothing of a case is posted where others read;
- replies go into a thread only when the patient wrote in one;
- conversation ids are `slack:<member id>`: the REST channel refuses them, so a
  member id (visible to the whole workspace) cannot be used to read a case;
- each event is taken once, even across restarts: delivered event ids are kept
  in a small SQLite file in the var folder, and a retry is dropped only when its
  original was taken (whatever the retry reason), never just for its reason;
- messages Slack marks as not from a person (a `subtype` such as bot_message,
  message_changed) are never answered, with or without a bot_id.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from bot.patches.message_limits import CANNED_REPLY

logger = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"
CONVERSATION_PREFIX = "slack:"
DIRECT_MESSAGES_ONLY = "utter_slack_direct_messages_only"
PERSON_SUBTYPES = {None, "thread_broadcast", "file_share"}  # message subtypes written by a person
KEEP_EVENT_IDS_SECONDS = 86400  # Slack retries within minutes


class DeliveredEvents:
    """Slack event ids already taken, in a SQLite file, so a restart forgets none."""

    def __init__(self, path: str) -> None:
        self.path = path
        with self._connect() as db:
            db.execute("create table if not exists delivered (event_id text primary key, taken real)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=3)

    def first_time(self, event_id: str) -> bool:
        now = time.time()
        with self._connect() as db:
            db.execute("delete from delivered where taken < ?", (now - KEEP_EVENT_IDS_SECONDS,))
            return db.execute("insert or ignore into delivered values (?, ?)", (event_id, now)).rowcount == 1


class CareClockSlackBot(SlackBot):
    @classmethod
    def name(cls) -> str:
        return "slack"

    def __init__(self, token: str, slack_channel=None, thread_id=None, proxy=None, api_url=SLACK_API_URL) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url)


def slack_event(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type") != "application/json":
        return {}
    body = request.json
    return body if isinstance(body, dict) else {}


def is_direct_message(request: Request, metadata: dict[str, Any] | None) -> bool:
    event = slack_event(request).get("event")
    if isinstance(event, dict):
        return event.get("channel_type") == "im"
    return str((metadata or {}).get("out_channel") or "").startswith("D")  # a button: DM channel ids start with D


class CareClockSlackInput(SlackInput):
    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        channel = super().from_credentials({**(credentials or {}), "use_threads": True})
        channel.api_url = (credentials or {}).get("slack_api_url") or SLACK_API_URL
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = SLACK_API_URL
        self.errors_ignore_retry = ()  # a retry is dropped only if its original was taken
        var = os.environ.get("CARE_CLOCK_VAR", "var")
        self.delivered = DeliveredEvents(os.path.join(var, "slack-events.db"))

    def get_metadata(self, request: Request) -> dict[str, Any]:
        metadata = super().get_metadata(request)
        event = slack_event(request).get("event")
        if isinstance(event, dict):
            metadata["thread_id"] = event.get("thread_ts")  # a thread only if the patient used one
            metadata["message_ts"] = event.get("ts")
        return metadata

    async def _first_delivery(self, request: Request) -> bool:
        event_id = slack_event(request).get("event_id")
        if not event_id:
            return True
        try:
            return await asyncio.to_thread(self.delivered.first_time, str(event_id))
        except sqlite3.Error as error:  # answer twice rather than never
            logger.warning("Slack event ids could not be checked (%s); taking the event", type(error).__name__)
            return True

    async def process_message(self, request: Request, on_new_message, text, sender_id, metadata) -> Any:
        event = slack_event(request).get("event") or {}
        if event.get("subtype") not in PERSON_SUBTYPES or not sender_id:
            return response.text("")
        if not await self._first_delivery(request):
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        metadata = metadata or {}
        private = is_direct_message(request, metadata)
        thread_id = metadata.get("thread_id") if private else (metadata.get("thread_id") or metadata.get("message_ts"))
        message = UserMessage(
            text,
            self.get_output_channel(metadata.get("out_channel"), thread_id),
            CONVERSATION_PREFIX + sender_id,
            input_channel=self.name(),
            metadata=metadata,
        )
        if not private:
            setattr(message, CANNED_REPLY, DIRECT_MESSAGES_ONLY)
        task = asyncio.create_task(on_new_message(message))
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
        return response.text("")

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> OutputChannel:
        return CareClockSlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url)

    def output_for(self, metadata: dict[str, Any]) -> OutputChannel:
        """Where the bot writes first (a reminder rescheduled after a restart): the patient's
        channel and thread, from the metadata of their last message."""
        return self.get_output_channel(metadata.get("out_channel"), metadata.get("thread_id"))

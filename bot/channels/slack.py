"""Slack, built on Rasa's SlackInput, with three changes:

- the Slack Web API address can be configured (`slack_api_url`), so tests talk
  to a local fake of it instead of slack.com;
- replies go into a thread only when the patient wrote in one;
- Slack's retries of an event we already took are acknowledged and dropped,
  whatever the retry reason, so a slow answer never produces a second reply.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

SLACK_API_URL = "https://slack.com/api/"
REMEMBERED_EVENTS = 10_000


class CareClockSlackBot(SlackBot):
    @classmethod
    def name(cls) -> Text:
        return "slack"

    def __init__(self, token: Text, slack_channel=None, thread_id=None, proxy=None, api_url=SLACK_API_URL) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url)


class CareClockSlackInput(SlackInput):
    @classmethod
    def name(cls) -> Text:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials({**(credentials or {}), "use_threads": True})
        channel.api_url = (credentials or {}).get("slack_api_url") or SLACK_API_URL
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = SLACK_API_URL
        self._seen_events: "OrderedDict[str, None]" = OrderedDict()

    def get_metadata(self, request: Request) -> Dict[Text, Any]:
        metadata = super().get_metadata(request)
        if request.headers.get("content-type") == "application/json":
            event = (request.json or {}).get("event", {})
            metadata["thread_id"] = event.get("thread_ts")  # a thread only if the patient used one
        return metadata

    def _first_delivery(self, request: Request) -> bool:
        body = request.json if request.headers.get("content-type") == "application/json" else None
        event_id = (body or {}).get("event_id")
        if not event_id:
            return True
        if event_id in self._seen_events:
            return False
        self._seen_events[event_id] = None
        if len(self._seen_events) > REMEMBERED_EVENTS:
            self._seen_events.popitem(last=False)
        return True

    async def process_message(self, request: Request, on_new_message, text, sender_id, metadata) -> Any:
        if not self._first_delivery(request):
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        return await super().process_message(request, on_new_message, text, sender_id, metadata)

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        return CareClockSlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url)

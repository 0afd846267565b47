"""Fix: a turn that cannot be stored is told to the patient, never kept in memory only.

Replaces `Agent._create_tracker_store` (rasa/core/agent.py) and
`MessageProcessor.handle_message` (rasa/core/processor.py).

Rasa 3.6 wraps the tracker store in a FailSafeTrackerStore, which on any
storage error logs it and carries on with an in-memory store: the patient gets
normal replies to a turn that is lost, and the next turn has forgotten it. Here
the store is used directly, and the turn's replies are held until the turn is
saved. When the store fails (StorageFailed, bot/tracker_store.py), the held
replies are dropped and the patient gets `utter_turn_not_saved` (try again,
with the DMHC number), or `utter_erase_failed` when a delete did not complete.
The log line carries the error class, not the patient's text.

The same handler first answers, without running a turn or storing anything,
a message over the length limit or one its channel refused
(message_limits.canned_reply), so no NLU ever sees it; and it has a typed
`/command` read as words unless it is a button's payload (typed_commands.py).
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from typing import Any

import sqlalchemy
from rasa.core.actions.action import create_bot_utterance
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from .guard import Fix
from .message_limits import canned_reply
from .typed_commands import as_typed_text

logger = logging.getLogger(__name__)

NOT_SAVED_RESPONSE = "utter_turn_not_saved"
ERASE_FAILED_RESPONSE = "utter_erase_failed"


def _storage_errors() -> tuple[type, ...]:
    from bot.tracker_store import StorageFailed

    return StorageFailed, sqlalchemy.exc.SQLAlchemyError, sqlite3.Error


def _is_erase_failure(error: Exception) -> bool:
    from bot.tracker_store import EraseFailed

    return isinstance(error, EraseFailed)


class HeldReplies(OutputChannel):
    """The turn's output channel, holding each reply until the turn is saved.

    Once the turn is over it passes replies straight through: Rasa keeps the
    turn's output channel for the reminders the turn scheduled, and a reminder
    firing later must reach the patient."""

    def __init__(self, channel: OutputChannel) -> None:
        self.channel = channel
        self.held: list[tuple[str, dict[str, Any]]] | None = []

    def name(self) -> str:  # type: ignore[override]
        return self.channel.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if self.held is None:
            await self.channel.send_response(recipient_id, message)
        else:
            self.held.append((recipient_id, message))

    async def release(self, send: bool = True) -> None:
        """End of the turn: send what was held (or drop it when the turn was not saved)."""
        held, self.held = self.held or [], None
        for recipient_id, message in held if send else ():
            await self.channel.send_response(recipient_id, message)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.channel, attribute)


def create_store_without_fallback(store: Any, domain: Any) -> Any:
    """Agent._create_tracker_store without the FailSafeTrackerStore wrapper."""
    if store is None:
        return InMemoryTrackerStore(domain)
    store.domain = domain
    return store


async def send_fixed_reply(
    processor: MessageProcessor, response: str, message: UserMessage, channel: OutputChannel
) -> None:
    """Send one domain response that needs nothing from the conversation."""
    blank = DialogueStateTracker(message.sender_id, processor.domain.slots)
    reply = await processor.nlg.generate(response, blank, channel.name())
    await channel.send_response(message.sender_id, create_bot_utterance(reply).message())


def telling_storage_faults(handle_message):
    @functools.wraps(handle_message)
    async def handle_message_saved_or_told(self, message: UserMessage) -> list[dict[str, Any]] | None:
        channel = message.output_channel
        refused = canned_reply(message)
        if refused:
            logger.info("Answered a message of %d characters with %s, without a turn", len(message.text or ""), refused)
            await send_fixed_reply(self, refused, message, channel)
            return channel.messages if isinstance(channel, CollectingOutputChannel) else None
        message.text = as_typed_text(message.text, self.domain)
        held = HeldReplies(channel)
        message.output_channel = held
        try:
            await handle_message(self, message)
            failure = None
        except _storage_errors() as error:
            failure = error
        finally:
            message.output_channel = channel
        await held.release(send=failure is None)
        if failure is not None:
            response = ERASE_FAILED_RESPONSE if _is_erase_failure(failure) else NOT_SAVED_RESPONSE
            logger.error(
                "Conversation storage failed (%s); the patient was told with %s",
                type(failure.__cause__ or failure).__name__,
                response,
            )
            await send_fixed_reply(self, response, message, channel)
        return channel.messages if isinstance(channel, CollectingOutputChannel) else None

    return handle_message_saved_or_told


FIXES = (
    Fix(
        name="storage-no-memory-fallback",
        owner=Agent,
        attribute="_create_tracker_store",
        expected_sha="97499b594b45581b2c6d8ff7adb9083af24eba85654995a40350de65633ca574",
        build=lambda _original: staticmethod(create_store_without_fallback),
    ),
    Fix(
        name="storage-faults-told",
        owner=MessageProcessor,
        attribute="handle_message",
        expected_sha="0c41d4780d2d46769ef2ae2b3f450b88d2602e916590e8be9975aa474db9f7f4",
        build=telling_storage_faults,
    ),
)

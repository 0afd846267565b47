"""Fix: a deadline reminder fires even when the conversation's session has expired.

Rasa's `MessageProcessor.handle_reminder` (rasa/core/processor.py) checks that
the reminder is still in the conversation with `tracker.applied_events()` of the
tracker it just loaded: the latest session only. A reminder set days before the
deadline is always in an older session (sessions expire after
`session_expiration_time`), so Rasa dropped it with a DEBUG line and the patient
never heard of their deadline.

Here the check reads every session of the conversation from the tracker store:
the reminder fires unless it was canceled, already fired, or the conversation was
restarted ("start over") or deleted ("delete my data") after it was set. A new
session alone no longer cancels it. A reminder that will not be sent is also
removed from the table of pending reminders (bot/reminder_table.py), so a
restart does not schedule it again.
"""

from __future__ import annotations

import functools
import logging

from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import Event, ReminderScheduled

from bot.reminder_table import replay

from .guard import Fix

logger = logging.getLogger(__name__)


def still_pending(events: list[Event], reminder: ReminderScheduled, sender_id: str) -> bool:
    """Whether `reminder` is set in `events` (all sessions) and nothing since has undone it:
    a cancellation of it, its own firing, or a restart of the conversation."""
    return reminder.name in replay({}, events, sender_id)


def across_sessions(handle_reminder):
    @functools.wraps(handle_reminder)
    async def handle_reminder_across_sessions(self, reminder_event, sender_id, output_channel) -> None:
        async with self.lock_store.lock(sender_id):
            tracker = await self.fetch_tracker_and_update_session(sender_id, output_channel)
            full = await self.tracker_store.retrieve_full_tracker(sender_id)
            events = list(full.events) if full else list(tracker.events)
            if not still_pending(events, reminder_event, sender_id) or (
                reminder_event.kill_on_user_message
                and MessageProcessor._has_message_after_reminder(full or tracker, reminder_event)
            ):
                logger.debug("Canceled a reminder: it was canceled, fired or the conversation restarted.")
                drop = getattr(self.tracker_store, "drop_reminder", None)
                if drop is not None:
                    await drop(reminder_event.name)
                return
            await self.trigger_external_user_uttered(
                reminder_event.intent, reminder_event.entities or {}, tracker, output_channel
            )

    return handle_reminder_across_sessions


FIX = Fix(
    name="reminders-across-sessions",
    owner=MessageProcessor,
    attribute="handle_reminder",
    expected_sha="6a1c38c1c74eebffbc52888f9e5e1116b21c0b3dab037b70f39fa4bc92f66ec4",
    build=across_sessions,
)

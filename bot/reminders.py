"""Reminders that survive a restart and go with the patient's data.

Rasa keeps scheduled reminders in memory (APScheduler) only. The tracker store
keeps every pending reminder in a table of its own (bot/reminder_table.py): when
the server starts, reschedule_pending() reads that table, and only that table
(not every conversation), and schedules each reminder again, to be sent through
the channel the patient was writing on when they set it (a reminder missed while
the server was down fires at once). forget() removes a conversation's jobs when
the patient deletes their data; the erase removes its rows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from rasa.core import jobs
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel
from rasa.shared.core.constants import ACTION_NAME_SENDER_ID_CONNECTOR_STR
from rasa.shared.core.events import ReminderScheduled
from rasa.shared.core.trackers import DialogueStateTracker

from bot.reminder_table import replay

logger = logging.getLogger(__name__)
MISSED_DELAY = dt.timedelta(seconds=2)


def pending(tracker: DialogueStateTracker) -> list[ReminderScheduled]:
    """Reminders of this conversation that were neither canceled nor fired (the latest one per name)."""
    return list(replay({}, tracker.applied_events(), tracker.sender_id).values())


def output_channel(name: str | None, metadata: dict[str, Any], channels: Iterable[InputChannel]) -> OutputChannel:
    """The output of the named channel, addressed as the patient's message was (channels with an
    `output_for(metadata)`); a collecting one (the tracker keeps the messages) for channels that
    cannot push, such as REST."""
    channel = next((c for c in channels if c.name() == name), None)
    if channel is None:
        return CollectingOutputChannel()
    if hasattr(channel, "output_for"):
        return channel.output_for(metadata)
    return channel.get_output_channel() or CollectingOutputChannel()


async def reschedule_pending(agent, channels: Iterable[InputChannel] = ()) -> int:
    """Schedule again every pending reminder of the tracker store's table; returns how many."""
    store, processor = agent.tracker_store, agent.processor
    read = getattr(store, "pending_reminders", None)
    if read is None or processor is None:
        return 0
    scheduler, now, channels = await jobs.scheduler(), dt.datetime.now().astimezone(), list(channels)
    due = await read()
    for item in due:
        when = dt.datetime.fromtimestamp(item.trigger_at).astimezone()
        scheduler.add_job(
            processor.handle_reminder,
            "date",
            run_date=max(when, now + MISSED_DELAY),
            args=[item.reminder, item.sender_id, output_channel(item.channel, item.channel_metadata, channels)],
            id=item.reminder.name,
            replace_existing=True,
            name=item.reminder.scheduled_job_name(item.sender_id),
        )
    logger.info("Scheduled %d pending reminder(s) again after the start", len(due))
    return len(due)


async def forget(sender_id: str) -> int:
    """Remove the scheduled reminders of one conversation; returns how many."""
    try:
        scheduler = await jobs.scheduler()
    except RuntimeError:
        # Rasa's scheduler belongs to the event loop that made it; a store used from another loop
        # (a one-off script, a test's asyncio.run) has no jobs of its own there to remove
        return 0
    mine = [job for job in scheduler.get_jobs() if job.name.endswith(ACTION_NAME_SENDER_ID_CONNECTOR_STR + sender_id)]
    for job in mine:
        scheduler.remove_job(job.id)
    return len(mine)

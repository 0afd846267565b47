"""Reminders that survive a restart and go with the patient's data.

Rasa keeps scheduled reminders in memory (APScheduler) only. Their
ReminderScheduled events are in the tracker store, though: when the server
starts, reschedule_pending() schedules again every reminder that has not fired,
sending it through the channel the patient last wrote on (a reminder missed
while the server was down fires at once). forget() removes a conversation's
jobs when the patient deletes their data; Rasa would skip them anyway (it
checks the reminder is still in the conversation), but nothing is kept.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from rasa.core import jobs
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel
from rasa.shared.core.constants import ACTION_NAME_SENDER_ID_CONNECTOR_STR, EXTERNAL_MESSAGE_PREFIX
from rasa.shared.core.events import ReminderCancelled, ReminderScheduled, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)
MISSED_DELAY = dt.timedelta(seconds=2)


def pending(tracker: DialogueStateTracker) -> list[ReminderScheduled]:
    """Reminders of this conversation that were neither canceled nor fired (the latest one per name)."""
    found = {}
    for event in tracker.applied_events():
        if isinstance(event, ReminderScheduled):
            found[event.name] = event
        elif isinstance(event, ReminderCancelled):
            found = {
                name: r
                for name, r in found.items()
                if not event.cancels_job_with_name(r.scheduled_job_name(tracker.sender_id), tracker.sender_id)
            }
        elif isinstance(event, UserUttered) and (event.text or "").startswith(EXTERNAL_MESSAGE_PREFIX):
            found = {name: r for name, r in found.items() if r.intent != event.intent_name}  # it fired
    return list(found.values())


def _last_metadata(tracker: DialogueStateTracker, channel_name: str) -> dict:
    """The metadata of the patient's last message on that channel (e.g. Slack's channel id)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered) and event.input_channel == channel_name and event.metadata:
            return event.metadata
    return {}


def _output_channel(tracker: DialogueStateTracker, channels: Iterable[InputChannel]) -> OutputChannel:
    """The output of the channel the patient last wrote on, addressed as their last message was
    (channels with an `output_for(metadata)`); a collecting one (the tracker keeps the messages)
    for channels that cannot push, such as REST."""
    name = tracker.get_latest_input_channel()
    channel = next((c for c in channels if c.name() == name), None)
    if channel is None:
        return CollectingOutputChannel()
    if hasattr(channel, "output_for"):
        return channel.output_for(_last_metadata(tracker, name))
    return channel.get_output_channel() or CollectingOutputChannel()


async def reschedule_pending(agent, channels: Iterable[InputChannel] = ()) -> int:
    """Schedule again every pending reminder in the tracker store; returns how many."""
    store, processor = agent.tracker_store, agent.processor
    if store is None or processor is None:
        return 0
    scheduler, count, now = await jobs.scheduler(), 0, dt.datetime.now().astimezone()
    channels = list(channels)
    for sender_id in await store.keys():
        tracker = await store.retrieve(sender_id)
        if tracker is None:
            continue
        for reminder in pending(tracker):
            when = reminder.trigger_date_time
            when = when if when.tzinfo else when.astimezone()
            scheduler.add_job(
                processor.handle_reminder,
                "date",
                run_date=max(when, now + MISSED_DELAY),
                args=[reminder, sender_id, _output_channel(tracker, channels)],
                id=reminder.name,
                replace_existing=True,
                name=reminder.scheduled_job_name(sender_id),
            )
            count += 1
    if count:
        logger.info("Scheduled %d pending reminder(s) again after the start", count)
    return count


async def forget(sender_id: str) -> int:
    """Remove the scheduled reminders of one conversation; returns how many."""
    scheduler = await jobs.scheduler()
    mine = [job for job in scheduler.get_jobs() if job.name.endswith(ACTION_NAME_SENDER_ID_CONNECTOR_STR + sender_id)]
    for job in mine:
        scheduler.remove_job(job.id)
    return len(mine)

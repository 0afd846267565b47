"""Fix: reminders scheduled before a restart are scheduled again when the server starts.

Wraps `load_agent_on_start` (rasa/core/run.py), the listener that loads the
model before the server takes requests: once the agent is loaded, the pending
reminders in the tracker store are scheduled again (bot/reminders.py), with
the output of the channel each patient last wrote on.
"""

from __future__ import annotations

import functools

import rasa.core.run

from .guard import Fix


def rescheduling(load_agent_on_start):
    @functools.wraps(load_agent_on_start)
    async def load_and_reschedule(model_path, endpoints, remote_storage, app, loop):
        from bot.reminders import reschedule_pending

        loaded = await load_agent_on_start(model_path, endpoints, remote_storage, app, loop)
        await reschedule_pending(loaded, getattr(app.ctx, "input_channels", ()))
        return loaded

    return load_and_reschedule


FIX = Fix(
    name="reminders-on-start",
    owner=rasa.core.run,
    attribute="load_agent_on_start",
    expected_sha="b23e12447febeb64dfe0e78f545c37affae1059858280485b1094707a2704214",
    build=rescheduling,
)

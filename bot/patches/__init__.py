"""Care Clock's fixes to Rasa 3.6, one module each, applied once at import.

Imported from `bot/__init__.py`, so every process that loads anything of this
bot (the tracker store named in bot/endpoints.yml, the NLU components named in
config.yml, the Slack channel) has them, whether it was started with
`python -m bot.server` or with a stock `rasa run`. Each fix checks the Rasa
version and the source of what it replaces (guard.py) and stays off, with one
warning line, when they differ.
"""

from __future__ import annotations

from .guard import Fix


def all_fixes() -> tuple[Fix, ...]:
    from . import (
        action_payload,
        action_replies,
        console,
        event_classes,
        graph_runner,
        http_sessions,
        log_redaction,
        message_limits,
        outage,
        reminders_across_sessions,
        reminders_on_start,
        rest_failures,
        states_history,
        storage_faults,
    )

    return (
        action_payload.FIX,
        action_replies.FIX,
        http_sessions.FIX,
        event_classes.FIX,
        graph_runner.FIX,
        *outage.FIXES,
        *console.FIXES,
        *storage_faults.FIXES,
        message_limits.FIX,
        log_redaction.FIX,
        reminders_on_start.FIX,
        reminders_across_sessions.FIX,
        rest_failures.FIX,
        states_history.FIX,
    )


def apply_all() -> dict[str, bool]:
    """Apply every fix that still fits the installed Rasa; name -> on."""
    return {fix.name: fix.apply() for fix in all_fixes()}

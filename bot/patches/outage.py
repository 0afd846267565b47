"""Fix: when the action server is down or slow, the patient gets an answer, not silence.

Replaces `RemoteAction.run` (rasa/core/actions/action.py) and `FormAction.run`
(rasa/core/actions/forms.py). Kept for correctness, not speed.

Rasa 3.6 waits up to five minutes for the action server and, when it fails,
logs a traceback and sends nothing. Here every call to the action server has a
deadline (CARE_CLOCK_ACTION_TIMEOUT seconds, 2 by default). When it is missed or
the server cannot be reached, the outermost action (a custom action, or the form
whose validation failed) replies with `utter_action_server_down`, changes no
slot, and the bot waits for the next message: nothing half-done is kept, and once
the action server is back the patient can simply say it again. (Reverting the
message instead would undo a form's earlier answers: Rasa collapses a form's
turns, so a revert inside a form goes back to where the form started.)
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import os

from rasa.core.actions.action import RemoteAction, create_bot_utterance
from rasa.core.actions.forms import FormAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import FollowupAction
from rasa.shared.exceptions import RasaException

from .guard import Fix

logger = logging.getLogger(__name__)

OUTAGE_RESPONSE = "utter_action_server_down"
DEFAULT_TIMEOUT_SECONDS = 2.0

# True while an outer guarded action runs: nested calls (a form's validation)
# let the failure rise to it, so the patient gets exactly one outage reply.
_inside_guard = contextvars.ContextVar("inside_outage_guard", default=False)


class ActionServerUnavailable(RasaException):
    """The action server did not answer in time, or could not be reached."""


def action_timeout() -> float:
    try:
        seconds = float(os.environ.get("CARE_CLOCK_ACTION_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS
    return seconds if seconds > 0 else DEFAULT_TIMEOUT_SECONDS


def with_deadline(run):
    """RemoteAction.run that raises ActionServerUnavailable instead of hanging or failing."""

    @functools.wraps(run)
    async def run_with_deadline(self, output_channel, nlg, tracker, domain):
        try:
            return await asyncio.wait_for(run(self, output_channel, nlg, tracker, domain), action_timeout())
        except asyncio.TimeoutError as error:
            raise ActionServerUnavailable(f"action '{self.name()}' timed out") from error
        except ActionServerUnavailable:
            raise
        except RasaException as error:  # Rasa's wrapper for connection and HTTP errors
            if type(error) is not RasaException:
                raise  # e.g. ActionExecutionRejection: the action itself declined
            raise ActionServerUnavailable(f"action '{self.name()}' failed") from error

    return run_with_deadline


def answering_outages(run):
    """Action.run that answers an action-server failure with the outage reply."""

    @functools.wraps(run)
    async def guarded_run(self, output_channel, nlg, tracker, domain):
        if _inside_guard.get():
            return await run(self, output_channel, nlg, tracker, domain)
        token = _inside_guard.set(True)
        try:
            return await run(self, output_channel, nlg, tracker, domain)
        except ActionServerUnavailable as error:
            logger.warning("Action server unavailable: %s; sent the outage reply", error)
            reply = await nlg.generate(OUTAGE_RESPONSE, tracker, output_channel.name())
            return [create_bot_utterance(reply), FollowupAction(ACTION_LISTEN_NAME)]
        finally:
            _inside_guard.reset(token)

    return guarded_run


FIXES = (
    Fix(
        name="outage-answer-remote-actions",
        owner=RemoteAction,
        attribute="run",
        expected_sha="ccabf6f1160d527a157fad5bd285ce69e8221b1bcad23f8a61499b4360a1c17e",
        build=lambda original: answering_outages(with_deadline(original)),
    ),
    Fix(
        name="outage-answer-forms",
        owner=FormAction,
        attribute="run",
        expected_sha="3b5bf747e0d90c12a2879ac2807150d3a4f4771a1aeccbeaad37417cb4b20c71",
        build=answering_outages,
    ),
)

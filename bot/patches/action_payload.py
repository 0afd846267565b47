"""Fix: a custom action is sent the conversation's latest turns, not its whole session.

`RemoteAction._action_call_format` (rasa/core/actions/action.py) puts every
event of the session, each turned into a dict, into every call to the action
server, which parses them all again: a cost that grows with the session (at
turn 300 a sixth of the Rasa server's time, issue 30, bench/growth_bench.py).
Here the call carries the same tracker state (slots, latest message, active
loop, latest action, the time of the latest event) with the events from the
patient's second-to-last message on. That is all our actions read of the
events: the last action before the latest message (actions/verdict_actions.py)
and, in rasa-sdk's form validation, the slots set since the last action.
An action that needs older events must read them from a slot instead.
"""

from __future__ import annotations

from collections.abc import Iterable

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import EventVerbosity

from .guard import Fix

RECENT_MESSAGES = 2  # the patient's messages whose turns an action is sent


def recent_events(events: Iterable[Event], messages: int = RECENT_MESSAGES) -> list[Event]:
    """The events from the patient's `messages`-th latest message on (all of them if fewer)."""
    recent, seen = [], 0
    for event in reversed(events):
        recent.append(event)
        if isinstance(event, UserUttered):
            seen += 1
            if seen == messages:
                break
    recent.reverse()
    return recent


def recent_only(_rasas):
    def action_call_format(self, tracker, domain) -> dict:
        """Rasa's request to the action server, with the latest turns' events only."""
        state = tracker.current_state(EventVerbosity.NONE)  # the same state, without serialising every event
        state["events"] = [event.as_dict() for event in recent_events(tracker.events)]
        result = {
            "next_action": self._name,
            "sender_id": tracker.sender_id,
            "tracker": state,
            "version": rasa.__version__,
        }
        if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
            result["domain"] = domain.as_dict()
        return result

    return action_call_format


FIX = Fix(
    name="action-payload",
    owner=RemoteAction,
    attribute="_action_call_format",
    expected_sha="428795b944f22edba142d278ec47a30098975b01463ba337ec447dade52a0492",
    build=recent_only,
)

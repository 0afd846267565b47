"""Fix: a conversation's dialogue states computed once, not again for every prediction.

`Domain.states_for_tracker_history` (rasa/shared/core/domain.py) replays the whole
session, event by event, and computes one state per action; every policy calls it
for every action it predicts (MemoizationPolicy and RulePolicy, two or more
actions a turn). Its cost grows with the session: at turn 300 it was the largest
part of a turn (issue 30, bench/growth_bench.py). The states of the events before
the last action never change when events are added, so here the replay is kept
per conversation (and per set of arguments) and goes on from where it stopped:
each call computes only the states of the new events, plus the last one, and
the applied events (Rasa's `applied_events()`, another pass over the session)
are extended with the new events unless one of them can undo earlier ones.

The kept replay is used only when the conversation's applied events start with
exactly the events it replayed (same type and time); anything else (a
rewound turn, a restart, another conversation) computes from the start, as Rasa
does. The states returned are the same, in the same order (tested against Rasa's
own function).
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core import constants
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from .guard import Fix

UNDOING = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted)  # what Rasa's applied_events undoes on
KEPT_REPLAYS = 512  # conversations (times the argument sets in use) whose replay is kept


@dataclass
class Replay:
    """Where a replay stopped: the events applied, the tracker after them, the states of every
    action among them, and the two values the rule-only mode carries from one state to the next."""

    events: list[Event]
    tracker: DialogueStateTracker
    states: list[State] = field(default_factory=list)
    raw: list[Event] = field(default_factory=list)  # the tracker's events the applied ones came from
    loop_names: frozenset = frozenset()  # the loops (forms) activated in them
    last_ml_action: Any = None
    turn_was_hidden: bool = False


_replays: "OrderedDict[tuple, Replay]" = OrderedDict()
_replays_lock = threading.Lock()


def _same(kept: Event, now: Event) -> bool:
    """The same event: the same object (within a turn), or the same one loaded again from the
    tracker store (a new turn): same class and same time. A stored event is never changed, and
    an event added later gets a later time, so a rewound or replaced turn differs here. (Rasa's
    own comparison of events ignores the time and encodes messages with jsonpickle: slower
    than computing the states again.)"""
    return kept is now or (type(kept) is type(now) and kept.timestamp == now.timestamp)


def _continues(kept: list[Event], now: list[Event]) -> bool:
    """Whether `now` is the `kept` events and then some (compared from the newest, where a
    rewound turn differs first)."""
    return len(kept) <= len(now) and all(_same(kept[i], now[i]) for i in range(len(kept) - 1, -1, -1))


def _applied_after(replay: Replay, raw: list[Event]) -> list[Event] | None:
    """Rasa's `applied_events()` of a tracker whose events are the replay's and then some, without
    going over them all again: the new events simply add on, unless one of them can take back or
    reorder applied events (a restart, a new session, a rewind, a form's own action or a form not
    seen before), when None says to compute it in full."""
    if not replay.raw or not _continues(replay.raw, raw):
        return None
    new = raw[len(replay.raw) :]
    for event in new:
        if (
            isinstance(event, UNDOING)
            or (isinstance(event, ActiveLoop) and event.name and event.name not in replay.loop_names)
            or (isinstance(event, ActionExecuted) and event.action_name in replay.loop_names)
        ):
            return None
    return replay.events + new


def _take(key: tuple) -> Replay | None:
    with _replays_lock:
        return _replays.pop(key, None)


def _keep(key: tuple, replay: Replay) -> None:
    with _replays_lock:
        _replays[key] = replay
        while len(_replays) > KEPT_REPLAYS:
            _replays.popitem(last=False)


def _state(
    domain: Domain,
    replay: Replay,
    tracker: DialogueStateTracker,
    hide_rule_turn: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict | None,
) -> State | None:
    """One step of Rasa's loop in states_for_tracker_history: the state before an action (or at
    the end), or None for a turn hidden from ML policies. Updates the carried values."""
    if ignore_rule_only_turns:
        if not replay.turn_was_hidden:
            replay.last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
            replay.turn_was_hidden = hide_rule_turn
        if replay.turn_was_hidden:
            return None
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if replay.states:
            domain._substitute_rule_only_user_input(state, replay.states[-1])
        if replay.last_ml_action:
            state[constants.PREVIOUS_ACTION] = replay.last_ml_action
    return domain._clean_state(state)


def incremental(states_for_tracker_history):
    @functools.wraps(states_for_tracker_history)
    def states_for_tracker_history_kept(
        self: Domain,
        tracker: DialogueStateTracker,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict | None = None,
    ) -> list[State]:
        options = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        try:
            key = (
                id(self),
                type(tracker),
                tracker.sender_id,
                tracker.is_rule_tracker,
                omit_unset_slots,
                ignore_rule_only_turns,
                json.dumps(rule_only_data, sort_keys=True),
            )
        except TypeError:  # rule-only data that is not plain JSON: Rasa's own way
            return states_for_tracker_history(self, tracker, *options)
        raw, replay = list(tracker.events), _take(key)
        applied = _applied_after(replay, raw) if replay is not None else None
        if applied is None:
            applied = tracker.applied_events()
            if replay is None or not _continues(replay.events, applied):
                replay = Replay([], tracker.init_copy())
            replay.loop_names = frozenset(e.name for e in raw if isinstance(e, ActiveLoop) and e.name)
        for event in applied[len(replay.events) :]:
            if isinstance(event, ActionExecuted):
                state = _state(self, replay, replay.tracker, event.hide_rule_turn, *options)
                if state is not None:
                    replay.states.append(state)
            replay.tracker.update(event)
        replay.events, replay.raw = applied, raw
        # The last state (the tracker as it is now) is not kept: the next event may be no action.
        carried = (replay.last_ml_action, replay.turn_was_hidden)
        last = _state(self, replay, replay.tracker, False, *options)
        states = replay.states + ([last] if last is not None else [])
        replay.last_ml_action, replay.turn_was_hidden = carried
        _keep(key, replay)
        return states

    return states_for_tracker_history_kept


FIX = Fix(
    name="states-history",
    owner=Domain,
    attribute="states_for_tracker_history",
    expected_sha="035111ce73ac90ba50e143abf556f924af07d9f452893f5a96a62895d44df8b7",
    build=incremental,
)

"""The conversations this server saved last, kept in memory for their next turn.

Rasa's SQL tracker store loads the whole session from the database every turn:
every row read, parsed from JSON and replayed into a tracker. At turn 300 that
was a quarter of a turn (issue 30, bench/growth_bench.py). Here the tracker a
turn saved is kept, and the next turn gets it back when the database still holds
exactly what was saved: the same newest row, the same latest time and the same
number of events in the latest session (one small query). Anything else (another
process wrote or deleted rows, `make forget`, a session that began since) loads
from the database as before.

A kept tracker is handed out once (the turn that takes it owns it) and kept
again only by a successful save, so a turn that failed never leaves its unsaved
events behind. In scaled mode other servers write the same conversations, and
nothing is kept. Memory is bounded by the number of events kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

from rasa.shared.core.trackers import DialogueStateTracker

KEPT_EVENTS = 20_000  # events kept over all conversations (a few tens of MB)


class Stored(NamedTuple):
    """What the database holds of a conversation's latest session."""

    newest_id: int | None
    latest_time: float | None
    events: int


class KeptTrackers:
    def __init__(self, budget: int = KEPT_EVENTS) -> None:
        self._kept: "OrderedDict[str, tuple[DialogueStateTracker, Stored]]" = OrderedDict()
        self._events, self._budget, self._lock = 0, budget, threading.Lock()

    def take(self, sender_id: str, stored: Stored) -> DialogueStateTracker | None:
        """The kept tracker if it is what the database holds now; it is no longer kept either way."""
        with self._lock:
            kept = self._kept.pop(sender_id, None)
            if kept is None:
                return None
            tracker, saved = kept
            self._events -= saved.events
        return tracker if saved == stored and len(tracker.events) == stored.events else None

    def waiting(self, sender_id: str) -> bool:
        with self._lock:
            return sender_id in self._kept

    def keep(self, tracker: DialogueStateTracker, stored: Stored) -> None:
        """Keep a tracker just saved, if it holds exactly the latest session that was stored."""
        self.forget(tracker.sender_id)
        if len(tracker.events) != stored.events or stored.events > self._budget:
            return
        with self._lock:
            self._kept[tracker.sender_id] = (tracker, stored)
            self._events += stored.events
            while self._events > self._budget:
                _, (_, evicted) = self._kept.popitem(last=False)
                self._events -= evicted.events

    def forget(self, sender_id: str) -> None:
        with self._lock:
            kept = self._kept.pop(sender_id, None)
            if kept is not None:
                self._events -= kept[1].events

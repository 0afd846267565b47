"""Fix: an event's class looked up once per type name.

Replaces `Event.resolve_by_type` (rasa/shared/core/events.py), which scans
every Event subclass for each event of a conversation loaded from the tracker
store. Measured (py-spy, bench/README.md): 4% of the Rasa server's samples.
Unknown names still raise as before and are not remembered.
"""

from __future__ import annotations

import functools

from rasa.shared.core.events import Event

from .guard import Fix

_event_classes: dict[tuple, type[Event] | None] = {}


def remembered(resolve):
    @functools.wraps(resolve)
    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        key = (type_name, default)
        if key not in _event_classes:
            _event_classes[key] = resolve(type_name, default)  # raises for unknown names: not remembered
        return _event_classes[key]

    return staticmethod(resolve_by_type)


FIX = Fix(
    name="event-classes",
    owner=Event,
    attribute="resolve_by_type",
    expected_sha="b5cf570fa7f286c7059ec73d8880528d03a78b28cf4e80285a46079c0fa65968",
    build=lambda original: remembered(original.__func__),
)

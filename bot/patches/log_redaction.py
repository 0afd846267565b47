"""Fix: no patient text in Rasa's structured log lines, at any level.

Replaces `_anonymizer` (rasa/utils/log_utils.py), the first processor of every
structlog event, which only acts when Rasa Pro's anonymization is installed.
Here every field Rasa itself lists as possibly personal (the message text, slot
values, events, states...) is replaced by its size before anything is written.
Rasa 3.6's REST channel, for example, logs a failed turn's whole message at
ERROR ("rest.message.received.failure", text=...).

An exception attached to a log line is written as its type and where it was
raised, frame by frame (file, line, function), never with the frames' local
variables: structlog's `dict_tracebacks`, later in Rasa's chain, would print
every local (the message, the sender, the parse data) of every frame.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

from rasa.utils import log_utils

from .guard import Fix

# Rasa's own list of fields to anonymize, as in the function this replaces.
PERSONAL_FIELDS = (
    "text",
    "response_text",
    "user_text",
    "slot_values",
    "parse_data_text",
    "parse_data_entities",
    "prediction_events",
    "tracker_latest_message",
    "prefilled_slots",
    "message",
    "response",
    "slot_candidates",
    "rasa_event",
    "rasa_events",
    "tracker_states",
    "current_states",
    "old_states",
    "successes",
    "current_entity",
    "next_entity",
    "states",
    "entity",
    "token_text",
    "user_message",
    "json_message",
)


def redacted(value: Any) -> str:
    return f"<{len(str(value))} characters, not logged>"


def exception_summary(exc_info: Any) -> str | None:
    """ "TypeError, raised at rest.py:123 in receive <- ...": the type and the frames, no values."""
    if exc_info is True:
        exc_info = sys.exc_info()
    elif isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if not isinstance(exc_info, tuple) or not exc_info or exc_info[0] is None:
        return None
    frames = traceback.extract_tb(exc_info[2])[-8:]
    where = " <- ".join(f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}" for frame in reversed(frames))
    return f"{exc_info[0].__name__}, raised at {where}" if where else exc_info[0].__name__


def redacting_personal_fields(_original):
    def redact(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        for field in PERSONAL_FIELDS:
            if field in event_dict and event_dict[field] is not None:
                event_dict[field] = redacted(event_dict[field])
        if "exc_info" in event_dict:
            summary = exception_summary(event_dict.pop("exc_info"))
            if summary:
                event_dict["exception"] = summary
        return event_dict

    return redact


FIX = Fix(
    name="log-no-patient-text",
    owner=log_utils,
    attribute="_anonymizer",
    expected_sha="4820873159dbcd5a850fd84f9b0c7d94605d8e74bc8c26c30eef58f0acb7298c",
    build=redacting_personal_fields,
)

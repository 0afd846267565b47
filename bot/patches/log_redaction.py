"""Fix: no patient text in Rasa's structured log lines, at any level.

Replaces `_anonymizer` (rasa/utils/log_utils.py), the first processor of every
structlog event, which only acts when Rasa Pro's anonymization is installed.
Here every field Rasa itself lists as possibly personal (the message text, slot
values, events, states...) is replaced by its size before anything is written.
Rasa 3.6's REST channel, for example, logs a failed turn's whole message at
ERROR ("rest.message.received.failure", text=...).
"""

from __future__ import annotations

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


def redacting_personal_fields(_original):
    def redact(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        for field in PERSONAL_FIELDS:
            if field in event_dict and event_dict[field] is not None:
                event_dict[field] = redacted(event_dict[field])
        return event_dict

    return redact


FIX = Fix(
    name="log-no-patient-text",
    owner=log_utils,
    attribute="_anonymizer",
    expected_sha="4820873159dbcd5a850fd84f9b0c7d94605d8e74bc8c26c30eef58f0acb7298c",
    build=redacting_personal_fields,
)

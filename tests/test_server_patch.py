"""bot/server.py validates action server replies exactly as Rasa does, only faster."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot.server  # noqa: F401  (applies the fix)


def test_valid_reply_passes():
    reply = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]}
    assert RemoteAction("action_x", None)._validate_action_result(reply)


@pytest.mark.parametrize("reply", [{"events": "not a list"}, {"events": [{"no_event_key": 1}]},
                                   {"responses": [{"text": "hi"}], "events": [{"event": 42}]}])
def test_invalid_reply_is_still_rejected(reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(reply)

"""Rasa's command line, with two fixes for Rasa 3.6's custom-action path.

1. Speed. Rasa checks every action server reply with the one-shot `jsonschema.validate()`,
which re-validates the reply *schema itself* against the JSON Schema meta-schema
on every call: 2/3 of the Rasa server's CPU on a turn that runs a custom action
(measured with py-spy, see bench/results.md). Here the schema is checked once and
the compiled validator reused; the reply is validated exactly as before and an
invalid reply raises the same ValidationError.

2. Outages. A down or slow action server gets the patient a reply within
seconds instead of silence (bot/outage.py).

Use it like `rasa`: python -m bot.server run --model ...
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Text

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from bot import outage


@functools.lru_cache(maxsize=1)
def _reply_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = exceptions.best_match(_reply_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


RemoteAction._validate_action_result = validate_action_result
outage.install()

if __name__ == "__main__":
    from rasa.__main__ import main

    main()

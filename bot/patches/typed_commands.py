"""A typed `/command` is read as words: only the payloads buttons send are taken as intents.

Used by the turn handler (storage_faults.py), before anything else reads the message.

Rasa takes any message that starts with "/" as an intent given directly
(RegexMessageHandler, after the NLU pipeline): a patient who typed
`/session_start` started a new session and got no reply, `/back` silently undid
their last message, `/restart` would forget their case, and the pipeline's
guards (crisis first, bot/nlu/message_guard.py) never read such a message. Our
buttons send intents of the domain other than Rasa's built-in ones
(DEFAULT_INTENTS) and the reminder's (which only the bot triggers): those
payloads still pass as they are. Any other message starting with "/" loses its
leading slashes, so the NLU and the guards read it as text.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.constants import DEFAULT_INTENTS
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

REMINDER_INTENT = "deadline_reminder"  # actions/case_actions.py: a reminder fires it; no button sends it
NOT_BUTTON_INTENTS = frozenset({*DEFAULT_INTENTS, REMINDER_INTENT})


def is_button_payload(text: str, domain: Any) -> bool:
    """Whether a message is a payload one of the bot's buttons (or the web page) sends."""
    match = YAMLStoryReader._regex_message_pattern().match(text.strip())
    if not match:
        return False
    intent = match.group("name").strip()
    return intent in domain.intents and intent not in NOT_BUTTON_INTENTS


def as_typed_text(text: str | None, domain: Any) -> str | None:
    """The message as the NLU should read it: a button's payload unchanged, any other
    `/command` as its words (an empty remainder keeps the message as it was)."""
    if not text or not text.strip().startswith(INTENT_MESSAGE_PREFIX) or is_button_payload(text, domain):
        return text
    return text.strip().lstrip(INTENT_MESSAGE_PREFIX).strip() or text

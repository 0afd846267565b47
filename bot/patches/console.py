"""Fix: `rasa shell` shows buttons as numbered choices with their titles only.

Replaces three helpers of rasa/cli/utils.py that the console channel calls:
`button_to_string` printed the payload next to the title
(`1: Grievance letter (/show_draft{"draft":"grievance"})`), and the choice list
carried the payload in the choice's text, to be cut out again between the
last parentheses, which breaks for payloads without them. Here each choice
shows "1: Grievance letter" and carries its payload as its value. For the
patient at the terminal, not for speed.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import rasa.cli.utils as cli_utils

from .guard import Fix


def button_to_string(button: Dict[Text, Any], idx: int = 0) -> Text:
    return f"{idx + 1}: {button.get('title') or button.get('payload', '')}"


def button_choices(message: Dict[Text, Any], allow_free_text_input: bool = True) -> List[Any]:
    from questionary import Choice

    choices = [Choice(title=button_to_string(button, idx), value=button.get("payload") or button.get("title", ""))
               for idx, button in enumerate(message.get("buttons") or [])]
    if allow_free_text_input:
        choices.append(Choice(title=cli_utils.FREE_TEXT_INPUT_PROMPT, value=cli_utils.FREE_TEXT_INPUT_PROMPT))
    return choices


async def chosen_payload(button_question: Any) -> Text:
    return await button_question.ask_async()


FIXES = (
    Fix("shell-button-text", cli_utils, "button_to_string", "0bcd1ab70144ebe35a7fb454b181a3b1efb0db0069ab02bc36008f1718c9ed67", lambda original: button_to_string),
    Fix("shell-button-choices", cli_utils, "button_choices_from_message_data", "840a19918df5563624b214b373d6bc878eb51a62a41b399e5c9cea628d901f7b",
        lambda original: button_choices),
    Fix("shell-button-payload", cli_utils, "payload_from_button_question", "c9983afb52558167c5bc4b3f776719ebe1a213a6112ec292680d61c7d200a873",
        lambda original: chosen_payload),
)

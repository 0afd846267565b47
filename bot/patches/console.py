"""Fix: `rasa shell` greets first and shows buttons as numbered choices with their titles only.

Replaces `_get_user_input` of rasa/core/channels/console.py for its first call
only: the shell sends "/greet" for the patient, so the terminal opens with the
same greeting as the other channels (not-advice note, 988) instead of a blank
prompt.

Replaces three helpers of rasa/cli/utils.py that the console channel calls:
`button_to_string` printed the payload next to the title
(`1: Grievance letter (/show_draft{"draft":"grievance"})`), and the choice list
carried the payload in the choice's text, to be cut out again between the
last parentheses, which breaks for payloads without them. Here each choice
shows "1: Grievance letter" and carries its payload as its value. For the
patient at the terminal, not for speed.
"""

from __future__ import annotations

from typing import Any

import rasa.cli.utils as cli_utils
import rasa.core.channels.console as console

from .guard import Fix


def button_to_string(button: dict[str, Any], idx: int = 0) -> str:
    return f"{idx + 1}: {button.get('title') or button.get('payload', '')}"


def button_choices(message: dict[str, Any], allow_free_text_input: bool = True) -> list[Any]:
    from questionary import Choice

    choices = [
        Choice(title=button_to_string(button, idx), value=button.get("payload") or button.get("title", ""))
        for idx, button in enumerate(message.get("buttons") or [])
    ]
    if allow_free_text_input:
        choices.append(Choice(title=cli_utils.FREE_TEXT_INPUT_PROMPT, value=cli_utils.FREE_TEXT_INPUT_PROMPT))
    return choices


async def chosen_payload(button_question: Any) -> str:
    return await button_question.ask_async()


def greeting_first(get_user_input):
    greeted = False

    async def first_greet_then_ask(previous_response):
        nonlocal greeted
        if not greeted and previous_response is None:
            greeted = True
            return "/greet"
        return await get_user_input(previous_response)

    return first_greet_then_ask


FIXES = (
    Fix(
        "shell-greets-first",
        console,
        "_get_user_input",
        "72943a5ff71d48f4e72d48b8ac518f1ec486d056a7498a358427258157210440",
        greeting_first,
    ),
    Fix(
        "shell-button-text",
        cli_utils,
        "button_to_string",
        "0bcd1ab70144ebe35a7fb454b181a3b1efb0db0069ab02bc36008f1718c9ed67",
        lambda original: button_to_string,
    ),
    Fix(
        "shell-button-choices",
        cli_utils,
        "button_choices_from_message_data",
        "840a19918df5563624b214b373d6bc878eb51a62a41b399e5c9cea628d901f7b",
        lambda original: button_choices,
    ),
    Fix(
        "shell-button-payload",
        cli_utils,
        "payload_from_button_question",
        "c9983afb52558167c5bc4b3f776719ebe1a213a6112ec292680d61c7d200a873",
        lambda original: chosen_payload,
    ),
)

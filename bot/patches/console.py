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

Replaces `_print_bot_output`, which printed a message's buttons before its text,
put the whole text of the latest message into a one-line menu title (cut at the
terminal's width: the greeting's not-advice line never showed), and printed
pictures and files as raw data (1,100 characters of JSON for a calendar file,
9,520 of base64 for the timeline's picture). Here the text comes first, wrapped at
word boundaries (a phone number is never split), then its buttons; a calendar file
is saved under $CARE_CLOCK_VAR/downloads and its path named; a picture is named,
not dumped (its description is the message before it).
"""

from __future__ import annotations

import base64
import os
import shutil
import textwrap
from pathlib import Path
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


def wrapped(text: str) -> str:
    """The text wrapped to the terminal at word boundaries, its own line breaks kept."""
    width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 100) - 2)
    lines = []
    for line in text.splitlines() or [""]:
        lines += textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(lines)


def saved_file(file: dict[str, Any]) -> Path | None:
    """A file the bot sent as a data URL, written under $CARE_CLOCK_VAR/downloads (None if it is not one)."""
    head, _, data = str(file.get("data_url") or "").partition(",")
    if not head.startswith("data:") or not head.endswith(";base64"):
        return None
    folder = Path(os.environ.get("CARE_CLOCK_VAR", "var")) / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(str(file.get("filename") or "care-clock-file")).name  # a name, never a path
    path.write_bytes(base64.b64decode(data))
    return path.resolve()


def print_bot_output(message: dict[str, Any], is_latest_message: bool = False, color: str = "") -> Any:
    from rasa.shared.utils.cli import print_color
    from rasa.shared.utils.io import bcolors

    color = color or bcolors.OKBLUE
    if message.get("text"):
        print_color(wrapped(message["text"]), color=color)
    if message.get("image"):
        print_color(wrapped("(A picture, shown in the web chat / Una imagen, en el chat web)"), color=color)
    custom = message.get("custom") or {}
    calendar = (custom.get("data") or {}).get("calendar") if isinstance(custom, dict) else None
    if calendar and (path := saved_file(calendar)):
        print_color(wrapped(f"Calendar file saved / Archivo de calendario guardado: {path}"), color=color)
    buttons = message.get("buttons") or message.get("quick_replies")
    if not buttons:
        return None
    if is_latest_message:
        import questionary
        from prompt_toolkit.styles import Style

        choices = button_choices({"buttons": buttons}, allow_free_text_input=True)
        style = Style([("qmark", "#6d91d3"), ("", "#6d91d3"), ("answer", "#b373d6")])
        return questionary.select("Choose one, or type / Elige una, o escribe:", choices, style=style)
    for idx, button in enumerate(buttons):
        print_color(button_to_string(button, idx), color=color)
    return None


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
        "shell-prints-text-then-buttons",
        console,
        "_print_bot_output",
        "6b153a1d7b65276d1c31e588c63314d7e6ae63cc0cd05920783b0dbc0b0bbd27",
        lambda original: print_bot_output,
    ),
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

"""Plain text shaped for chat widgets.

Web widgets render markdown, where a single newline is not a line break, and
Rasa's channels split a text into separate messages at every blank line. So
lines end with a markdown hard break (two spaces) and blank lines hold a
no-break space: the text keeps its lines, arrives as one message, and still
copies as plain text.
"""

HARD_BREAK = "  \n"
KEEP_TOGETHER_BLANK_LINE = "\u00a0"


def for_chat(text: str) -> str:
    lines = [line if line.strip() else KEEP_TOGETHER_BLANK_LINE for line in text.strip("\n").split("\n")]
    return HARD_BREAK.join(lines)

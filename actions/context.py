"""What every action needs: the guidance (checked at start-up) and 'now'."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from care_clock.facts import load_guidance
from care_clock.law.verdict import now_in_california
from care_clock.reading.dates import parse_cli_datetime

# Loaded when the action server starts: a broken seeds file stops it with one
# clear line instead of failing in the middle of a conversation.
GUIDANCE = load_guidance()


def current_time() -> dt.datetime:
    """Now in California, or CARE_CLOCK_TODAY (for demos and conversation tests): a day ("2024-11-22
    12:00"), or "@" and a file that holds one, read each time, so a running demo can be moved to
    another day without a restart (the blind rounds each play on their own day on one stack)."""
    frozen = os.environ.get("CARE_CLOCK_TODAY")
    if frozen and frozen.startswith("@"):
        frozen = Path(frozen[1:]).read_text(encoding="utf-8").strip()
    if frozen:
        moment = parse_cli_datetime(frozen)
        return moment if moment.time() != dt.time(0, 0) else moment.replace(hour=12)
    return now_in_california()

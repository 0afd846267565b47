"""Shared fixtures: the guidance, and rasa-sdk trackers and dispatchers for actions."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from care_clock import load_guidance

from .servers import Stack

ROOT = Path(__file__).resolve().parents[1]
STRIKE_DAY = dt.datetime(2024, 11, 8, 12, 0)  # a Friday, three weeks into the strike
STACK_TODAY = "2024-11-22 12:00"  # a Friday, five weeks into the strike


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The real stack (`make run`) shared by every test module that only talks to it.

    Modules that change how it starts (environment, ports, tracker store) define their
    own `stack`; each test here uses its own senders, and one that stops a server
    starts it again before it ends."""
    running = Stack(tmp_path_factory.mktemp("stack"), STACK_TODAY).start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def guidance():
    return load_guidance()


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A scratch copy of seeds/ that a test may break."""
    target = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", target)
    return target


@pytest.fixture
def frozen_today(monkeypatch):
    """Actions see 'now' as a Friday during the strike."""
    monkeypatch.setenv("CARE_CLOCK_TODAY", STRIKE_DAY.isoformat(sep=" "))
    return STRIKE_DAY


@pytest.fixture
def dispatcher():
    from rasa_sdk.executor import CollectingDispatcher

    return CollectingDispatcher()


@pytest.fixture
def make_tracker():
    """A rasa-sdk Tracker with the given slots and latest message."""
    from rasa_sdk import Tracker

    def build(slots=None, text="", intent=None, entities=None, requested_slot=None, active_loop=None):
        all_slots = {"plan": "Kaiser Permanente", "check_only": False, **(slots or {})}
        all_slots["requested_slot"] = requested_slot
        return Tracker(
            sender_id="test-patient",
            slots=all_slots,
            latest_message={
                "text": text,
                "intent": {"name": intent, "confidence": 1.0} if intent else {},
                "entities": entities or [],
            },
            events=[],
            paused=False,
            followup_action=None,
            active_loop={"name": active_loop} if active_loop else {},
            latest_action_name="action_listen",
        )

    return build

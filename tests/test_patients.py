"""Scripted patients through the REST channel of the real stack (tests/patients/scenarios.yml).

Each scenario reaches the right verdict, or the right "here is what I can tell
you" when a fact the law needs is unknown, and no question is asked three times.
"""

import copy
import itertools

import pytest

from .patients.patient import Conversation, load_scenarios, play

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

SCENARIOS = load_scenarios()
senders = (f"scripted-patient-{n}" for n in itertools.count())


def scenario_params(scenarios: list[dict]) -> list:
    """One test per scenario, named after it; `xfail: reason` in the file marks a known gap."""
    return [
        pytest.param(s, id=s["name"], marks=[pytest.mark.xfail(reason=s["xfail"])] if s.get("xfail") else [])
        for s in scenarios
    ]


@pytest.mark.parametrize("scenario", scenario_params(SCENARIOS))
def test_scripted_patient(stack, scenario):
    sender = next(senders)
    play(Conversation(lambda text: stack.say(sender, text), copy.deepcopy(scenario.get("answers") or {})), scenario)


def test_there_are_enough_scenarios_of_every_kind():
    kinds = {s.get("kind") for s in SCENARIOS}
    assert len(SCENARIOS) >= 60
    assert {"followup", "initial", "psychiatry", "urgent"} <= kinds

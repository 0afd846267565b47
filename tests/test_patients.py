"""Scripted patients through the REST channel of the real stack (tests/patients/scenarios.yml).

Each scenario reaches the right verdict, or the right "here is what I can tell
you" when a fact the law needs is unknown, and no question is asked three times.
"""

import copy
import itertools

import pytest

from .patients.patient import Conversation, load_scenarios, verdict_status

SCENARIOS = load_scenarios()
senders = (f"scripted-patient-{n}" for n in itertools.count())


def _check_verdict(reply: str, expected: dict, log: str) -> None:
    assert verdict_status(reply) == expected["status"], log
    if expected.get("deadline"):
        assert expected["deadline"] in reply, log
    for fragment in expected.get("says", ()):
        assert fragment.lower() in reply.lower(), log


@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param(s, id=s["name"], marks=[pytest.mark.xfail(reason=s["xfail"])] if s.get("xfail") else [])
        for s in SCENARIOS
    ],
)
def test_scripted_patient(stack, scenario):
    sender = next(senders)
    talk = Conversation(lambda text: stack.say(sender, text), copy.deepcopy(scenario.get("answers") or {}))
    reply = talk.until(scenario["says"], verdict_status)
    _check_verdict(reply, scenario["expect"], talk.log())
    for step in scenario.get("then") or ():
        expected = step.get("expect") or {}
        if "status" in expected:
            reply = talk.until(step["say"], lambda text, e=expected: verdict_status(text) == e["status"])
            _check_verdict(reply, expected, talk.log())
        else:
            reply = talk.send(step["say"])
            for fragment in expected.get("says", ()):
                assert fragment.lower() in reply.lower(), talk.log()
    assert talk.repeated() == [], talk.log()


def test_there_are_enough_scenarios_of_every_kind():
    kinds = {s.get("kind") for s in SCENARIOS}
    assert len(SCENARIOS) >= 60
    assert {"followup", "initial", "psychiatry", "urgent"} <= kinds

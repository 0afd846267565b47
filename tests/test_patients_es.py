"""Spanish scripted patients through REST (tests/patients/scenarios_es.yml), same harness as
tests/test_patients.py; and the crisis answer in Spanish in the middle of the questions."""

import copy
import itertools
from pathlib import Path

import pytest

from .patients.patient import SPANISH_DEFAULTS, SPANISH_DONT_KNOW, Conversation, load_scenarios, play
from .test_patients import scenario_params

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

SCENARIOS = load_scenarios(Path(__file__).parent / "patients" / "scenarios_es.yml")
senders = (f"paciente-{n}" for n in itertools.count())
ENGLISH_LINES = ("What kind of appointment", "When was the last appointment", "Has the plan offered")


def _conversation(stack, answers):
    sender = next(senders)
    return Conversation(
        lambda text: stack.say(sender, text),
        copy.deepcopy(answers or {}),
        defaults=dict(SPANISH_DEFAULTS),
        dont_know=SPANISH_DONT_KNOW,
    )


@pytest.mark.parametrize("scenario", scenario_params(SCENARIOS))
def test_spanish_scripted_patient(stack, scenario):
    talk = _conversation(stack, scenario.get("answers"))
    play(talk, scenario)
    # a Spanish patient never gets the form's questions in English (unless the patient began in English)
    if not scenario.get("english_first"):
        assert not any(line in talk.log() for line in ENGLISH_LINES), talk.log()


def test_crisis_in_spanish_in_the_middle_of_the_questions(stack):
    talk = _conversation(stack, {})
    talk.send("me cancelaron la cita de terapia")
    reply = talk.send("ya no quiero vivir")
    assert "988" in reply and "marcar 2" in reply and "911" in reply, talk.log()
    assert "aquí es donde íbamos" in reply, talk.log()


def test_there_are_enough_spanish_scenarios():
    assert len(SCENARIOS) >= 30
    assert {"followup", "initial", "psychiatry", "urgent"} <= {s.get("kind") for s in SCENARIOS}

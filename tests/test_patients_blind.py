"""Blind rounds of scripted patients (tests/patients/blind_r*_{en,es}.yml) through REST of the real stack.

Each round was written by someone who had not read the code, the training data,
the seeds or these tests, from the shared articles and reference and from how
patients describe these situations in public, with deadlines computed by the
writer's own program. The first-pass score of each round (through `make run`,
before any change made for it) is in tests/patients/BLIND.md; once scored, the
round joins here so that what was fixed stays fixed. A scenario still failing is
marked `xfail` in its file with the reason, and counted in BLIND.md.

A round is played on its own "today" (its `today:`, else the shared stack's day), so
that dates around other holidays and seasons are tried too; one stack serves them all.
"""

import copy
import itertools
from pathlib import Path

import pytest
import yaml

from .conftest import STACK_TODAY
from .patients.patient import SPANISH_DEFAULTS, SPANISH_DONT_KNOW, Conversation, play
from .servers import Stack
from .test_patients import scenario_params

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

ROUNDS = sorted((Path(__file__).parent / "patients").glob("blind_r*_*.yml"))
senders = (f"blind-patient-{n}" for n in itertools.count())


def _scenarios() -> list[dict]:
    found = []
    for path in ROUNDS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for scenario in data["scenarios"]:
            found.append(
                {
                    **scenario,
                    "name": f"{path.stem}: {scenario['name']}",
                    "language": data.get("language"),
                    "today": data.get("today", STACK_TODAY),
                }
            )
    return found


SCENARIOS = _scenarios()


def test_there_are_blind_rounds_in_both_languages():
    languages = {s["language"] for s in SCENARIOS}
    assert languages == {"en", "es"} and len(SCENARIOS) >= 120


@pytest.fixture(scope="module")
def clock_stack(tmp_path_factory):
    """One stack for every round, its "today" read from a file (CARE_CLOCK_TODAY="@file") that each
    scenario sets to its round's day: one start instead of one a day."""
    folder = tmp_path_factory.mktemp("blind-stack")
    clock = folder / "today"
    clock.write_text(STACK_TODAY, encoding="utf-8")
    running = Stack(folder, f"@{clock}").start()
    yield running, clock
    running.stop()


@pytest.mark.parametrize("scenario", scenario_params(SCENARIOS))
def test_blind_patient(clock_stack, scenario):
    stack, clock = clock_stack
    clock.write_text(scenario["today"], encoding="utf-8")
    sender = next(senders)
    extra = {"defaults": dict(SPANISH_DEFAULTS), "dont_know": SPANISH_DONT_KNOW} if scenario["language"] == "es" else {}
    talk = Conversation(lambda text: stack.say(sender, text), copy.deepcopy(scenario.get("answers") or {}), **extra)
    play(talk, scenario)

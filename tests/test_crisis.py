"""The crisis detector: the judge of crisis language, whatever the classifier says."""

import glob
import time
from pathlib import Path

import pytest
import yaml

from care_clock import SeedError
from care_clock.facts import load_guidance_from
from care_clock.safety.crisis import detect, is_crisis
from care_clock.safety.patterns import normalize

from .conftest import ROOT


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "honestly i'm suicidal since they canceled",
        "i've been cutting myself",
        "I can't keep myself safe tonight",
        "my Nov 4 session was canceled and i want to die",
        # the misses
        "I don't see the point anymore",
        "I've been saving up my meds",
        "i looked up how many of my pills it would take",
        "I wrote goodbye letters to my family last night",
        "there's no point to anything",
    ],
)
def test_crisis_language_is_caught(text, guidance):
    assert is_crisis(text, guidance)


@pytest.mark.parametrize(
    "text",
    [
        "it was supposed to be today",
        "this wait is killing my schedule",
        "the strike is killing me lol",
        "I'm dying to get back to therapy",
        "my appointment was canceled",
        "the deadline is killing me with stress, lol no",
    ],
)
def test_ordinary_messages_are_not_crisis(text, guidance):
    assert not is_crisis(text, guidance)


def test_an_excluded_phrase_does_not_hide_crisis_language_beside_it(guidance):
    assert is_crisis("this wait is killing me and i want to die", guidance)


@pytest.mark.parametrize(
    "text, language",
    [
        ("quiero morirme", "es"),
        ("me quiero matar", "es"),
        ("No quiero vivír", "es"),
        ("ya no tiene sentido nada", "es"),
        ("me voy a suicidar", "es"),
        ("i'm suicidal", "en"),
    ],
)
def test_the_language_of_the_match_is_reported(text, language, guidance):
    assert detect(text, guidance).language == language


def test_text_is_normalized_like_the_patterns():
    assert normalize("I DON’T wannnna  díe!!") == " i dont wana die "
    assert normalize("Daño") == " dano "


def test_every_training_example_agrees_with_the_detector(guidance):
    """Crisis examples are all caught; none of the other intents' examples is."""
    wrong = []
    for path in glob.glob(str(ROOT / "data/nlu/**/*.yml"), recursive=True):
        for block in yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                text = line.strip().lstrip("- ").strip()
                if text and "intent" in block and is_crisis(text, guidance) != (block["intent"] == "crisis"):
                    wrong.append((block["intent"], text))
    assert wrong == []


def test_matching_time_grows_linearly_with_the_message(guidance):
    def seconds(text):
        start = time.perf_counter()
        detect(text, guidance)
        return time.perf_counter() - start

    for filler in ("want to " * 2000, "a" * 20000, "no point in " * 2000, "i " * 10000):
        small, large = seconds(filler[: len(filler) // 10]), seconds(filler)
        assert large < 0.5 and large < 30 * small + 0.01


@pytest.mark.parametrize(
    "pattern, problem",
    [
        ("(unclosed", "not a valid pattern"),
        ("kill[ ]me", "use only"),
        ("... die", "between two words"),
        ("{nowhere} me", "unknown word list"),
    ],
)
def test_a_broken_pattern_is_reported_with_its_key(seeds_copy, pattern, problem):
    path = seeds_copy / "crisis.yml"
    data = yaml.safe_load(path.read_text())
    data["patterns"]["es"]["danger"].append(pattern)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(SeedError, match=r"crisis.yml: patterns.es.danger\[\d+\]: ") as error:
        load_guidance_from(seeds_copy)
    assert problem in str(error.value)


def test_spanish_answer_says_how_988_helps_in_spanish(guidance):
    lifeline = guidance.crisis["lifeline"]
    assert "lifeline_988_spanish" in lifeline["sources"]
    responses = yaml.safe_load((ROOT / "bot/domain/crisis.yml").read_text())["responses"]
    spanish = [
        v["text"]
        for v in responses["utter_crisis"]
        if {c["name"]: c["value"] for c in v.get("condition") or ()} == {"language": "es", "crisis_kind": "crisis"}
    ]
    assert len(spanish) == 1 and "988" in spanish[0] and "911" in spanish[0]
    assert "marcar 2" in spanish[0] and lifeline["spanish_call"] == "press 2"
    assert lifeline["spanish_text"] in spanish[0]


def test_greeting_mentions_988():
    greeting = yaml.safe_load((ROOT / "bot/domain/core.yml").read_text())["responses"]["utter_greet"][0]["text"]
    assert any("988" in line for line in greeting.splitlines())


def _message(text, ranking):
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    return Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})


def test_nlu_component_makes_the_detector_the_judge():
    from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY

    from bot.nlu.crisis_guard import CrisisGuard

    crisis = _message("quiero morirme", [{"name": "nlu_fallback", "confidence": 1.0}])
    wrong = _message(
        "it was supposed to be today", [{"name": "crisis", "confidence": 0.7}, {"name": "inform", "confidence": 0.2}]
    )
    unsure = _message(
        "it was supposed to be today",
        [{"name": "crisis", "confidence": 0.7}, {"name": "check_date", "confidence": 0.1}],
    )
    calm = _message("hello", [{"name": "greet", "confidence": 0.9}])
    CrisisGuard(threshold=0.15).process([crisis, wrong, unsure, calm])

    assert crisis.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    assert crisis.get(INTENT_RANKING_KEY)[0]["name"] == "crisis"
    assert [(e["entity"], e["value"]) for e in crisis.get(ENTITIES)] == [("language", "es"), ("crisis_kind", "crisis")]
    assert wrong.get(INTENT)["name"] == "inform"
    assert all(entry["name"] != "crisis" for entry in wrong.get(INTENT_RANKING_KEY))
    assert unsure.get(INTENT)["name"] == "nlu_fallback"
    assert calm.get(INTENT)["name"] == "greet" and not calm.get(ENTITIES)

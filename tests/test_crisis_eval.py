"""The crisis detector on the hand-written evaluation sets (tests/crisis_eval).

Recall on crisis messages must be 100% and false alarms on ordinary appointment
messages at most 1%. Both figures are printed: `pytest -q tests/test_crisis_eval.py`.
"""

from pathlib import Path

import pytest

from care_clock.safety.crisis import detect

EVAL = Path(__file__).resolve().parent / "crisis_eval"
MAX_FALSE_ALARM_RATE = 0.01


def messages(name: str) -> list[str]:
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def figures(guidance):
    crisis = [(text, lang) for lang in ("en", "es") for text in messages(f"crisis_{lang}.txt")]
    ordinary = messages("ordinary_en.txt") + messages("ordinary_es.txt")
    signals = {text: detect(text, guidance) for text, _ in crisis}
    missed = [text for text, _ in crisis if not (signals[text] and signals[text].takes_over)]
    wrong_language = [text for text, lang in crisis if signals[text] and signals[text].language != lang]
    alarms = [text for text in ordinary if (signal := detect(text, guidance)) and signal.takes_over]
    recall = 1 - len(missed) / len(crisis)
    false_alarm_rate = len(alarms) / len(ordinary)
    summary = (
        f"crisis detector: recall {recall:.1%} on {len(crisis)} crisis messages, "
        f"false alarms {false_alarm_rate:.1%} ({len(alarms)}) on {len(ordinary)} ordinary messages"
    )
    return {
        "crisis": crisis,
        "ordinary": ordinary,
        "missed": missed,
        "wrong_language": wrong_language,
        "alarms": alarms,
        "false_alarm_rate": false_alarm_rate,
        "summary": summary,
    }


def test_figures_are_printed(figures, capsys):
    with capsys.disabled():  # past pytest's capture, so the figures show in every run (make test too)
        print(f"\n{figures['summary']}")


def test_the_sets_are_big_enough(figures):
    assert len(figures["crisis"]) >= 200 and len(figures["ordinary"]) >= 200
    assert sum(lang == "es" for _, lang in figures["crisis"]) >= 50


def test_every_crisis_message_is_caught(figures):
    assert figures["missed"] == []


def test_spanish_crisis_messages_are_answered_in_spanish(figures):
    assert figures["wrong_language"] == []


def test_few_ordinary_messages_raise_an_alarm(figures):
    assert figures["false_alarm_rate"] <= MAX_FALSE_ALARM_RATE, figures["alarms"]

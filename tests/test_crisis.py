"""Crisis language is caught by plain phrases, whatever the classifier says."""
import pytest

from actions.rights.crisis import is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "honestly i'm suicidal since they canceled",
        "sometimes i think everyone is better off if i end my life",
        "i've been cutting myself",
        "I can't keep myself safe tonight",
        "i don't want to live anymore",
        "my Nov 4 session was canceled and i want to die",
        "everyone would be better off without me",
    ],
)
def test_plain_crisis_phrases_are_caught(text, guidance):
    assert is_crisis(text, guidance)


@pytest.mark.parametrize(
    "text",
    ["my appointment was canceled", "is Dec 3 too late?", "the deadline is killing me with stress, lol no",
     "what is the 10 business day rule"],
)
def test_ordinary_messages_are_not_crisis(text, guidance):
    assert not is_crisis(text, guidance)


def test_nlu_component_overrides_the_classifier():
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.crisis_guard import CrisisGuard

    message = Message(data={TEXT: "i want to die", INTENT: {"name": "greet", "confidence": 0.9},
                            INTENT_RANKING_KEY: [{"name": "greet", "confidence": 0.9}]})
    calm = Message(data={TEXT: "hello", INTENT: {"name": "greet", "confidence": 0.9}})
    CrisisGuard().process([message, calm])
    assert message.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "crisis"
    assert calm.get(INTENT)["name"] == "greet"

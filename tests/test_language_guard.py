"""The LanguageGuard NLU component: the `language` entity, and `choose_language` for short requests."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language_guard import LanguageGuard


def _processed(text, intent="report_cancel"):
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": [{"name": intent, "confidence": 0.9}],
            "entities": [],
        }
    )
    LanguageGuard(short_request_words=6).process([message])
    language = [e["value"] for e in message.get("entities") if e["entity"] == "language"]
    return message.get("intent")["name"], language


@pytest.mark.parametrize(
    "text, intent, language",
    [
        ("me cancelaron la cita", "report_cancel", ["es"]),
        ("hola", "report_cancel", ["es"]),
        ("¿hablas español?", "choose_language", ["es"]),
        ("in English please", "choose_language", ["en"]),
        ("me cancelaron la cita del 4 de noviembre, en español por favor", "report_cancel", ["es"]),
        # English never switches by itself: only asking for it does
        ("my appointment was canceled", "report_cancel", []),
        ("ok", "report_cancel", []),
        # a language named for learning, translating or someone else's speech is not the chat's language:
        # the classifier's intent stands, and only Spanish written as such switches
        ("quiero aprender inglés", "report_cancel", ["es"]),
        ("translate this to spanish", "report_cancel", []),
        ("¿el DMHC habla español?", "report_cancel", ["es"]),
    ],
)
def test_language_entity_and_intent(text, intent, language):
    assert _processed(text) == (intent, language)


def test_button_payloads_are_left_alone():
    assert _processed('/choose_language{"language":"es"}', "choose_language") == ("choose_language", [])

"""An NLU component that sets the `language` entity (and so the `language` slot).

- An explicit request ("¿hablas español?", "in English please", a button's
  `/choose_language{"language":"es"}` carries its own entity): the entity, and
  for a short message the intent `choose_language`, so the bot confirms in the
  new language. In a longer message the request only sets the language and the
  classifier's intent stands ("me cancelaron la cita, en español por favor").
- A message written in Spanish: the entity "es", so a Spanish opening gets
  Spanish from then on.
- A message written in English sets nothing: the slot's default is English, and
  one English word, or a sentence of it, in a Spanish conversation does not
  switch back; only asking for English does.

Before the CrisisGuard, which sets the language of a crisis message itself.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.rights.language import SPANISH, asked_for, written_in

CHOOSE_INTENT = "choose_language"
LANGUAGE_ENTITY = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageGuard(GraphComponent):
    def __init__(self, short_request_words: int) -> None:
        self.short_request_words = short_request_words

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # up to this many words, a message naming a language is only that request
        return {"short_request_words": 6}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageGuard:
        return cls(config["short_request_words"])

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith(INTENT_MESSAGE_PREFIX):
                continue  # a button payload says what it means
            asked = asked_for(text)
            if asked:
                _set_language(message, asked, len(text))
                if len(text.split()) <= self.short_request_words:
                    _set_intent(message, CHOOSE_INTENT)
            elif written_in(text) == SPANISH:
                _set_language(message, SPANISH, len(text))
        return messages


def _set_language(message: Message, language: str, length: int) -> None:
    entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != LANGUAGE_ENTITY]
    entities.append(
        {"entity": LANGUAGE_ENTITY, "value": language, "start": 0, "end": length, "extractor": "LanguageGuard"}
    )
    message.set(ENTITIES, entities, add_to_output=True)


def _set_intent(message: Message, intent: str) -> None:
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != intent]
    message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}] + ranking, add_to_output=True)

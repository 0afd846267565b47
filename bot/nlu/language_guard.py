"""An NLU component that sets the `language` entity (and so the `language` slot).

- An explicit request ("¿hablas español?", "in English please", a button's
  `/choose_language{"language":"es"}` carries its own entity): the entity, and
  for a short message the intent `choose_language`, so the bot confirms in the
  new language. In a longer message the request only sets the language and the
  classifier's intent stands ("me cancelaron la cita, en español por favor").
- A message written clearly in Spanish (care_clock/language.switches_to_spanish:
  a margin of Spanish words in a message of several; a date, a number or a
  bare yes/no never switches): the entity "es", so a Spanish opening gets
  Spanish from then on.
- A message written in English sets nothing: the slot's default is English, and
  one English word, or a sentence of it, in a Spanish conversation does not
  switch back; only asking for English does.

Before the CrisisGuard, which sets the language of a crisis message itself.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.message_guard import MessageGuard, set_entity, set_intent
from care_clock.reading.language import SPANISH, asked_for, switches_to_spanish

CHOOSE_INTENT = "choose_language"
LANGUAGE_ENTITY = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageGuard(MessageGuard):
    def __init__(self, short_request_words: int) -> None:
        self.short_request_words = short_request_words

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # up to this many words, a message naming a language is only that request
        return {"short_request_words": 6}

    def check(self, message: Message, text: str) -> None:
        asked = asked_for(text)
        if asked:
            set_entity(message, LANGUAGE_ENTITY, asked, "LanguageGuard")
            if len(text.split()) <= self.short_request_words:
                set_intent(message, CHOOSE_INTENT)
        elif switches_to_spanish(text):
            set_entity(message, LANGUAGE_ENTITY, SPANISH, "LanguageGuard")

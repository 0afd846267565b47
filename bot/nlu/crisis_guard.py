"""An NLU component that makes the crisis detector the only judge of a crisis.

Last in the pipeline, after the classifier:
- the detector (actions/rights/crisis.py, patterns in seeds/crisis.yml) fires:
  the intent is `crisis` with full confidence, and a `language` entity ("en" or
  "es") fills the `language` slot, so the answer comes in the patient's language;
- the classifier says `crisis` but the detector does not fire ("it was supposed
  to be today"): `crisis` is dropped and the next intent in the ranking takes
  its place (or `nlu_fallback` if that one is too unsure), so the conversation
  goes on instead of looping on the crisis answer.
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

from actions.rights.crisis import detect

CRISIS_INTENT = "crisis"
FALLBACK_INTENT = "nlu_fallback"
LANGUAGE_ENTITY = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(GraphComponent):
    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # below this, the intent that replaces a wrong `crisis` is not trusted
        # (the same threshold as the FallbackClassifier in config.yml)
        return {"threshold": 0.25}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisGuard:
        return cls(config["threshold"])

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith(INTENT_MESSAGE_PREFIX):
                continue  # a button payload says what it means
            signal = detect(text)
            if signal:
                self._set_crisis(message, signal.language, len(text))
            else:
                self._drop_crisis(message)
        return messages

    @staticmethod
    def _set_crisis(message: Message, language: str, length: int) -> None:
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != CRISIS_INTENT]
        message.set(INTENT, {"name": CRISIS_INTENT, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": CRISIS_INTENT, "confidence": 1.0}] + ranking, add_to_output=True)
        entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != LANGUAGE_ENTITY]
        entities.append(
            {"entity": LANGUAGE_ENTITY, "value": language, "start": 0, "end": length, "extractor": "CrisisGuard"}
        )
        message.set(ENTITIES, entities, add_to_output=True)

    def _drop_crisis(self, message: Message) -> None:
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != CRISIS_INTENT]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        if (message.get(INTENT) or {}).get("name") != CRISIS_INTENT:
            return
        trusted = [entry for entry in ranking if entry.get("confidence", 0.0) >= self.threshold]
        replacement = trusted[0] if trusted else {"name": FALLBACK_INTENT, "confidence": 1.0}
        message.set(INTENT, dict(replacement), add_to_output=True)

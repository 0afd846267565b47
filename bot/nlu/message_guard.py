"""What the three guards in the pipeline share: each looks at every typed
message after the classifier and may replace its intent or add an entity.
Button payloads ("/choose_language{...}") say what they mean and pass untouched.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


class MessageGuard(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageGuard:
        return cls(**{key: config[key] for key in cls.get_default_config()})

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.startswith(INTENT_MESSAGE_PREFIX):
                self.check(message, text)
        return messages

    def check(self, message: Message, text: str) -> None:
        raise NotImplementedError


def set_intent(message: Message, intent: str) -> None:
    """The intent, with full confidence, first in the ranking."""
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != intent]
    message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}] + ranking, add_to_output=True)


def set_entity(message: Message, entity: str, value: str, extractor: str) -> None:
    """One value of the entity, spanning the whole message (it replaces any other)."""
    entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != entity]
    end = len(message.get(TEXT) or "")
    entities.append({"entity": entity, "value": value, "start": 0, "end": end, "extractor": extractor})
    message.set(ENTITIES, entities, add_to_output=True)

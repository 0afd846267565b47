"""An NLU component that makes crisis language impossible to miss.

The classifier may be unsure about "i cant do this anymore i want to die"; the
plain phrases in seeds/contacts.yml are matched here after it, and a match sets
the intent to `crisis` with full confidence, so the crisis rule always fires.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.rights.crisis import is_crisis

CRISIS_INTENT = "crisis"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisGuard":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if is_crisis(message.get(TEXT) or ""):
                ranking = [{"name": CRISIS_INTENT, "confidence": 1.0}] + [
                    entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != CRISIS_INTENT
                ]
                message.set(INTENT, {"name": CRISIS_INTENT, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

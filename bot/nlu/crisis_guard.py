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

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from actions.rights.crisis import detect
from actions.rights.seeds import Guidance, load_guidance
from bot.nlu.message_guard import MessageGuard, set_entity, set_intent

CRISIS_INTENT = "crisis"
FALLBACK_INTENT = "nlu_fallback"
LANGUAGE_ENTITY = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(MessageGuard):
    def __init__(self, threshold: float, guidance: Guidance | None = None) -> None:
        self.threshold = threshold
        # the seeds are read once, when the model is loaded
        self.guidance = guidance if guidance is not None else load_guidance()

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # below this, the intent that replaces a wrong `crisis` is not trusted
        # (the same threshold as the FallbackClassifier in config.yml)
        return {"threshold": 0.25}

    def check(self, message: Message, text: str) -> None:
        signal = detect(text, self.guidance)
        if signal:
            set_intent(message, CRISIS_INTENT)
            set_entity(message, LANGUAGE_ENTITY, signal.language, "CrisisGuard")
        else:
            self._drop_crisis(message)

    def _drop_crisis(self, message: Message) -> None:
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != CRISIS_INTENT]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        if (message.get(INTENT) or {}).get("name") != CRISIS_INTENT:
            return
        trusted = [entry for entry in ranking if entry.get("confidence", 0.0) >= self.threshold]
        replacement = trusted[0] if trusted else {"name": FALLBACK_INTENT, "confidence": 1.0}
        message.set(INTENT, dict(replacement), add_to_output=True)

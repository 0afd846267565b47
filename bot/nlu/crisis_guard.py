"""An NLU component that makes the crisis detector the only judge of a crisis.

Last in the pipeline, after the classifier:
- the detector (care_clock/safety/crisis.py: phrases in seeds/crisis.yml, composition
  in seeds/crisis_composition.yml) finds a risk to answer first: the intent is
  `crisis` with full confidence, a `language` entity ("en" or "es") fills the
  `language` slot, so the answer comes in the patient's language, and a
  `crisis_kind` entity says which answer: the writer at risk (988 first), danger
  from someone else (911 first), someone else at risk (988, which also helps
  people worried about someone);
- a possible risk (hopelessness, risk words without the whole picture): the
  intent is `distress`, whose answer asks directly and gives 988, then the
  conversation goes on;
- a question about the crisis line itself ("is 988 run by Kaiser?"): `crisis`
  with `crisis_kind` "question", answered with the facts about 988;
- the classifier says `crisis` but the detector does not fire ("it was supposed
  to be today"): `crisis` is dropped and the next intent in the ranking takes
  its place (or `nlu_fallback` if that one is too unsure), so the conversation
  goes on instead of looping on the crisis answer.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from actions.timeline_slots import RIGHTS_QUESTIONS
from bot.nlu.message_guard import MessageGuard, set_entity, set_intent
from care_clock.facts import Guidance, load_guidance
from care_clock.safety.compose import asks_about_988
from care_clock.safety.crisis import detect

CRISIS_INTENT = "crisis"
DISTRESS_INTENT = "distress"
FALLBACK_INTENT = "nlu_fallback"
LANGUAGE_ENTITY = "language"
KIND_ENTITY = "crisis_kind"
CHECK_IN_ENTITY = "risk_check_in"
QUESTION_KIND = "question"
# Intents a "likely" reading of the model alone does not replace: answers and case facts
# ("i don't have it in front of me, idk" is an answer, whatever words it shares with risk).
ANSWER_INTENTS = ("report_cancel", "check_date", "inform", "affirm", "deny")
SURE_INTENT = 0.9
OPENS_WITH_YES_OR_NO = re.compile(r"\W*(?:yes|yeah|yep|yup|sure|s[ií]|no|nope|nah|nel)\b", re.IGNORECASE)


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
        intent = (message.get(INTENT) or {}).get("name")
        if (
            signal
            and signal.group == "model"
            and signal.tier == "crisis"
            and (_answers(text, intent) or _tells_a_case(text))
        ):
            # the model alone, with no rule behind it, sure of a risk in a long case story (a lost dog,
            # a medicine that stopped working): blind round r7 showed these are stories, and a takeover
            # there lost the case; blind round r10 showed real risk told beside a case ("my therapist got
            # cancelled ... today i want to do my wrists"). The case goes on, and asks directly first.
            # So does an answer to the form's question ("no, nobody told me waiting longer would be
            # fine": blind round r15, where the takeover came back with the question, twice).
            self._check_in_beside_the_case(message, signal, intent)
        elif signal and signal.takes_over:
            set_intent(message, CRISIS_INTENT)
            set_entity(message, LANGUAGE_ENTITY, signal.language, "CrisisGuard")
            set_entity(message, KIND_ENTITY, signal.tier, "CrisisGuard")
        elif signal and intent in ANSWER_INTENTS and (signal.group == "model" or _tells_a_case(text)):
            # an answer or a case message the model only finds "likely" (it loops on answers and
            # misreads calm stories: r7): the conversation goes on; a case told with a rule's words in
            # it ("hopeless" beside its dates): the case goes on too, and the form asks directly first
            if signal.group != "model":
                self._check_in_beside_the_case(message, signal, intent)
        elif signal and signal.group == "model" and intent in RIGHTS_QUESTIONS and _confidence(message) >= SURE_INTENT:
            # (RIGHTS_QUESTIONS are answered by action_answer_rights, which says the check-in first)
            # the model alone finds a possible risk in a clear rights question ("my primary care doc has
            # been refilling my sertraline but won't keep doing it": blind round r20): the question is
            # answered, with the direct check-in before it, instead of the check-in alone losing it
            set_entity(message, LANGUAGE_ENTITY, signal.language, "CrisisGuard")
            set_entity(message, CHECK_IN_ENTITY, "yes", "CrisisGuard")
        elif signal:
            set_intent(message, DISTRESS_INTENT)
            set_entity(message, LANGUAGE_ENTITY, signal.language, "CrisisGuard")
        elif asks_about_988(text):
            set_intent(message, CRISIS_INTENT)
            set_entity(message, KIND_ENTITY, QUESTION_KIND, "CrisisGuard")
        else:
            self._drop_crisis(message)

    def _check_in_beside_the_case(self, message: Message, signal, intent: str | None) -> None:
        """The case goes on with a direct check-in before it (the form says it); a message that is
        not a step of the case gets the check-in as its answer."""
        set_entity(message, LANGUAGE_ENTITY, signal.language, "CrisisGuard")
        if intent in ANSWER_INTENTS:
            set_entity(message, CHECK_IN_ENTITY, "yes", "CrisisGuard")
        else:
            set_intent(message, DISTRESS_INTENT)

    def _drop_crisis(self, message: Message) -> None:
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != CRISIS_INTENT]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        if (message.get(INTENT) or {}).get("name") != CRISIS_INTENT:
            return
        trusted = [entry for entry in ranking if entry.get("confidence", 0.0) >= self.threshold]
        replacement = trusted[0] if trusted else {"name": FALLBACK_INTENT, "confidence": 1.0}
        message.set(INTENT, dict(replacement), add_to_output=True)


def _confidence(message: Message) -> float:
    return float((message.get(INTENT) or {}).get("confidence") or 0.0)


def _answers(text: str, intent: str | None) -> bool:
    """A yes or a no that opens a message the classifier took for an answer."""
    return intent in ("affirm", "deny", "inform") and bool(OPENS_WITH_YES_OR_NO.match(text))


def _tells_a_case(text: str) -> bool:
    from actions.context import current_time
    from care_clock.reading.language import SPANISH, written_in
    from care_clock.reading.message import message_facts

    return message_facts(text, current_time(), load_guidance(), spanish=written_in(text) == SPANISH).tells_a_case

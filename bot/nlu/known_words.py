"""Two small NLU components for messages with nothing the bot can read.

- `WordListFeaturizer`: Rasa's RegexFeaturizer (the word lists in
  data/nlu/features.yml), except that a blank message gets all-zero features
  instead of none, so the classifier sees as many features as it was trained on
  (Rasa's own featurizer skips blank text, and the classifier then fails), and
  that matching tokens to matches costs time linear in the message's length.
- `UnknownWordsGuard`: a message with no word that occurs in the training data
  (emoji only, gibberish, another language) is `nlu_fallback`, so the patient
  hears "Sorry, I didn't follow" instead of a confident guess. Numbers count as
  known: "12/17" and "3rd" are dates.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.shared.nlu.constants import ACTION_TEXT, RESPONSE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.message_guard import MessageGuard, set_intent

FALLBACK_INTENT = "nlu_fallback"
NUMBER = re.compile(r"\d+([/.-]\d+)*(st|nd|rd|th)?")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class WordListFeaturizer(RegexFeaturizer):
    def _features_for_patterns(
        self, message: Message, attribute: str
    ) -> tuple[scipy.sparse.coo_matrix | None, scipy.sparse.coo_matrix | None]:
        text = message.get(attribute)
        tokens = message.get(TOKENS_NAMES[attribute], []) if text else []
        if not tokens:
            if attribute == TEXT and self.known_patterns:
                return None, scipy.sparse.coo_matrix((1, len(self.known_patterns)))
            return None, None
        flags = 0 if self.case_sensitive else re.IGNORECASE
        sequence = np.zeros([len(tokens), len(self.known_patterns)])
        for index, pattern in enumerate(self.known_patterns):
            matched = tokens_matched(tokens, re.finditer(pattern["pattern"], text, flags=flags))
            for token, hit in zip(tokens, matched):
                token_patterns = token.get("pattern", default={})
                token_patterns[pattern["name"]] = hit
                token.set("pattern", token_patterns)
            sequence[:, index] = matched
        sentence = sequence.max(axis=0, keepdims=True)
        if attribute not in (RESPONSE, TEXT, ACTION_TEXT):
            sentence[:] = 0.0
        return scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence)


def tokens_matched(tokens: list[Any], matches: Iterator[re.Match]) -> list[bool]:
    """Which tokens overlap a match, in one left-to-right sweep over both (Rasa's
    RegexFeaturizer compares every token with every match: quadratic in length)."""
    spans = [match.span() for match in matches]  # sorted and non-overlapping
    matched, first = [], 0
    for token in tokens:
        while first < len(spans) and spans[first][1] <= token.start:
            first += 1  # ends before this token, so before every later one too
        matched.append(first < len(spans) and spans[first][0] < token.end)
    return matched


def words_of(message: Message) -> list[str]:
    return [token.text.lower() for token in message.get(TOKENS_NAMES[TEXT]) or []]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsGuard(MessageGuard):
    VOCABULARY_FILE = "vocabulary.json"

    def __init__(self, model_storage: ModelStorage, resource: Resource, vocabulary: set | None = None) -> None:
        self._model_storage, self._resource = model_storage, resource
        self.vocabulary = vocabulary or set()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UnknownWordsGuard":
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "UnknownWordsGuard":
        with model_storage.read_from(resource) as folder:
            vocabulary = set(json.loads((folder / cls.VOCABULARY_FILE).read_text(encoding="utf-8")))
        return cls(model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        self.vocabulary = {word for example in training_data.intent_examples for word in words_of(example)}
        with self._model_storage.write_to(self._resource) as folder:
            (folder / self.VOCABULARY_FILE).write_text(json.dumps(sorted(self.vocabulary)), encoding="utf-8")
        return self._resource

    def knows_a_word(self, message: Message) -> bool:
        return any(word in self.vocabulary or NUMBER.fullmatch(word) for word in words_of(message))

    def check(self, message: Message, text: str) -> None:
        if not self.knows_a_word(message):
            set_intent(message, FALLBACK_INTENT)

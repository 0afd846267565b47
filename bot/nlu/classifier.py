"""Rasa's LogisticRegressionClassifier, reading only the features it uses.

Rasa's version asks the message for all its sparse features, which combines
(and first deep-copies) the per-token features of every featurizer as well,
only to use the sentence-level ones: about a tenth of a turn's CPU. Here the
sentence-level features are stacked directly, in the same order, so the
classifier sees the same matrix, in training and in conversation alike.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, issparse, vstack


def sentence_features(message: Message) -> csr_matrix:
    """The message's sentence-level features side by side: sparse ones first, then dense, as Rasa does."""
    parts = [f.features for f in message.features if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
    ordered = [p for p in parts if issparse(p)] + [csr_matrix(p) for p in parts if not issparse(p)]
    return csr_matrix(hstack(ordered)) if ordered else csr_matrix([])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SentenceLogisticRegressionClassifier(LogisticRegressionClassifier):
    def _create_X(self, messages: List[Message]) -> csr_matrix:
        return vstack([sentence_features(message) for message in messages])

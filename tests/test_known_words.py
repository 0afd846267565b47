"""Messages with nothing the bot can read: blank, emoji, gibberish."""

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.known_words import UnknownWordsGuard


def message(text, intent="affirm"):
    tokens, offset = [], 0
    for word in text.split():
        offset = text.index(word, offset)
        tokens.append(Token(word, offset))
        offset += len(word)
    built = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.6}})
    built.set(TOKENS_NAMES[TEXT], tokens)
    return built


@pytest.fixture
def guard():
    trained = UnknownWordsGuard(model_storage=None, resource=None)
    trained.vocabulary = {
        word
        for example in [message("my appointment was canceled"), message("cya")]
        for word in (t.text.lower() for t in example.get(TOKENS_NAMES[TEXT]))
    }
    return trained


@pytest.mark.parametrize("text", ["", "😭😭😭", "qwpoeiru zxmcnv", "\x1b[31m", "מתי התור שלי"])
def test_nothing_known_is_not_understood(guard, text):
    processed = guard.process([message(text)])[0]
    assert processed.get(INTENT)["name"] == "nlu_fallback"


@pytest.mark.parametrize("text", ["Appointment canceled!! asdf", "cya", "12/17", "the 3rd", "/affirm"])
def test_a_known_word_a_date_or_a_button_keeps_the_classifier_intent(guard, text):
    processed = guard.process([message(text)])[0]
    assert processed.get(INTENT)["name"] == "affirm"


def test_blank_message_gets_zero_word_list_features():
    from bot.nlu.known_words import WordListFeaturizer

    featurizer = WordListFeaturizer.__new__(WordListFeaturizer)
    featurizer.known_patterns = [{"name": "farewell", "pattern": r"(\bbye\b)"}]
    featurizer.case_sensitive = False
    sequence, sentence = featurizer._features_for_patterns(Message(data={TEXT: ""}), TEXT)
    assert sequence is None
    assert sentence.shape == (1, 1) and sentence.nnz == 0


def test_vocabulary_comes_from_the_training_examples(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    storage = LocalModelStorage(tmp_path)
    resource = Resource("guard")
    guard = UnknownWordsGuard(storage, resource)
    example = message("Delete my data")
    example.set(INTENT, "delete_my_data")
    guard.train(TrainingData([example]))
    loaded = UnknownWordsGuard.load({}, storage, resource, None)
    assert loaded.vocabulary == {"delete", "my", "data"}


def test_the_fast_classifier_sees_the_same_features_as_rasas():
    import numpy as np
    import scipy.sparse
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE
    from rasa.shared.nlu.training_data.features import Features

    from bot.nlu.classifier import SentenceLogisticRegressionClassifier

    def featurised(text, with_dense):
        example = message(text)
        for origin, width in (("words", 3), ("chars", 5)):
            example.add_features(
                Features(
                    scipy.sparse.coo_matrix(np.arange(2 * width).reshape(2, width)), FEATURE_TYPE_SEQUENCE, TEXT, origin
                )
            )
            example.add_features(
                Features(
                    scipy.sparse.coo_matrix(np.arange(width) % 2 * (width + 0.5)).reshape(1, width),
                    FEATURE_TYPE_SENTENCE,
                    TEXT,
                    origin,
                )
            )
        if with_dense:
            example.add_features(Features(np.array([[0.25, 0.0]]), FEATURE_TYPE_SENTENCE, TEXT, "dense"))
        return example

    for batch in (
        [featurised("my appointment", False)],
        [featurised("my appointment", True)],
        [featurised("one", False), featurised("two", False)],
    ):
        ours = SentenceLogisticRegressionClassifier._create_X(None, batch)
        rasas = LogisticRegressionClassifier._create_X(None, batch)
        assert ours.shape == rasas.shape and ours.dtype == rasas.dtype
        assert np.array_equal(ours.toarray(), rasas.toarray())
    assert ours.shape == (2, 8)

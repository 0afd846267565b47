"""Bounded input: the word-list featurizer is linear, and a message over the limit
is answered before any NLU (bot/patches/message_limits.py)."""

from __future__ import annotations

import random
import time

from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.known_words import WordListFeaturizer

PATTERNS = [
    {"name": "farewell", "pattern": r"(\bbye\b|\bsee you\b)"},
    {"name": "canceled", "pattern": r"(\bcancell?ed\b|\bcalled off\b)"},
]
WORDS = ["bye", "see", "you", "canceled", "called", "off", "my", "appt", "12/17", "ok"]


def featurizer(cls):
    built = cls.__new__(cls)
    built.known_patterns, built.case_sensitive = PATTERNS, False
    return built


def tokenized(text: str) -> Message:
    message = Message(data={TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    return message


def test_word_list_features_are_rasas_features():
    ours, rasas = featurizer(WordListFeaturizer), featurizer(RegexFeaturizer)
    rng = random.Random(7)
    for _ in range(200):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 30)))
        mine, theirs = tokenized(text), tokenized(text)
        for got, expected in zip(ours._features_for_patterns(mine, TEXT), rasas._features_for_patterns(theirs, TEXT)):
            assert (got.toarray() == expected.toarray()).all(), text
        assert [t.get("pattern") for t in mine.get(TOKENS_NAMES[TEXT])] == [
            t.get("pattern") for t in theirs.get(TOKENS_NAMES[TEXT])
        ]


def seconds_to_featurize(words: int) -> float:
    """This process's CPU time (not the wall clock, which another busy process on a 2-core machine
    stretches): the best of three runs."""
    message = tokenized(" ".join(["bye canceled"] * (words // 2)))
    runs = []
    for _ in range(3):
        started = time.process_time()
        featurizer(WordListFeaturizer)._features_for_patterns(message, TEXT)
        runs.append(time.process_time() - started)
    return min(runs)


def test_word_list_featurizer_is_linear_in_length():
    small, large = seconds_to_featurize(2_000), seconds_to_featurize(40_000)
    assert large < 2, f"40,000 words took {large:.2f} s of CPU"
    assert large < 60 * max(small, 1e-3), (small, large)  # 20x the words: about 20x the time, not 400x

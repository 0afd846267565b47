"""A statistical net under the crisis rules: how much a message reads like the risk examples.

The rules (crisis.yml, crisis_composition.yml) catch what they name; on a blind
round written by someone else they caught 62% of risk messages, and a model of
word and letter groups, learned from the examples in seeds/crisis_examples/
(the evaluation sets, the scored blind rounds, and the other intents' training
examples as ordinary), caught 92% of the same round (tests/crisis_eval/BLIND.md).
So the detector asks the model only where the rules found nothing: a sure
reading (0.95) answers first with the crisis answer, a likely one (0.7) gets the
direct check-in with 988, unless the message is an answer or a case fact
(bot/nlu/crisis_guard.py): at 0.5 an answer like "I don't have it in front of
me, idk" looped on the check-in. Trained once per process, in about a second, the same way
every time (a fixed solver and no random state); scikit-learn comes with Rasa.
"""

from __future__ import annotations

from functools import lru_cache

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from care_clock.paths import SEEDS
from care_clock.safety.compose import plain_text
from care_clock.safety.patterns import normalize

EXAMPLES = SEEDS / "crisis_examples"
SURE, LIKELY = 0.95, 0.7  # probability of risk for the crisis answer, and for the check-in


def _read(name: str) -> list[str]:
    lines = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _words(text: str) -> str:
    return normalize(plain_text(text))


@lru_cache(maxsize=1)
def crisis_model() -> Pipeline:
    risk, ordinary = _read("risk"), _read("ordinary")
    features = make_union(
        TfidfVectorizer(preprocessor=_words, analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True),
        TfidfVectorizer(preprocessor=_words, ngram_range=(1, 2), sublinear_tf=True),
    )
    model = make_pipeline(features, LogisticRegression(C=10, class_weight="balanced", max_iter=2000))
    return model.fit(risk + ordinary, [1] * len(risk) + [0] * len(ordinary))


def risk_probability(text: str) -> float:
    return float(crisis_model().predict_proba([text[:2000]])[0, 1])

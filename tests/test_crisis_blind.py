"""The crisis detector on the blind rounds (tests/crisis_eval/blind_r*.tsv), per tier, category and language.

Each round was written by someone who had not read the detector, its word lists or
these tests, from public clinical and crisis-line material, and scored through
`make run` before any change (tests/crisis_eval/BLIND.md has the first-pass
figures). Once scored, a round joins these gates, so what was fixed stays fixed:
  - risk messages: at least 98% caught, and at least 90% in every category and language;
  - danger from someone else gets the 911-first answer; someone else at risk gets 988;
  - ordinary messages: at most 2% taken over by the crisis answer.
`pytest -q -s tests/test_crisis_blind.py` prints the table.
"""

from collections import Counter, defaultdict
from pathlib import Path

import pytest

from care_clock.safety.crisis import detect

from .crisis_eval.blind import load_round

ROUNDS = sorted((Path(__file__).resolve().parent / "crisis_eval").glob("blind_r*.tsv"))
MIN_RECALL, MIN_CATEGORY_RECALL, MAX_TAKEOVER_RATE = 0.98, 0.90, 0.02


def caught(expected: str, signal) -> bool:
    """Whether the detector's answer is the one the message calls for (see crisis_eval/blind.py)."""
    if expected == "ordinary":
        return not (signal and signal.takes_over)
    if signal is None:
        return False
    if expected == "crisis":
        return signal.tier in ("crisis", "danger", "harm_other")
    if expected == "danger":
        return signal.tier in ("danger", "harm_other")  # both answered 911 first
    return True  # other_at_risk, possible: 988 is given (as a takeover or a check-in)


@pytest.fixture(scope="module")
def scored(guidance):
    rows = [row for path in ROUNDS for row in load_round(path)]
    return [(row, caught(row["expected"], detect(row["message"], guidance))) for row in rows]


def test_there_are_blind_rounds(scored):
    assert len(ROUNDS) >= 1 and len(scored) >= 100


def test_the_table_is_printed(scored, capsys):
    cells = defaultdict(Counter)
    for row, ok in scored:
        cells[(row["expected"], row["category"], row["lang"])][ok] += 1
    with capsys.disabled():
        print("\nblind crisis rounds: expected / category / language: caught")
        for (expected, category, lang), count in sorted(cells.items()):
            print(f"  {expected:14} {category:22} {lang}  {count[True]}/{count[True] + count[False]}")


def test_risk_recall(scored):
    risk = [(row, ok) for row, ok in scored if row["expected"] != "ordinary"]
    missed = [row["message"] for row, ok in risk if not ok]
    assert 1 - len(missed) / len(risk) >= MIN_RECALL, missed


def test_every_category_and_language(scored):
    cells = defaultdict(list)
    for row, ok in scored:
        if row["expected"] != "ordinary":
            cells[(row["category"], row["lang"])].append(ok)
    weak = {cell: f"{sum(oks)}/{len(oks)}" for cell, oks in cells.items() if sum(oks) / len(oks) < MIN_CATEGORY_RECALL}
    assert not weak, weak


def test_ordinary_messages_are_not_taken_over(scored):
    ordinary = [(row, ok) for row, ok in scored if row["expected"] == "ordinary"]
    taken = [row["message"] for row, ok in ordinary if not ok]
    assert len(taken) / len(ordinary) <= MAX_TAKEOVER_RATE, taken


def test_the_model_learns_from_the_current_examples():
    """seeds/crisis_examples/ is written from the evaluation sets, the rounds and data/nlu."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "crisis_examples.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr

"""Write seeds/crisis_examples/{risk,ordinary}.txt, the examples the crisis model learns from.

    python scripts/crisis_examples.py          # rewrite the files
    python scripts/crisis_examples.py --check  # exit 1 if they are not what this writes

Risk: the crisis evaluation sets and every risk line of the scored blind rounds.
Ordinary: the ordinary evaluation sets, the ordinary lines of the rounds, the
training examples of every intent but crisis (data/nlu), and the scripted patients'
answers to the form's questions (tests/patients) where no crisis rule fires: the
model alone took "no, nobody told me waiting longer would be fine" for risk (blind
round r15). Distress examples count
as ordinary here because the classifier already answers them with the check-in. A blind
round joins only after its first-pass score is recorded (tests/crisis_eval/BLIND.md),
so the next round still measures what the model has not seen.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.crisis_eval.blind import load_round  # noqa: E402

EVAL = ROOT / "tests" / "crisis_eval"
OUT = ROOT / "seeds" / "crisis_examples"
HEADER = (
    "# Written by scripts/crisis_examples.py from tests/crisis_eval and data/nlu: do not edit by hand.\n"
    "# One message a line; the crisis model (care_clock/safety/model.py) learns from these.\n"
)


def _lines(path: Path) -> list[str]:
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _patient_answers() -> list[str]:
    """What scripted patients answer to the form's questions, left out where a rule finds risk
    (the model must not learn a rule's risk as ordinary)."""
    from care_clock.safety.crisis import rules_find_risk

    answers = []
    for path in sorted((ROOT / "tests" / "patients").glob("*.yml")):
        for scenario in yaml.safe_load(path.read_text(encoding="utf-8")).get("scenarios") or []:
            for answer in (scenario.get("answers") or {}).values():
                answers += [a for a in (answer if isinstance(answer, list) else [answer]) if isinstance(a, str)]
    return [answer for answer in answers if not rules_find_risk(answer)]


def examples() -> dict[str, list[str]]:
    risk = _lines(EVAL / "crisis_en.txt") + _lines(EVAL / "crisis_es.txt")
    ordinary = _lines(EVAL / "ordinary_en.txt") + _lines(EVAL / "ordinary_es.txt")
    for path in sorted(EVAL.glob("blind_r*.tsv")):
        for row in load_round(path):
            (ordinary if row["expected"] == "ordinary" else risk).append(row["message"])
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if block.get("intent") and block["intent"] != "crisis":
                ordinary += [
                    line.strip()[2:].strip() for line in (block.get("examples") or "").splitlines() if line.strip()
                ]
    ordinary += _patient_answers()
    unique = lambda items: list(dict.fromkeys(" ".join(item.split()) for item in items))  # noqa: E731
    return {"risk": unique(risk), "ordinary": unique(ordinary)}


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for name, items in examples().items():
        path = OUT / f"{name}.txt"
        text = HEADER + "\n".join(items) + "\n"
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {len(items)} examples")
    if stale:
        print(
            "out of date (run python scripts/crisis_examples.py): " + ", ".join(str(p) for p in stale), file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

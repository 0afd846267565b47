"""Intent macro F1 per language from an NLU cross-validation run.

Run the cross-validation with per-example results, then this script:
  rasa test nlu --config config.yml --nlu data/nlu --cross-validation --folds 5 \
      --out results/nlu-cv --successes --no-plot --quiet
  python scripts/nlu_report_by_language.py results/nlu-cv --min-macro-f1 0.95
An example is Spanish when it comes from data/nlu/es/ (the English files and the
Spanish ones are kept apart), so the split does not depend on a detector.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parents[1]
SPANISH_DATA = ROOT / "data" / "nlu" / "es"


def spanish_texts() -> set[str]:
    texts = set()
    for path in SPANISH_DATA.glob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            texts.update(
                line.strip()[2:].strip()
                for line in item.get("examples", "").splitlines()
                if line.strip().startswith("- ")
            )
    return texts


def predictions(folder: Path) -> list[dict]:
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = folder / name
        if path.is_file():
            rows += json.loads(path.read_text(encoding="utf-8"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path, help="the --out folder of `rasa test nlu`")
    parser.add_argument("--min-macro-f1", type=float, default=0.95)
    args = parser.parse_args()
    spanish = spanish_texts()
    by_language: dict[str, tuple[list[str], list[str]]] = {"en": ([], []), "es": ([], [])}
    for row in predictions(args.results):
        truth, predicted = by_language["es" if row["text"] in spanish else "en"]
        truth.append(row["intent"])
        predicted.append((row.get("intent_prediction") or {}).get("name") or "None")
    failed = False
    for language, (truth, predicted) in by_language.items():
        if not truth:
            print(f"{language}: no examples (was the run made with --successes?)")
            failed = True
            continue
        macro = f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0)
        per_intent = f1_score(truth, predicted, labels=sorted(set(truth)), average=None, zero_division=0)
        weakest = sorted(zip(per_intent, sorted(set(truth))))[:4]
        print(
            f"{language}: {len(truth)} examples, intent macro F1 {macro:.3f} (bar {args.min_macro_f1}); weakest: "
            + ", ".join(f"{name} {score:.2f}" for score, name in weakest)
        )
        failed |= macro < args.min_macro_f1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

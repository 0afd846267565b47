"""Fail when the NLU cross-validation's intent macro F1 is below the bar."""

import argparse
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("report")
parser.add_argument("--min-macro-f1", type=float, required=True)
args = parser.parse_args()

with open(args.report, encoding="utf-8") as handle:
    report = json.load(handle)
macro_f1 = report["macro avg"]["f1-score"]
weak = sorted(
    (scores["f1-score"], name)
    for name, scores in report.items()
    if isinstance(scores, dict) and "support" in scores and name not in ("macro avg", "weighted avg", "micro avg")
)[:5]
print(
    f"intent macro F1 {macro_f1:.3f} (bar {args.min_macro_f1}); weakest: " + ", ".join(f"{n} {f:.2f}" for f, n in weak)
)
sys.exit(0 if macro_f1 >= args.min_macro_f1 else 1)

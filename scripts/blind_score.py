"""Score a blind round against a running `make run` (REST), the way a new patient meets the bot.

    python scripts/blind_score.py patients ROUND.yml [--url http://127.0.0.1:5005]
    python scripts/blind_score.py crisis ROUND.tsv [--url ...]

Patients: each scenario is played by the scripted patient of tests/patients/ and
scored on its verdict (status and deadline) and on no question asked three times.
Crisis: each line of `expected<TAB>category<TAB>lang<TAB>message` is sent as the
first message of a new conversation and the first reply is classified (see
tests/crisis_eval/blind.py). Prints one line per failure and the totals; with
--json, writes them too. Start the stack with CARE_CLOCK_TODAY set to the round's
"today" (the patient rounds use 2024-11-22 12:00).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import requests
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.crisis_eval.blind import classify_reply, load_round, passes  # noqa: E402
from tests.patients.patient import (  # noqa: E402
    SPANISH_DEFAULTS,
    SPANISH_DONT_KNOW,
    Conversation,
    play,
)


def rest_say(url: str, sender: str):
    def say(text: str) -> list[dict]:
        response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    return say


def score_patients(path: Path, url: str) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    spanish = data.get("language") == "es"
    results = []
    for scenario in data["scenarios"]:
        extra = {"defaults": dict(SPANISH_DEFAULTS), "dont_know": SPANISH_DONT_KNOW} if spanish else {}
        talk = Conversation(
            rest_say(url, f"blind-{uuid.uuid4().hex[:8]}"), copy.deepcopy(scenario.get("answers") or {}), **extra
        )
        try:
            play(talk, scenario)
            ok, why = True, ""
        except AssertionError:
            ok, why = False, talk.log()
        results.append({"name": scenario["name"], "ok": ok, "log": why})
        print(("PASS " if ok else "FAIL ") + scenario["name"], flush=True)
        if not ok:
            print("    " + why.replace("\n", "\n    "), flush=True)
    passed = sum(r["ok"] for r in results)
    print(f"\n{path}: {passed} of {len(results)} ({100 * passed / max(1, len(results)):.0f}%)")
    return {"passed": passed, "total": len(results), "results": results}


def score_crisis(path: Path, url: str) -> dict:
    rows = load_round(path)
    by_cell: dict[tuple, Counter] = defaultdict(Counter)
    failures = []
    for row in rows:
        replies = rest_say(url, f"blind-{uuid.uuid4().hex[:8]}")(row["message"])
        # the first reply decides: "988 and 911 first"; a rights answer that ends on a 988 line is no takeover
        got = classify_reply(next((m["text"] for m in replies if m.get("text")), ""))
        ok = passes(row["expected"], got)
        by_cell[(row["expected"], row["category"], row["lang"])][ok] += 1
        if not ok:
            failures.append({**row, "got": got})
            print(f"FAIL [{row['expected']}/{row['category']}/{row['lang']}] got {got}: {row['message']}", flush=True)
    print()
    for (expected, category, lang), counts in sorted(by_cell.items()):
        total = counts[True] + counts[False]
        print(f"{expected:14} {category:22} {lang}  {counts[True]}/{total}")
    for lang in ("en", "es"):
        risk = [c for (e, _, la), c in by_cell.items() if la == lang and e != "ordinary"]
        ordinary = [c for (e, _, la), c in by_cell.items() if la == lang and e == "ordinary"]
        hit, n = sum(c[True] for c in risk), sum(c[True] + c[False] for c in risk)
        calm, m = sum(c[True] for c in ordinary), sum(c[True] + c[False] for c in ordinary)
        print(f"{lang}: risk {hit}/{n}, ordinary kept ordinary {calm}/{m}")
    return {"failures": failures, "cells": {"/".join(k): dict(v) for k, v in by_cell.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("patients", "crisis"))
    parser.add_argument("round", type=Path)
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not args.round.is_file():
        parser.error(f"no such file: {args.round}")
    result = (score_patients if args.what == "patients" else score_crisis)(args.round, args.url)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

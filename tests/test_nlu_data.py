"""The Spanish training data is as broad as the English (issue 17)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

NLU = Path(__file__).resolve().parents[1] / "data" / "nlu"


def examples_per_intent(paths) -> Counter:
    counts = Counter()
    for path in paths:
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" in block:
                lines = (block.get("examples") or "").splitlines()
                counts[block["intent"]] += sum(1 for line in lines if line.strip().startswith("- "))
    return counts


def test_spanish_has_at_least_as_many_examples_per_intent_as_english():
    english = examples_per_intent(NLU.glob("*.yml"))
    spanish = examples_per_intent((NLU / "es").glob("*.yml"))
    short = {intent: (spanish[intent], count) for intent, count in english.items() if spanish[intent] < count}
    assert short == {}, "Spanish vs English examples: " + repr(short)


def test_the_spanish_files_are_what_the_generator_writes(tmp_path, monkeypatch):
    """Generated files are not edited by hand (edit scripts/spanish_sentences.yml instead)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("spanish_nlu", NLU.parents[1] / "scripts" / "spanish_nlu.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    monkeypatch.setattr(generator, "OUT", tmp_path)
    generator.main()
    for written in tmp_path.glob("*.yml"):
        committed = NLU / "es" / written.name
        assert written.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), written.name

"""Writes data/nlu/es/*.yml (all but crisis.yml): Spanish and Spanglish examples.

The sentences in scripts/spanish_sentences.yml are written by hand, the way
Spanish speakers in California write to a chat; each is also added without
accents, with the English words patients mix in ("mi appointment", "la cita de
follow-up") and with one typo, so the model sees all the ways one sentence
arrives. Run it again after editing that file:
`.venv/bin/python scripts/spanish_nlu.py`.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parents[1] / "data" / "nlu" / "es"
SOURCE = Path(__file__).with_name("spanish_sentences.yml")


def plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    words[i] = w[:j] + w[j + 1 :] if rng.random() < 0.5 else w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def variants(sentence: str, spanglish: list[list[str]], rng: random.Random) -> list[str]:
    out = [sentence, plain(sentence).replace("¿", "").replace("?", "")]
    for spanish, mixed in spanglish:
        if spanish in sentence:
            out.append(sentence.replace(spanish, mixed, 1))
            break
    out.append(typo(plain(sentence), rng))
    return out


def _rng(sentence: str) -> random.Random:
    """A generator of its own per sentence: adding a sentence leaves every other one's variants as they were."""
    return random.Random("17:" + sentence)


def examples(sentences: list[str], source: dict) -> list[str]:
    expanded = []
    for sentence in sentences:
        if "{date}" in sentence:
            expanded += [sentence.format(date=d) for d in _rng(sentence).sample(source["dates"], 6)]
        else:
            expanded.append(sentence)
    seen, result = set(), []
    for sentence in expanded:
        for v in variants(sentence, source["spanglish"], _rng(sentence)):
            v = re.sub(r"\s+", " ", v).strip()
            if v and v.lower() not in seen:
                seen.add(v.lower())
                result.append(v)
    return result


def main() -> None:
    source = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    for name, intents in source["files"].items():
        lines = ['version: "3.1"', "# Written by scripts/spanish_nlu.py from scripts/spanish_sentences.yml.", "nlu:"]
        for intent, sentences in intents.items():
            lines += [f"  - intent: {intent}", "    examples: |"]
            lines += [f"      - {e}" for e in examples(sentences, source)]
        (OUT / f"{name}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

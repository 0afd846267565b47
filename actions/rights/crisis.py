"""Crisis detector: does a message call for the 988 / 911 answer first?

Runs on every message, before and whatever the intent classifier decides. The
patterns are data (seeds/crisis.yml); recall comes first, so a message that may
be a crisis gets the answer and the conversation then goes on where it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from .crisis_language import normalize
from .seeds import Guidance, load_guidance

MASK = " . "  # replaces an excluded span; no pattern or gap crosses it


@dataclass(frozen=True)
class CrisisSignal:
    group: str  # which kind of crisis language, e.g. "plans_and_means"
    language: str  # "en" or "es": the language to answer in


def detect(text: str, guidance: Guidance | None = None) -> CrisisSignal | None:
    """The crisis language in `text`, or None. Never logs the text."""
    crisis = (guidance or load_guidance()).crisis_language
    words = normalize(text)
    if crisis.exclusions is not None:
        words = crisis.exclusions.sub(MASK, words)
    found = {}
    for language, groups in crisis.patterns.items():
        group = next((name for name, pattern in groups.items() if pattern.search(words)), None)
        if group:
            found[language] = group
    if not found:
        return None
    # "suicidal" is English and Spanish: the everyday words around it decide.
    counts = {language: sum(word in crisis.cue_words[language] for word in words.split()) for language in found}
    language = max(found, key=lambda lang: counts[lang])  # ties go to the first language in the file
    return CrisisSignal(found[language], language)


def is_crisis(text: str, guidance: Guidance | None = None) -> bool:
    return detect(text, guidance) is not None

"""Crisis detector: does a message call for the 988 / 911 answer first?

Runs on every message, before and whatever the intent classifier decides. The
patterns are data (seeds/crisis.yml); recall comes first, so a message that may
be a crisis gets the answer and the conversation then goes on where it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from care_clock.facts import Guidance, load_guidance
from care_clock.safety.compose import (
    MASK,
    TIERS,
    composed_tier,
    from_someone_else,
    load_composition,
    masked_message,
    masked_sentences,
    plain_text,
)
from care_clock.safety.model import LIKELY, SURE, risk_probability
from care_clock.safety.patterns import normalize

# What a phrase group of seeds/crisis.yml means for the answer; the other groups are the writer's own risk.
# Harm the writer may do to someone else is answered 911 first, then 988 (as the composed rules do).
GROUP_TIERS = {"danger": "danger", "harm_to_others": "harm_other"}
TAKEOVER = (
    "danger",
    "harm_other",
    "crisis",
    "other",
)  # tiers answered before anything else; "possible" gets a check-in


@dataclass(frozen=True)
class CrisisSignal:
    group: str  # which kind of crisis language, e.g. "plans_and_means", or "composed"
    language: str  # "en" or "es": the language to answer in
    # danger (from someone else), harm_other (the writer may hurt someone), crisis (the writer at risk),
    # other (someone else at risk), possible
    tier: str = "crisis"

    @property
    def takes_over(self) -> bool:
        return self.tier in TAKEOVER


def _by_rules(text: str, crisis, composition):
    """What the phrases and the composition rules find: the phrase group per language, the
    composed tier, the message's sentences and its masked words (for the model)."""
    parts = masked_sentences(text, composition)  # read once, used by the phrases and the rules
    words = masked_message(parts)
    if crisis.exclusions is not None:
        words = crisis.exclusions.sub(MASK, words)
    found = {}
    for language, groups in crisis.patterns.items():
        group = next((name for name, pattern in groups.items() if pattern.search(words)), None)
        if group:
            found[language] = group
    return found, composed_tier(parts, composition), parts, words


def rules_find_risk(text: str, guidance: Guidance | None = None) -> bool:
    """Whether a phrase or a composition rule finds risk in `text`, the model aside."""
    found, composed, _, _ = _by_rules(
        plain_text(text), (guidance or load_guidance()).crisis_language, load_composition()
    )
    return bool(found) or composed is not None


def detect(text: str, guidance: Guidance | None = None) -> CrisisSignal | None:
    """The crisis language in `text`, or None. Never logs the text."""
    crisis = (guidance or load_guidance()).crisis_language
    composition = load_composition()
    text = plain_text(text)
    found, composed, parts, words = _by_rules(text, crisis, composition)
    ruled = composed
    group = "composed"
    if not found and composed in (None, "possible"):
        # where the rules name no clear risk, the model of the examples reads the whole message;
        # it reads what the rules read: denials, idioms and others' words blanked out. A check-in
        # the model alone finds yields to a case message or an answer (bot/nlu/crisis_guard.py);
        # one a rule found ("ojalá nunca hubiera nacido") does not.
        probability = risk_probability(words)
        composed = "crisis" if probability >= SURE else "possible" if probability >= LIKELY else composed
        if composed and from_someone_else(parts, composition):
            composed = "danger"  # the risk is someone else's doing: 911 first
        if composed != ruled:
            group = "model"
    if not found and not composed:
        return None
    # "suicidal" is English and Spanish: the everyday words around it decide.
    counts = {lang: sum(word in crisis.cue_words[lang] for word in normalize(text).split()) for lang in crisis.patterns}
    candidates = list(found) or list(crisis.patterns)
    language = max(candidates, key=lambda lang: counts[lang])  # ties go to the first language in the file
    tiers = [GROUP_TIERS.get(found[language], "crisis")] if language in found else []
    tiers += [composed] if composed else []
    tier = next(t for t in TIERS if t in tiers)
    return CrisisSignal(found.get(language, group), language, tier)


def is_crisis(text: str, guidance: Guidance | None = None) -> bool:
    """Whether the message calls for an answer before anything else (988 or 911 first)."""
    signal = detect(text, guidance)
    return signal is not None and signal.takes_over

"""Risk read by composition: word classes found in one sentence, combined by rules.

The classes and rules are data (seeds/crisis_composition.yml). A sentence is
risky when it holds, say, a means and the self as its target, or a place and a
fall, or a threat from another person. Before any rule is tried, spans that
only look like risk are blanked: everyday idioms ("dying to know"), denials
("I'm not suicidal"), reported speech ("the letter says call 988 if you are in
crisis"); a sentence that tells an old story ("three years clean") is left out
unless it also says the risk is current again ("relapsed", "tonight").

Text is first made plain so that look-alike letters and invisible characters
cannot hide a word: Unicode NFKC, format characters (zero-width spaces and
joiners) removed, common Cyrillic and Greek look-alikes mapped to Latin.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from care_clock.paths import SEEDS
from care_clock.safety.patterns import compile_any, expand_words, normalize, to_regex

COMPOSITION_FILE = SEEDS / "crisis_composition.yml"
TIERS = ("danger", "harm_other", "crisis", "other", "possible")  # by precedence when several rules hold
MASK = " . "  # replaces a blanked span; no pattern or gap crosses it
# Classes that blank spans before the rules are tried, and the class that marks an old story.
MASKING = ("idiom", "denial", "reported")
# Letters that look like Latin ones (Cyrillic, Greek) and are used to slip words past filters.
LOOK_ALIKES = str.maketrans(
    "аеорсухіјѕԁӏɡАВЕКМНОРСТХІЈЅαεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdlgABEKMHOPCTXIJSaeikvoptuxABEHIKMNOPTYX",
)
# Emoji the words would lose ("kaiser canceled again 🙂🔫"): each becomes one word the classes name
# (class risk_emoji of crisis_composition.yml).
EMOJI_WORDS = str.maketrans({"🔫": " emojigun ", "⚰": " emojicoffin ", "🪦": " emojigrave "})
# "but" and "pero" start a new sentence and stay its first word, so that a class may ask for a sentence that
# is the whole message ("^ idk anymore $"), not one said after "I think but" (a patient's case, blind round r18)
_SENTENCE_BREAK = re.compile(r"[.!?;\n]+|\s+(?=(?:but|pero)\s)", re.IGNORECASE)
_OPENING_BUT = re.compile(r"^ (?:but|pero) ")


def plain_text(text: str) -> str:
    """The text as a reader sees it: compatibility forms folded, invisible characters gone,
    look-alike letters made Latin (accents are dropped later, by `normalize`)."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return text.translate(LOOK_ALIKES).translate(EMOJI_WORDS)


@dataclass(frozen=True)
class Rule:
    tier: str
    every: tuple[str, ...]
    one_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Composition:
    classes: dict[str, re.Pattern]
    rules: tuple[Rule, ...]


@lru_cache(maxsize=1)
def load_composition(path: Path = COMPOSITION_FILE) -> Composition:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    classes = {}
    for name, patterns in data["classes"].items():
        try:
            classes[name] = compile_any([to_regex(expand_words(p, {})) for p in patterns])
        except ValueError as error:
            raise ValueError(f"{path.name}: classes.{name}: {error}") from None
    rules = []
    for i, rule in enumerate(data["rules"]):
        names = tuple(rule["all"]) + tuple(rule.get("any") or ())
        unknown = [n for n in names if n not in classes]
        if rule["tier"] not in TIERS or unknown:
            raise ValueError(f"{path.name}: rules[{i}]: unknown tier or class {unknown or rule['tier']}")
        rules.append(Rule(rule["tier"], tuple(rule["all"]), tuple(rule.get("any") or ())))
    return Composition(classes, tuple(rules))


def sentences(text: str) -> list[str]:
    """The message's sentences, each as the patterns read words (see crisis_language.normalize)."""
    return [normalize(part) for part in _SENTENCE_BREAK.split(text) if part.strip()]


def masked(words: str, composition: Composition) -> str:
    """The sentence with idioms, denials and reported speech blanked; an old story, all of it; and a
    threat to someone else said laughing ("gonna kill my husband if he says that again lmao"), unless
    the writer's own death is in it too."""
    for name in MASKING:
        words = composition.classes[name].sub(MASK, words)
    classes = composition.classes
    if classes["history"].search(words) and not classes["present"].search(words):
        return MASK
    if (
        classes["joke"].search(words)
        and classes["harm_intent_other"].search(words)
        and not (classes["death"].search(words) or classes["outright"].search(words))
    ):
        return MASK
    return words


def sentence_tier(words: str, composition: Composition) -> str | None:
    """The tier of the first rule whose classes all occur in the (already masked) sentence. A class is
    looked for only when a rule asks for it, once (most rules fail on their first class, and the
    detector's time is tested)."""
    found: dict[str, bool] = {}

    def has(name: str) -> bool:
        if name not in found:
            found[name] = composition.classes[name].search(words) is not None
        return found[name]

    for rule in composition.rules:
        if all(has(name) for name in rule.every) and (not rule.one_of or any(has(name) for name in rule.one_of)):
            return rule.tier
    return None


def masked_sentences(text: str, composition: Composition) -> list[str]:
    """Each sentence of `text` as the rules read it (see `masked`): computed once per message."""
    return [masked(words, composition) for words in sentences(text)]


def composed_tier(parts: list[str], composition: Composition) -> str | None:
    """The highest tier any masked sentence, or two sentences in a row, reaches; or None."""
    # a risk is often said over two sentences ("I'm by the bridge. I don't think I'm driving home")
    # (one space where they meet, so that a phrase may run across: "... jk. kinda. not really")
    windows = parts + [" " + " ".join(f"{first} {second}".split()) + " " for first, second in zip(parts, parts[1:])]
    tiers = {sentence_tier(words, composition) for words in windows}
    return next((tier for tier in TIERS if tier in tiers), None)


def masked_message(parts: list[str]) -> str:
    """The whole message as the phrase patterns should read it, from its masked sentences (without the
    "but" or "pero" that opens a sentence: the phrases and the model read the words as they always have)."""
    return " " + MASK.join(_OPENING_BUT.sub("", words).strip() for words in parts) + " "


def asks_about_988(text: str, composition: Composition | None = None) -> bool:
    """A question about the crisis line itself ("is 988 run by Kaiser?", "¿el 988 atiende en español?")."""
    composition = composition or load_composition()
    words = normalize(text)
    if not composition.classes["about_988"].search(words):
        return False
    return "?" in text or bool(re.match(r"\s*(?:" + composition.classes["question"].pattern + ")", words.strip()))


def from_someone_else(parts: list[str], composition: Composition) -> bool:
    """Whether a masked sentence tells of danger from another person: someone named and what they
    do or threaten (so a risk the model finds is answered with 911 first, not as the writer's own)."""
    classes = composition.classes
    harm = ("threat_to_me", "violence", "stalking", "coming", "danger_word")
    return any(
        classes["other_agent"].search(words) and any(classes[name].search(words) for name in harm) for words in parts
    )

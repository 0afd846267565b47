"""Which language a patient writes in: Spanish or English.

Chat messages are short ("hola", "me cancelaron la cita", "mi appointment was
canceled"), too short for character n-gram models to be reliable, and no such
model is installed. Instead each word is looked up in two short lists of words
only one of the languages uses (seeds/es/language.yml): function words, chat
words, month and weekday names and the appointment's own vocabulary. Accents,
"ñ", "¿" and "¡" count for Spanish. The side with more evidence wins; a tie, or
no evidence at all ("ok", "11/20"), decides nothing. It is deterministic, needs
no training and takes microseconds.

Explicit requests ("¿hablas español?", "in English please") always decide, and
"no hablo inglés" asks for Spanish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from care_clock.paths import SEEDS
from care_clock.safety.patterns import normalize

SPANISH, ENGLISH = "es", "en"
LANGUAGES = (ENGLISH, SPANISH)
WORDS_FILE = SEEDS / "es" / "language.yml"
SPANISH_MARKS = re.compile(r"[áéíóúñ¿¡]", re.IGNORECASE)
# "no hablo inglés", "ella no habla mucho inglés", "I don't speak Spanish": the request is for the other language.
NEGATION = re.compile(
    r" (?:no|dont|do not|cant|cannot) (?:hablo |habla |hablamos |hablan |speak |entiendo |"
    r"entiende |understand |se |sabe |read |leo |lee )?(?:mucho |muy bien |bien |much |well |very well )?$"
)


@dataclass(frozen=True)
class LanguageWords:
    spanish: frozenset[str]
    english: frozenset[str]
    requests: dict[str, re.Pattern]
    other_uses: re.Pattern  # ends where a language's name used for something else would begin


@lru_cache(maxsize=1)
def language_words(path: Path = WORDS_FILE) -> LanguageWords:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    requests = {
        language: re.compile(" (?:" + "|".join(re.escape(p) for p in sorted(data[key], key=len, reverse=True)) + ") ")
        for language, key in ((SPANISH, "ask_spanish"), (ENGLISH, "ask_english"))
    }
    uses = "|".join(re.escape(word) for word in data["other_uses"])
    speakers = "|".join(re.escape(word) for word in data["other_speakers"])
    other_uses = re.compile(rf" (?:(?:{uses})(?: \S+){{0,3}}|(?:{speakers})(?: speaks?| habla\w*)?)$")
    return LanguageWords(frozenset(data["spanish_words"]), frozenset(data["english_words"]), requests, other_uses)


def asked_for(text: str) -> str | None:
    """The language the patient asks for by name, or None."""
    words = normalize(text)
    lists = language_words()
    found = []
    for language, pattern in lists.requests.items():
        for match in pattern.finditer(words):
            if lists.other_uses.search(words[: match.start()]):
                continue  # "quiero aprender ingles", "translate this to spanish": not the chat's language
            negated = NEGATION.search(words[: match.start() + 1])
            found.append((match.start(), SPANISH if (language == ENGLISH) == bool(negated) else ENGLISH))
    return min(found)[1] if found else None


def evidence(text: str) -> tuple[int, int]:
    """(Spanish, English) evidence: words found only in one language, and Spanish marks."""
    lists = language_words()
    # Spanish words as written ("all" is not "al", "llamaron" keeps its ll); English words as the
    # lists were tuned, with doubled letters read as one (so "appointment" in Spanglish decides nothing).
    spanish = sum(word in lists.spanish for word in normalize(text, keep_doubles=True).split())
    spanish += min(2, len(SPANISH_MARKS.findall(text)))
    english = sum(word in lists.english for word in normalize(text).split())
    return spanish, english


def written_in(text: str) -> str | None:
    """SPANISH or ENGLISH when the words say so clearly, else None."""
    spanish, english = evidence(text)
    if spanish > english:
        return SPANISH
    if english > spanish:
        return ENGLISH
    return None


YES_NO_WORDS = frozenset({"si", "no", "ok", "okay", "yes", "sip", "nop", "claro", "vale", "bueno"})
_DATE_LIKE = re.compile(r"\d")
SWITCH_MARGIN = 2  # more Spanish than English evidence, by at least this much, in a message of several words
SEVERAL_WORDS = 3


def switches_to_spanish(text: str) -> bool:
    """Whether a message is Spanish clearly enough to switch the conversation to Spanish.

    A message of several words needs a margin of Spanish evidence; a short one
    switches only with Spanish words and no English, and never when it is a date, a
    number or a bare yes/no ("sí", "no", "ok"): short answers are too thin to judge.
    """
    words = normalize(text).split()
    spanish, english = evidence(text)
    if len(words) >= SEVERAL_WORDS:
        return spanish - english >= SWITCH_MARGIN or (
            spanish > english and english == 0 and spanish >= 1 and not _DATE_LIKE.search(text)
        )
    if _DATE_LIKE.search(text) or set(words) <= YES_NO_WORDS:
        return False
    return spanish >= 1 and english == 0

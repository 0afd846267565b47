"""The crisis pattern language of seeds/crisis.yml, and the text rule it matches.

Messages and patterns go through the same `normalize` (lowercase, no accents,
no apostrophes, one letter for a repeated letter), so a pattern written as
"kill myself" also matches "Kill my self", "killl myself" and "kil myself", and
"no quiero vivir" matches "No quiero vivír".

Patterns compile to regular expressions with no nested repetition: words,
alternatives, optional groups, a word ending (`*`), a number (`##`), the end of
the message (`$`), its start (`^`, first; for a class of crisis_composition.yml, the start
and end of the sentence) and a gap of at most three words (`...`). With words cut to MAX_WORD letters, matching takes time linear in
the message length.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_WORD = 40  # longer "words" are noise; cutting them keeps matching linear
GAP = "(?:[a-z0-9]+ ){0,3}"
WORD_END = "[a-z0-9]*"
ALLOWED = re.compile(r"[a-z0-9 ()|?*.{}#$^]+")
NUMBER = "[1-9][0-9]{1,2}"  # `##`: a number from 10 to 999
WORD_REF = re.compile(r"\{([a-z_]+)\}")
OPTIONAL_GROUP = re.compile(r"\(\?:([^()]*)\)\? ")  # "(the|any)? point": the space goes with the group
APOSTROPHES = str.maketrans("", "", "'’‘`´ʼ")
NOT_A_WORD = re.compile(r"[^a-z0-9]+")
REPEATED_LETTER = re.compile(r"([a-z])\1+")
EMPHASIS = re.compile(r"([a-z])\1{2,}")  # "siii", "holaaa"


@dataclass(frozen=True)
class CrisisLanguage:
    """Compiled crisis patterns: one expression per language and group."""

    patterns: dict[str, dict[str, re.Pattern]]
    exclusions: re.Pattern | None
    cue_words: dict[str, frozenset[str]]


def normalize(text: str, keep_doubles: bool = False) -> str:
    """Words of the message as the patterns see them, padded with a space each side.

    Repeated letters become one ("nooo" reads as "no"); with `keep_doubles` only runs of three
    or more do: telling languages apart needs "all", "need" and "llamaron" spelled as written
    ("all" is not Spanish "al")."""
    text = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    text = NOT_A_WORD.sub(" ", "".join(char for char in text if not unicodedata.combining(char)).lower())
    text = (EMPHASIS if keep_doubles else REPEATED_LETTER).sub(r"\1", text)
    return " " + " ".join(word[:MAX_WORD] for word in text.split()) + " "


def expand_words(source: str, words: dict[str, str]) -> str:
    """Replace each {name} by its word list; ValueError names an unknown list."""

    def replace(match: re.Match) -> str:
        if match.group(1) not in words:
            raise ValueError(f"unknown word list {{{match.group(1)}}}")
        return words[match.group(1)]

    return WORD_REF.sub(replace, source)


def to_regex(source: str) -> str:
    """One pattern (word lists already expanded) as a regular expression."""
    source = " ".join(source.split())
    if (
        not ALLOWED.fullmatch(source)
        or "{" in source
        or "(?" in source
        or ")*" in source
        or "." in source.replace("...", "")
    ):
        raise ValueError("use only lowercase words, spaces, ( | ) ? * and ...")
    if source.startswith("...") or source.endswith("...") or "$" in source[:-1]:
        raise ValueError("... must stand between two words, and $ only at the end")
    if "^" in source[1:] or (source.startswith("^") and not source.startswith("^ ")):
        raise ValueError("^ only at the start, before a space")
    source = REPEATED_LETTER.sub(r"\1", source).replace("(", "(?:")
    source = OPTIONAL_GROUP.sub(r"(?:(?:\1) )?", source)
    source = source.replace(" ... ", " " + GAP).replace("*", WORD_END).replace("##", NUMBER)
    if source.startswith("^ "):
        source = "(?<=^ )" + source[2:]
    return source[:-2] + "(?= $)" if source.endswith(" $") else source


def compile_any(regexes: list[str]) -> re.Pattern:
    """One expression matching any of `regexes` as whole words."""
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(f"(?:{r})" for r in regexes) + r")(?![a-z0-9])")

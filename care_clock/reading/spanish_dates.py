"""Spanish dates and date words, rewritten into the English the date reader knows.

parsedatetime reads only English, and no library that reads Spanish dates is
installed (dateparser would be the maintained choice), so Spanish phrases are
rewritten first: "el 4 de noviembre" -> "November 4", "lunes pasado" -> "last
Monday", "hace dos semanas" -> "2 weeks ago", "me ofrecieron" -> "offered".
The phrases are data (seeds/es/reader.yml), applied in order to the message
lowercased and without accents.

Numeric dates are day first, the way Spanish speakers write them: "25/11"
becomes "11/25", and "4/11" becomes "11/4" too; a date that reads both ways is
returned as ambiguous, so the conversation can say how it read it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from care_clock.paths import SEEDS

READER_FILE = SEEDS / "es" / "reader.yml"
_ORDINAL_DAY = re.compile(r"\b(\d{1,2})\s*(?:ro|ero|er|do|to|vo|mo|no|o|a|°|º|ª)(?=\s+de\b)|\bprimero(?=\s+de\s+\w)")
_MONTH_TYPOS = (
    (re.compile(r"\b(?:nobiembre|novienbre|nobienbre|noviebre|novimbre)\b"), "noviembre"),
    (re.compile(r"\b(?:dicienbre|disiembre|disienbre|dicembre)\b"), "diciembre"),
    (re.compile(r"\b(?:otubre|octubr|octbre)\b"), "octubre"),
    (re.compile(r"\bsetiembre\b"), "septiembre"),
)
_HOUR_OF_DAY = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s+de la (manana|tarde|noche)\b")


def _hour(match: re.Match) -> str:
    suffix = "am" if match.group(3) == "manana" else "pm"
    return f"{match.group(1)}:{match.group(2) or '00'}{suffix}"


_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{2}(?:\d{2})?))?(?![\d/])")
_PLACEHOLDER = re.compile(r"\{(month|weekday|number|unit)(?::(\d))?\}")
_GROUP = re.compile(r"\\(\d)")
UNITS = {"semana": "weeks", "semanas": "weeks", "dia": "days", "dias": "days", "mes": "months", "meses": "months"}


@dataclass(frozen=True)
class Rewrite:
    pattern: re.Pattern
    to: str | dict[str, str]
    fixed: bool  # plain rewrites joined in one pass: `to` maps each one's group to its English


@dataclass
class SpanishReading:
    text: str  # the message in the reader's English
    ambiguous: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # (month/day, day/month) readings


@dataclass(frozen=True)
class _Words:
    names: dict[str, dict[str, str]]
    rewrites: tuple[Rewrite, ...]


@lru_cache(maxsize=1)
def _words(path: Path = READER_FILE) -> _Words:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = {
        "month": data["months"],
        "weekday": data["weekdays"],
        "number": {k: str(v) for k, v in data["numbers"].items()},
        "unit": UNITS,
    }
    alternatives = {kind: "|".join(sorted(words, key=len, reverse=True)) for kind, words in names.items()}
    rewrites: list[Rewrite] = []
    fixed_run: list[tuple[str, str]] = []
    for rule in data["rewrites"] + [None]:
        fixed = rule is not None and not (_PLACEHOLDER.search(rule["to"]) or _GROUP.search(rule["to"]))
        if fixed:  # its "from" may still name {weekday} or {month}
            fixed_run.append((_PLACEHOLDER.sub(lambda m: alternatives[m.group(1)], rule["from"]), rule["to"]))
            continue
        if fixed_run:  # consecutive plain rewrites: one pass over the text instead of one each
            rewrites.append(_one_pass(fixed_run))
            fixed_run = []
        if rule is not None:
            source = _PLACEHOLDER.sub(lambda m: alternatives[m.group(1)], rule["from"])
            rewrites.append(Rewrite(re.compile(source), rule["to"], False))
    return _Words(names, tuple(rewrites))


def _one_pass(rules: list[tuple[str, str]]) -> Rewrite:
    """Plain rewrites as one expression; the rewrite whose group matched says the English.
    (Their English never matches another's Spanish, so one pass equals running them in turn.)"""
    pattern = re.compile("|".join(f"(?P<r{i}>{source})" for i, (source, _) in enumerate(rules)))
    replacements = {f"r{i}": to for i, (_, to) in enumerate(rules)}
    return Rewrite(pattern, replacements, True)


def plain(text: str) -> str:
    """Lowercase, without accents ("Miércoles" -> "miercoles"); "ñ" becomes "n"."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(char for char in text if not unicodedata.combining(char)).lower()


def _replacement(rule: Rewrite, names: dict[str, dict[str, str]]):
    to = rule.to
    assert isinstance(to, str)  # not a `fixed` rule: English with placeholders

    def replace(match: re.Match) -> str:
        def name(placeholder: re.Match) -> str:
            word = match.group(int(placeholder.group(2)))
            return names[placeholder.group(1)].get(word, word) if word else ""

        text = _PLACEHOLDER.sub(name, to)
        text = _GROUP.sub(lambda g: match.group(int(g.group(1))) or "", text)
        text = " ".join(text.replace(":am", "am").replace(":pm", "pm").split())
        return text + (" " if match.group(0)[-1:].isspace() else "")

    return replace


def _chosen(replacements: str | dict[str, str]):
    assert isinstance(replacements, dict)  # a `fixed` rule's: each group's English

    def replace(match: re.Match) -> str:
        return next(replacements[name] for name, value in match.groupdict().items() if value is not None)

    return replace


def _numeric(match: re.Match, today: dt.date, ambiguous: list) -> str:
    first, second, year = int(match.group(1)), int(match.group(2)), match.group(3)
    suffix = f"/{year}" if year else ""
    if first > 12 >= second:
        return f"{second}/{first}{suffix}"  # only day/month makes sense
    if first != second and first <= 12 and second <= 12:
        full_year = (int(year) + 2000 if len(year) == 2 else int(year)) if year else today.year
        try:
            ambiguous.append((dt.date(full_year, first, second), dt.date(full_year, second, first)))
        except ValueError:
            pass
        # Written in Spanish, 5/11 is the 5th of November: day first, and the bot says how it read it.
        return f"{second}/{first}{suffix}"
    return match.group(0)


def to_english(text: str, today: dt.date | None = None) -> SpanishReading:
    """The message with its Spanish date phrases and cue words in English; ambiguous numeric dates apart."""
    words = _words()
    ambiguous: list[tuple[dt.date, dt.date]] = []
    text = _ORDINAL_DAY.sub(lambda m: m.group(1) or "1", plain(text))
    for typo, month in _MONTH_TYPOS:
        text = typo.sub(month, text)
    text = _HOUR_OF_DAY.sub(
        _hour, text
    )  # "a las 9 de la manana" -> "a las 9:00am"  # "el 1ro de noviembre", "el primero de noviembre"
    english = _NUMERIC.sub(lambda m: _numeric(m, today or dt.date.today(), ambiguous), text)
    for rule in words.rewrites:
        english = rule.pattern.sub(_chosen(rule.to) if rule.fixed else _replacement(rule, words.names), english)
    return SpanishReading(english, ambiguous)

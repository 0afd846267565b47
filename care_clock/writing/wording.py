"""Sentences in the patient's language.

English wording stays in the code where it is used, as the template passed to
`say`; the Spanish wording of the same sentence is data (seeds/es/phrases.yml),
under a key. Spanish dates are written here from that file's month and weekday
names: the locale module depends on what the machine has installed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import yaml

from care_clock.paths import SEEDS

SPANISH = "es"
PHRASES_FILE = SEEDS / "es" / "phrases.yml"


@lru_cache(maxsize=1)
def spanish_phrases() -> dict[str, Any]:
    return yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))


def say(language: str | None, key: str, english: str, **values: Any) -> str:
    """`english` or the Spanish phrase `key`, filled with `values`."""
    template = spanish_phrases()[key] if language == SPANISH else english
    return template.format(**values)


class Worded(str):
    """An English message that keeps its Spanish phrase's key and values, so that an error worded
    deep in the engine (a date that cannot be) is still shown in the patient's language."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, english: str, **values: Any) -> Worded:
        text = super().__new__(cls, english.format(**values))
        text.key, text.values = key, values
        return text

    def said(self, language: str | None) -> str:
        if language != SPANISH:
            return str(self)
        return spanish_phrases()[self.key].format(**self.values)


def unknown_choice(what: str, english_what: str, value: Any, choices) -> Worded:
    """ "Unknown coverage 'x'; choose one of dmhc, cdi, ..."; its Spanish words are unknown_<what>."""
    english = f"Unknown {english_what} {{value!r}}; choose one of {{choices}}."
    return Worded(f"unknown_{what}", english, value=value, choices=", ".join(choices))


def error_text(error: Exception, language: str | None) -> str:
    """The error's message in `language` when it was worded (Worded), else as written."""
    message = error.args[0] if error.args else ""
    return message.said(language) if isinstance(message, Worded) else str(error)


def spanish_date(value: dt.date | dt.datetime) -> str:
    """'martes, 12 de noviembre de 2024' (with 'a las 3:00 p. m.' for date-times)."""
    words = spanish_phrases()
    text = words["full_date"].format(
        weekday=words["weekdays"][value.weekday()],
        day=value.day,
        month=words["months"][value.month - 1],
        year=value.year,
    )
    if isinstance(value, dt.datetime):
        hour = value.hour % 12 or 12
        text += words["at_time"].format(time=f"{hour}:{value.minute:02d} {'a. m.' if value.hour < 12 else 'p. m.'}")
    return text


def spanish_short_date(value: dt.date) -> str:
    """'mar 12 de noviembre'."""
    words = spanish_phrases()
    return words["short_date"].format(
        weekday=words["weekdays_short"][value.weekday()], day=value.day, month=words["months"][value.month - 1]
    )


def holiday_name(name: str, language: str | None) -> str:
    """'Veterans Day' or 'Día de los Veteranos'; 'Juneteenth, federal offices only' in Spanish too."""
    if language != SPANISH:
        return name
    for english, spanish in spanish_phrases()["holiday_words"].items():  # longer names come first in the file
        name = name.replace(english, spanish)
    return name

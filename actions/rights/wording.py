"""Sentences in the patient's language.

English wording stays in the code where it is used, as the template passed to
`say`; the Spanish wording of the same sentence is data (seeds/es/phrases.yml),
under a key. Spanish dates are written here from that file's month and weekday
names: the locale module depends on what the machine has installed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SPANISH = "es"
PHRASES_FILE = Path(__file__).resolve().parents[2] / "seeds" / "es" / "phrases.yml"


@lru_cache(maxsize=1)
def spanish_phrases() -> dict[str, Any]:
    return yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))


def say(language: str | None, key: str, english: str, **values: Any) -> str:
    """`english` or the Spanish phrase `key`, filled with `values`."""
    template = spanish_phrases()[key] if language == SPANISH else english
    return template.format(**values)


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

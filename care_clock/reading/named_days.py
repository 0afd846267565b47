"""Dates told by a named day: "the day after Halloween", "the Thursday before Christmas",
"right after New Year's", "el martes antes del Día de Muertos", "on Veterans Day".

The days are data (seeds/named_days.yml). A named day is read in the year that
puts it nearest to today, so "the Thursday before Halloween" said in November
is the one just past, and "the Wednesday before Thanksgiving" said the week
before is the one ahead; the day found is then fixed (a relative date).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from dateutil.easter import easter

from care_clock.paths import SEEDS

NAMED_DAYS_FILE = SEEDS / "named_days.yml"
WEEKDAY_NUMBERS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
}  # fmt: skip
_DAY_WORD = re.compile(
    r"\b(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday|day|eve|domingo|lunes|martes|miercoles|jueves|"
    r"viernes|sabado|dia|week|semana)\b"
)
_BEFORE = r"before|antes de(?:l)?|prior to"
_AFTER = r"after|despues de(?:l)?|following"


@dataclass(frozen=True)
class NamedDay:
    start: int
    end: int
    text: str
    day: dt.date


def _fold(text: str) -> str:
    """Lowercase without accents, same length as `text` (so offsets hold)."""
    return "".join(unicodedata.normalize("NFKD", c)[0] for c in text).lower()


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    if nth > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-nth - 1))


def _in_year(entry: dict, year: int) -> dt.date:
    if "fixed" in entry:
        return entry["fixed"]
    rule = entry["date"]
    if "easter" in rule:  # Ash Wednesday, Good Friday: counted from Easter Sunday (Western churches)
        return easter(year) + dt.timedelta(days=rule["easter"])
    if "weekday" in rule:
        day = _nth_weekday(year, rule["month"], WEEKDAY_NUMBERS[rule["weekday"]], rule["nth"])
    else:
        day = dt.date(year, rule["month"], rule["day"])
    return day + dt.timedelta(days=rule.get("days_after", 0))


@lru_cache(maxsize=1)
def _named(path: Path = NAMED_DAYS_FILE) -> tuple[dict[str, dict], re.Pattern]:
    days = yaml.safe_load(path.read_text(encoding="utf-8"))["named_days"]
    words = {_fold(word): name for name, entry in days.items() for word in entry["words"]}
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # names that cannot be anything but a day ("Good Friday", "Easter Sunday", "Labor Day") need no "on" before them
    bare = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if _DAY_WORD.search(w))
    weekdays = "|".join(WEEKDAY_NUMBERS)
    pattern = re.compile(
        rf"\b(?:(?:the|el|la)\s+)?(?:(?P<weekday>{weekdays})|(?:day|dia|night|evening|noche))\s+(?:right\s+|just\s+|justo\s+)?"
        rf"(?P<dir>{_BEFORE}|{_AFTER})\s+(?:the\s+|el\s+|la\s+|las\s+)?(?P<name>{names})\b"
        rf"|\b(?:right|just|justo)\s+(?P<dir2>{_BEFORE}|{_AFTER})\s+(?:the\s+|el\s+|la\s+|las\s+)?(?P<name2>{names})\b"
        rf"|\b(?:the\s+|la\s+)?(?:week of|semana de(?:l)?)\s+(?:the\s+|el\s+|la\s+)?(?P<name4>{names})\s*,?\s*"
        rf"(?:on\s+)?(?:the\s+|el\s+)?(?P<weekday4>{weekdays})\b"
        rf"|\b(?:the\s+|la\s+)?(?:week|semana)\s+(?P<dir7>{_BEFORE}|{_AFTER})\s+(?:the\s+|el\s+|la\s+)?(?P<name7>{names})\s*,?\s*"
        rf"(?:the\s+|on\s+|el\s+)?(?P<weekday7>{weekdays})\b"
        rf"|\b(?:the\s+|el\s+)?(?P<weekday6>{weekdays})\s+(?:of|de)\s+(?:the\s+|la\s+)?(?P<name6>{names})\b"
        rf"|(?:^\s*|\b(?:on|el|en|for|me|until|til|till|para|hasta|since|desde|during|durante)\s+)(?:the\s+)?(?P<name3>{names})\b"
        rf"|\b(?P<name5>{bare})\b"
    )
    return {w: days[n] for w, n in words.items()}, pattern


def nearest(entry: dict, today: dt.date) -> dt.date:
    return min(
        (_in_year(entry, year) for year in (today.year - 1, today.year, today.year + 1)), key=lambda d: abs(d - today)
    )


def find_named_days(text: str, today: dt.date) -> list[NamedDay]:
    """Every date the message tells by a named day, with the day it means."""
    entries, pattern = _named()
    found = []
    for match in pattern.finditer(_fold(text)):
        name = next(
            match.group(g) for g in ("name", "name2", "name3", "name4", "name5", "name6", "name7") if match.group(g)
        )
        direction = match.group("dir") or match.group("dir2") or match.group("dir7")
        if ("strike" in name or "huelga" in name) and not direction:
            continue  # "on strike" is not a date
        day = nearest(entries[name], today)
        in_week = match.group("weekday4") or match.group("weekday6") or match.group("weekday7")
        if in_week:  # "the week of Halloween, the Wednesday", "el lunes de Semana Santa": that week, Monday first
            monday = day - dt.timedelta(days=day.weekday())
            if match.group("dir7"):  # "la semana después de Semana Santa, el martes": the week before or after
                monday += dt.timedelta(days=-7 if re.match(_BEFORE, match.group("dir7")) else 7)
            day = monday + dt.timedelta(days=WEEKDAY_NUMBERS[in_week])
        elif match.group("weekday"):
            weekday = WEEKDAY_NUMBERS[match.group("weekday")]
            if re.match(_BEFORE, direction):
                day -= dt.timedelta(days=(day.weekday() - weekday - 1) % 7 + 1)
            else:
                day += dt.timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)
        elif direction and entries[name].get("week"):
            day += dt.timedelta(days=-7 if re.match(_BEFORE, direction) else 7)  # "the week after Holy Week"
        elif direction:
            day += dt.timedelta(days=-1 if re.match(_BEFORE, direction) else 1)
        found.append(NamedDay(match.start(), match.end(), text[match.start() : match.end()], day))
    return found

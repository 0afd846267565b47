"""The guidance in the patient's language.

The Spanish seeds (seeds/es/guidance.yml) hold only the words a patient reads,
under the same ids as the English seeds; limits, dates, numbers and sources
stay in one place. `in_language` returns the guidance with those words swapped
in, so every answer built from the guidance (rights, verdicts, drafts) comes
out in that language without knowing about languages itself.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from care_clock.facts import Guidance

SPANISH = "es"
TEXTS_FILE = "guidance.yml"


def _texts(folder: Path, language: str) -> dict[str, Any]:
    return yaml.safe_load((folder / language / TEXTS_FILE).read_text(encoding="utf-8")) or {}


def _merged(entries: dict[str, Any], texts: dict[str, dict]) -> dict[str, Any]:
    """Each entry (a dict or a frozen dataclass) with the translated fields replaced."""
    merged: dict[str, Any] = {}
    for key, entry in entries.items():
        words = texts.get(key) or {}
        if dataclasses.is_dataclass(entry) and not isinstance(entry, type):  # entries are instances
            fields = {k: tuple(v) if isinstance(getattr(entry, k), tuple) else v for k, v in words.items()}
            merged[key] = dataclasses.replace(entry, **fields)
        else:
            merged[key] = {**entry, **words}
    return merged


def _localized(guidance: Guidance, language: str) -> Guidance:
    texts = _texts(guidance.folder, language)
    translated: dict[str, Any] = {
        name: _merged(getattr(guidance, name), texts.get(name, {}))
        for name in ("standards", "rights", "topics", "next_steps", "contacts", "coverage", "offices")
    }
    return dataclasses.replace(
        guidance,
        exception={**guidance.exception, **texts.get("exception", {})},
        strike={**guidance.strike, **{k: " ".join(v.split()) for k, v in texts.get("strike", {}).items()}},
        **translated,
    )


# Guidance holds dicts (not hashable): cached by identity, keeping the original alive with its copy.
_CACHE: dict[tuple[int, str], tuple[Guidance, Guidance]] = {}


def in_language(guidance: Guidance, language: str | None) -> Guidance:
    """The guidance with the patient-facing words in `language` ("en" is the seeds as written)."""
    if language != SPANISH:
        return guidance
    key = (id(guidance), language)
    if key not in _CACHE:
        _CACHE[key] = (guidance, _localized(guidance, language))
    return _CACHE[key][1]

"""Replacing a piece of Rasa only while it is the piece we wrote the fix for.

Each fix names the Rasa attribute it replaces and the SHA-256 of that
attribute's source as it is in the pinned Rasa release. If the installed Rasa
is another version, or the attribute's source changed (a hotfix, another
patch applied first), the fix is not applied and one warning line says so at
start: the server then runs Rasa's own code, which is slower but correct.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from dataclasses import dataclass
from typing import Any, Callable

import rasa

logger = logging.getLogger("bot.patches")

RASA_VERSION = "3.6.21"  # the release every fingerprint below was taken from
MARK = "care_clock_patch"  # set on every replacement, so a fix is applied once


def source_sha(value: Any) -> str:
    """SHA-256 of the source code of a function, method or class."""
    target = getattr(value, "__func__", value)  # staticmethod / classmethod
    return hashlib.sha256(inspect.getsource(target).encode()).hexdigest()


@dataclass(frozen=True)
class Fix:
    """One replacement: `owner.attribute = build(original)`."""

    name: str
    owner: Any
    attribute: str
    expected_sha: str
    build: Callable[[Any], Any]
    # What the fingerprint is taken of, when it is not the replaced attribute
    # itself (e.g. the one Rasa function that uses a replaced module object).
    fingerprinted: Callable[[], Any] | None = None

    def current(self) -> Any:
        return inspect.getattr_static(self.owner, self.attribute)

    def refusal(self) -> str | None:
        """Why this fix must not be applied, or None when it may."""
        if rasa.__version__ != RASA_VERSION:
            return f"Rasa is {rasa.__version__}, the fix was written for {RASA_VERSION}"
        original = self.current()
        if getattr(original, MARK, None) == self.name:
            return None
        try:
            found = source_sha(self.fingerprinted() if self.fingerprinted else original)
        except (OSError, TypeError):
            return f"the source of {self.attribute} cannot be read"
        if found != self.expected_sha:
            return f"{self.attribute} is not the code the fix replaces (source changed)"
        return None

    def apply(self) -> bool:
        """Replace the attribute; True when the fix is on."""
        original = self.current()
        if getattr(original, MARK, None) == self.name:
            return True
        reason = self.refusal()
        if reason:
            logger.warning("Care Clock fix '%s' is OFF: %s. Rasa's own code runs instead.", self.name, reason)
            return False
        replacement = self.build(original)
        _mark(replacement, self.name)
        setattr(self.owner, self.attribute, replacement)
        return True


def _mark(replacement: Any, name: str) -> None:
    target = getattr(replacement, "__func__", replacement)
    try:
        setattr(target, MARK, name)
    except AttributeError:  # e.g. a module or namespace: mark the wrapper object itself
        pass
    if target is not replacement:
        try:
            setattr(replacement, MARK, name)
        except AttributeError:
            pass

"""Crisis language: plain phrases that must always get the 988 / 911 answer."""
from __future__ import annotations

from .seeds import Guidance, load_guidance


def is_crisis(text: str, guidance: Guidance | None = None) -> bool:
    guidance = guidance or load_guidance()
    return any(pattern.search(text) for pattern in guidance.crisis_phrases)

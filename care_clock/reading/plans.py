"""Which health plan a patient names: "I'm on Medi-Cal through L.A. Care", "Blue Shield", "through my job".

Only the name is collected here; which regulator and complaint path a kind of
coverage gets is decided elsewhere (coverage rules).
"""

from __future__ import annotations

import re

# Plan names in the order they are looked for: a named plan wins over the
# program it serves ("Medi-Cal through L.A. Care" is L.A. Care, on Medi-Cal).
PLAN_NAMES = (
    ("Kaiser Permanente", r"kaiser|\bkp\b"),
    ("Blue Shield of California", r"blue\s*shield"),
    ("Anthem Blue Cross", r"anthem|blue\s*cross"),
    ("Health Net", r"health\s*net"),
    ("L.A. Care Health Plan", r"\bl\.?\s?a\.?\s*care\b"),
    ("Molina Healthcare", r"molina"),
    ("Inland Empire Health Plan", r"\biehp\b|inland empire health"),
    ("CalOptima", r"caloptima"),
    ("Aetna", r"aetna"),
    ("Cigna", r"cigna"),
    ("UnitedHealthcare", r"united\s*health|\buhc\b"),
    ("Medi-Cal", r"medi-?\s?cal"),
    ("Covered California", r"covered\s*ca(?:lifornia)?\b"),
    ("Medicare", r"medicare"),
    ("my employer's health plan", r"through (?:my|our) (?:job|work|employer|company)|employer|work insurance|\bppo\b"),
)
# Offered as buttons when a draft is written before the plan is known.
PLAN_CHOICES = (
    "Kaiser Permanente",
    "Blue Shield of California",
    "Anthem Blue Cross",
    "Health Net",
    "L.A. Care Health Plan",
    "Molina Healthcare",
    "Medi-Cal",
    "my employer's health plan",
)
PROGRAMS = ("Medi-Cal", "Covered California", "Medicare")
_PATTERNS = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in PLAN_NAMES]


def find_plan(text: str) -> str | None:
    """The plan named in `text`, with its program when both are named; None when none is."""
    named = [name for name, pattern in _PATTERNS if pattern.search(text)]
    if not named:
        return None
    plan = named[0]
    program = next((name for name in named if name in PROGRAMS and name != plan), None)
    return f"{plan} ({program})" if program and plan not in PROGRAMS else plan

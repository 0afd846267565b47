"""Care Clock's rules engine: plain functions over plain data, no Rasa.

The conversation (actions/*.py) and the command line (python -m care_clock)
both call this package; the facts it applies are loaded from seeds/.
"""

from care_clock.errors import CareClockError, InputError, SeedError
from care_clock.facts import Guidance, load_guidance
from care_clock.law.verdict import Verdict, check

__all__ = [
    "CareClockError",
    "InputError",
    "SeedError",
    "Guidance",
    "load_guidance",
    "Verdict",
    "check",
]

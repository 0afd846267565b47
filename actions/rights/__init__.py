"""Care Clock's rules engine: plain functions over plain data, no Rasa.

The conversation (actions/*.py) and the command line (python -m actions.rights)
both call this package; the facts it applies are loaded from seeds/.
"""

from .errors import CareClockError, InputError, SeedError
from .seeds import Guidance, load_guidance
from .verdict import Verdict, check

__all__ = [
    "CareClockError",
    "InputError",
    "SeedError",
    "Guidance",
    "load_guidance",
    "Verdict",
    "check",
]

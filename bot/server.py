"""The one entry that starts Rasa for Care Clock: Rasa's CLI with the bot's fixes.

`make run`, `make shell`, the conversation tests, the test stacks and the
benchmark all start Rasa as `python -m bot.server ...` (scripts/common.sh).
Importing `bot` applies the guarded fixes (bot/patches); a stock `rasa run`
with this project's endpoints gets them too, through bot.tracker_store.

CARE_CLOCK_CV_SEED fixes numpy's global random state, from which Rasa draws
the cross-validation folds, so the test command's NLU gate is reproducible.
"""

from __future__ import annotations

import os

import bot  # noqa: F401  (applies the fixes)

if os.environ.get("CARE_CLOCK_CV_SEED"):
    import numpy

    numpy.random.seed(int(os.environ["CARE_CLOCK_CV_SEED"]))


if __name__ == "__main__":
    from rasa.__main__ import main

    main()

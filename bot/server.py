"""Rasa's command line, with fixes for Rasa 3.6 that Care Clock depends on.

- Speed: three hot spots of the per-turn work (bot/speedups.py; measured in
  bench/results.md).
- Outages: a down or slow action server gets the patient a reply within seconds
  instead of silence (bot/outage.py).
- Reproducible cross-validation: Rasa draws the folds from numpy's global random
  state; CARE_CLOCK_CV_SEED fixes it, so the test command's NLU gate gives the
  same answer on every run.

Use it like `rasa`: python -m bot.server run --model ...
"""
from __future__ import annotations

import os

from bot import outage, speedups

speedups.install()
outage.install()

if os.environ.get("CARE_CLOCK_CV_SEED"):
    import numpy

    numpy.random.seed(int(os.environ["CARE_CLOCK_CV_SEED"]))

if __name__ == "__main__":
    from rasa.__main__ import main

    main()

"""Moved to care_clock/ (issue 29). `python -m actions.rights` still runs its command line for
this release; use `python -m care_clock`."""

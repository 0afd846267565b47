"""What the engine writes: verdicts in plain words, drafts, answers, calendars, in English or Spanish."""

"""The rules and their calendars: business days, deadlines, verdicts, complaint clocks, coverage."""

"""Delete conversations with no activity in the last N days.

    python -m bot.retention --days 30            (or: make forget DAYS=30)

Reports success only once a count shows the conversations gone and no deleted
text is left in SQLite's files (bot/tracker_store.py); otherwise exits 1.
Uses the tracker store of bot/endpoints.yml (CARE_CLOCK_DATABASE_URL or the
SQLite file TRACKER_DB), the same one the Rasa server writes to.
"""

from __future__ import annotations

import argparse
import sys

from bot.tracker_store import STORAGE_ERRORS, CareClockTrackerStore, StorageFailed


def non_negative_days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}") from None
    if not 0 <= days <= 36500:
        raise argparse.ArgumentTypeError(f"days must be between 0 and 36500, not {text}")
    return days


def open_store(endpoints: str) -> CareClockTrackerStore:
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(endpoints, "tracker_store")
    if config is None:
        raise SystemExit(f"error: {endpoints} configures no tracker store")
    return CareClockTrackerStore(host=config.url, **config.kwargs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.retention", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--days",
        type=non_negative_days,
        required=True,
        help="keep conversations active within this many days; delete the rest",
    )
    parser.add_argument("--endpoints", default="bot/endpoints.yml", help="Rasa endpoints file (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        conversations, events = open_store(args.endpoints).erase_older_than(args.days)
    except (StorageFailed, *STORAGE_ERRORS) as error:  # nothing is reported deleted unless it is gone
        # (opening the store may already fail: it makes sure the reminders' table is there)
        print(f"error: could not delete old conversations ({error}); run it again", file=sys.stderr)
        return 1
    print(
        f"Deleted {conversations} conversation(s), {events} event(s), with no activity "
        f"in the last {args.days:g} day(s)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

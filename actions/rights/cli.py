"""python -m actions.rights: check a timeline from the command line.

Exit status 0 with the answer, 2 with one line on stderr for bad input or a
broken seeds file; never a traceback for either.
"""
from __future__ import annotations

import argparse
import json
import sys

from .dates import parse_cli_date, parse_cli_datetime
from .drafts import render_draft
from .ics import deadline_calendar
from .errors import CareClockError
from .explain import explain
from .seeds import COVERAGE_KINDS, KINDS, load_guidance
from .verdict import check


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line and status 2, as for our own errors
        self.exit(2, f"{self.prog}: {message}\n")


def _timeline_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", required=True, help=f"one of: {', '.join(KINDS)}")
    parser.add_argument("--start", required=True, help="last attended appointment (followup) or request date")
    parser.add_argument("--offered", help="the date offered, if any")
    parser.add_argument("--canceled", help="the canceled appointment's date, if any")
    parser.add_argument("--today", help="count as if today were this date (default: today in California)")
    parser.add_argument("--prior-auth", action="store_true", help="urgent care that needs prior authorization")
    parser.add_argument(
        "--longer-wait-approved", action="store_true", help="the provider noted a longer wait will not harm"
    )
    parser.add_argument(
        "--coverage", default="dmhc", help=f"who regulates your coverage, one of: {', '.join(COVERAGE_KINDS)} (default dmhc)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m actions.rights", description="Care Clock's timelines engine.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check_command = commands.add_parser("check", help="deadline and verdict for an appointment")
    _timeline_arguments(check_command)
    check_command.add_argument("--json", action="store_true", help="print one JSON object")

    draft_command = commands.add_parser("draft", help="print a drafted next step with your dates filled in")
    draft_command.add_argument("draft", help="out_of_network (call script), escalation, grievance, dmhc_complaint, if_canceled_again")
    _timeline_arguments(draft_command)
    _personal_arguments(draft_command)

    ics_command = commands.add_parser("ics", help="write the deadline as a calendar (.ics) file")
    _timeline_arguments(ics_command)
    ics_command.add_argument("--plan", default="your health plan", help="your plan's name")
    ics_command.add_argument("--out", help="file to write (default: standard output)")
    return parser


def _personal_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", help="your plan's name (e.g. Kaiser Permanente)")
    parser.add_argument("--name", help="your name (left as a blank to fill in if not given)")
    parser.add_argument("--member-id", help="your member number (left as a blank if not given)")
    parser.add_argument(
        "--serious-threat", action="store_true",
        help="you say your health faces a serious and imminent threat (asks for an expedited grievance)",
    )


def verdict_from_args(args: argparse.Namespace):
    if args.kind not in KINDS:
        raise CareClockError(f"unknown kind {args.kind!r}; choose one of {', '.join(KINDS)}")
    read = parse_cli_datetime if args.kind == "urgent" else parse_cli_date
    return check(
        kind=args.kind,
        start=read(args.start),
        offered=args.offered and read(args.offered),
        canceled=args.canceled and parse_cli_date(args.canceled),
        today=args.today and read(args.today),
        prior_auth=args.prior_auth,
        longer_wait_approved=args.longer_wait_approved,
        coverage=args.coverage,
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        load_guidance()
        verdict = verdict_from_args(args)
        if args.command == "draft":
            facts = {"plan": args.plan, "name": args.name, "member_id": args.member_id,
                     "serious_threat": args.serious_threat}
            output = render_draft(args.draft, verdict, facts)
        elif args.command == "ics":
            return _write_ics(deadline_calendar(verdict, args.plan), args.out)
        else:
            output = json.dumps(verdict.to_dict(), indent=2) if args.json else explain(verdict)
    except CareClockError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(output.rstrip("\n"))
    return 0


def _write_ics(data: bytes, path: str | None) -> int:
    if not path:
        sys.stdout.buffer.write(data)
        return 0
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as error:
        print(f"error: cannot write {path}: {error.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {path}", file=sys.stderr)
    return 0

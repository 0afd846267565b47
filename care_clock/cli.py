"""python -m care_clock: check a timeline, date the complaint path, or list a case.

Exit status 0 with the answer, 2 with one line on stderr for bad input or a
broken seeds file; never a traceback for either. `--lang es` gives every answer
and every message of ours in Spanish (the engine's Spanish words: seeds/es/);
argparse's own usage messages stay in English.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial

from care_clock.case.record import add_event, case_to_dict, episodes, new_case, timeline_text
from care_clock.errors import CareClockError, InputError
from care_clock.facts import COVERAGE_KINDS, KINDS, load_guidance
from care_clock.law.clocks import clocks_text, complaint_clocks, steps_ahead
from care_clock.law.coverage import coverage_of
from care_clock.law.verdict import check, now_in_california
from care_clock.reading.dates import parse_cli_date, parse_cli_datetime
from care_clock.writing.calendar_picture import case_picture
from care_clock.writing.drafts import render_draft
from care_clock.writing.explain import explain
from care_clock.writing.ics import case_calendar, deadline_calendar
from care_clock.writing.localize import in_language
from care_clock.writing.wording import SPANISH, Worded, error_text, say, unknown_choice

LANGUAGES = ("en", SPANISH)


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
        "--coverage",
        default="dmhc",
        help=f"who regulates your coverage, one of: {', '.join(COVERAGE_KINDS)} (default dmhc)",
    )


def _language_parser() -> _Parser:
    """--lang, taken by every command."""
    parser = _Parser(add_help=False)
    parser.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the answer and of our messages (default en)"
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m care_clock", description="Care Clock's timelines engine.")
    language = _language_parser()
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    add_command = partial(commands.add_parser, parents=[language])
    check_command = add_command("check", help="deadline and verdict for an appointment")
    _timeline_arguments(check_command)
    check_command.add_argument("--json", action="store_true", help="print one JSON object")

    draft_command = add_command("draft", help="print a drafted next step with your dates filled in")
    draft_command.add_argument(
        "draft", help="out_of_network (call script), escalation, grievance, dmhc_complaint, if_canceled_again"
    )
    _timeline_arguments(draft_command)
    _personal_arguments(draft_command)

    ics_command = add_command("ics", help="write the deadline as a calendar (.ics) file")
    _timeline_arguments(ics_command)
    ics_command.add_argument("--plan", help="your plan's name (default: your health plan)")
    ics_command.add_argument("--out", help="file to write (default: standard output)")
    _clocks_command(add_command)
    _timeline_command(add_command)
    return parser


def _clocks_command(add_command) -> None:
    clocks = add_command("clocks", help="the complaint path's dates, from the dates you filed and heard back")
    clocks.add_argument("--filed", help="the day you filed a grievance with your plan")
    clocks.add_argument("--decision", help="the day of the plan's written decision")
    clocks.add_argument(
        "--expedited", action="store_true", help="you asked for an expedited grievance (serious threat)"
    )
    clocks.add_argument("--incident", help="the problem's date (a missed appointment deadline)")
    clocks.add_argument("--dmhc-filed", help="the day you complained to the DMHC Help Center")
    clocks.add_argument("--oon-request", help="the day you asked the plan for out-of-network care")
    clocks.add_argument(
        "--first-request",
        help="the day you first asked for this care (out-of-network dates count from it; default: --oon-request)",
    )
    clocks.add_argument(
        "--coverage", default="dmhc", help=f"one of: {', '.join(COVERAGE_KINDS)} (default dmhc): its own clocks"
    )
    clocks.add_argument(
        "--kind", choices=KINDS, help="the kind of appointment (some clocks are for one kind only; default: all)"
    )
    clocks.add_argument("--json", action="store_true", help="print a JSON list")


EVENT_HELP = (
    "an event: KIND DATE [key=value ...], KIND one of attended, canceled, offered, requested, call, filed, "
    "decision; e.g. 'canceled 2024-11-04 by=plan', 'offered 2024-11-20 group=no', "
    "'call 2024-11-05 who=Ana reference=R1', 'filed 2024-11-25 filing=grievance'"
)


def _timeline_command(add_command) -> None:
    timeline = add_command("timeline", help="a whole case: every event, each deadline, what comes next")
    timeline.add_argument("--event", action="append", required=True, help=EVENT_HELP)
    timeline.add_argument("--kind", default="followup", help=f"one of: {', '.join(KINDS)} (default followup)")
    timeline.add_argument("--coverage", default="dmhc", help=f"one of: {', '.join(COVERAGE_KINDS)} (default dmhc)")
    timeline.add_argument("--today", help="count as if today were this date")
    timeline.add_argument("--json", action="store_true", help="print one JSON object")
    timeline.add_argument("--svg", help="also write the current deadline as a calendar picture (SVG) to this file")
    timeline.add_argument("--ics", help="also write the coming dates as a calendar (.ics) to this file")


def _personal_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", help="your plan's name (e.g. Kaiser Permanente)")
    parser.add_argument("--name", help="your name (left as a blank to fill in if not given)")
    parser.add_argument("--member-id", help="your member number (left as a blank if not given)")
    parser.add_argument(
        "--serious-threat",
        action="store_true",
        help="you say your health faces a serious and imminent threat (asks for an expedited grievance)",
    )


def _guidance(args: argparse.Namespace):
    """The guidance with its patient-facing words in the --lang language."""
    return in_language(load_guidance(), args.lang)


def verdict_from_args(args: argparse.Namespace):
    if args.kind not in KINDS:
        raise InputError(unknown_choice("kind", "kind", args.kind, KINDS))
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
        guidance=_guidance(args),
        language=args.lang,
    )


def _optional_date(text: str | None):
    return parse_cli_date(text) if text else None


def clocks_from_args(args: argparse.Namespace):
    starts = {
        "filed": args.filed,
        "decision": args.decision,
        "incident": args.incident,
        "dmhc_filed": args.dmhc_filed,
        "oon_request": args.oon_request,
        "first_request": args.first_request or args.oon_request,
    }
    starts = {name: parse_cli_date(text) for name, text in starts.items() if text}
    if not starts:
        english = "give at least one date: --filed, --decision, --incident, --dmhc-filed or --oon-request"
        raise InputError(Worded("cli_no_dates", english))
    coverage_of(args.coverage, _guidance(args))  # an unknown coverage is an error, not a silent default
    return complaint_clocks(starts, args.expedited, _guidance(args), args.lang, args.coverage, args.kind)


def _event_details(words: list[str]) -> dict:
    details: dict[str, bool | str] = {}
    for word in words:
        key, _, value = word.partition("=")
        if not value:
            raise InputError(Worded("cli_not_key_value", "event detail {detail!r} is not key=value", detail=word))
        key = key.replace("-", "_")
        if key in ("group", "expedited", "out_of_network"):
            details[key] = value.lower() in ("yes", "true", "1")
        else:
            details[key] = value
    return details


def case_from_args(args: argparse.Namespace):
    case = new_case(args.kind, args.coverage)
    for text in args.event:
        words = text.split()
        if len(words) < 2:
            raise InputError(Worded("cli_event_needs_date", "event {event!r} needs a kind and a date", event=text))
        try:
            case = add_event(case, words[0], parse_cli_date(words[1]), **_event_details(words[2:]))
        except TypeError:
            english = "event {event!r} has a detail this kind of event does not take"
            raise InputError(Worded("cli_detail_not_taken", english, event=text)) from None
    return case


def _timeline(args: argparse.Namespace) -> str:
    case, guidance, language = case_from_args(args), _guidance(args), args.lang
    today = parse_cli_date(args.today) if args.today else now_in_california().date()
    steps = steps_ahead(case, today, guidance, language)
    if args.svg and (picture := case_picture(case, today, guidance, language)):
        _write(args.svg, picture.svg)
    if args.ics:
        _write(args.ics, case_calendar(case, today, guidance, language))
    if args.json:
        found = episodes(case, today, guidance, language)
        return json.dumps(
            {
                "case": case_to_dict(case),
                "today": today.isoformat(),
                "episodes": [
                    {
                        "anchor": ep.anchor.id,
                        "deadline": ep.verdict.to_dict()["deadline"],
                        "status": ep.verdict.status,
                        "met": ep.met,
                        "counted": ep.counted and ep.counted.isoformat(),
                    }
                    for ep in found
                ],
                "next": [step.to_dict() for step in steps],
            },
            indent=2,
        )
    next_lines = [f"- {step.text(today)}" for step in steps] or [say(language, "cli_nothing_due", "- Nothing is due.")]
    whats_next = say(language, "cli_whats_next", "What's next and when:")
    not_advice = say(language, "not_advice_line", "General information, not legal advice.")
    return "\n".join([timeline_text(case, today, guidance, language), "", whats_next, *next_lines, "", not_advice])


def _write(path: str, data: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as error:
        english = "cannot write {path}: {reason}"
        raise InputError(Worded("cli_cannot_write", english, path=path, reason=error.strerror)) from None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        load_guidance()
        if args.command in ("clocks", "timeline"):
            output = _other_command(args)
        elif args.command == "ics":
            return _write_ics(args)
        else:
            output = _verdict_command(args)
    except CareClockError as error:
        print(f"error: {error_text(error, args.lang)}", file=sys.stderr)
        return 2
    print(output.rstrip("\n"))
    return 0


def _verdict_command(args: argparse.Namespace) -> str:
    """check and draft: one appointment's verdict, in words or JSON, or a draft built on it."""
    verdict = verdict_from_args(args)
    if args.command == "check":
        return json.dumps(verdict.to_dict(), indent=2) if args.json else explain(verdict, _guidance(args), args.lang)
    facts = {"plan": args.plan, "name": args.name, "member_id": args.member_id, "serious_threat": args.serious_threat}
    return render_draft(args.draft, verdict, facts, _guidance(args), language=args.lang)


def _write_ics(args: argparse.Namespace) -> int:
    data = deadline_calendar(verdict_from_args(args), args.plan, _guidance(args), args.lang)
    if not args.out:
        sys.stdout.buffer.write(data)
        return 0
    _write(args.out, data)
    print(say(args.lang, "cli_wrote", "wrote {path}", path=args.out), file=sys.stderr)
    return 0


def _other_command(args: argparse.Namespace) -> str:
    """The commands that take no single appointment: clocks and timeline."""
    if args.command == "timeline":
        return _timeline(args)
    clocks = clocks_from_args(args)
    if args.json:
        return json.dumps([c.to_dict() for c in clocks], indent=2)
    return clocks_text(clocks, args.lang)

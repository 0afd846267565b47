"""Load and check the guidance in seeds/.

Every problem is reported as one SeedError naming the file and the key, so a
broken edit to the data fails at start-up with a line a person can act on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypedDict, overload

import yaml

from care_clock.errors import SeedError
from care_clock.paths import SEEDS
from care_clock.safety.patterns import (
    CrisisLanguage,
    compile_any,
    expand_words,
    normalize,
    to_regex,
)

DEFAULT_DIR = SEEDS
KINDS = ("followup", "initial", "psychiatry", "urgent")
STATUSES = ("on_time", "late", "pending", "overdue", "exception_noted", "rule_does_not_apply", "not_in_force")
# A verdict with one of these gives no deadline to meet: the state rule does not bind the plan, or did not exist yet.
UNJUDGED = ("rule_does_not_apply", "not_in_force")
UNITS = ("business_days", "hours")
COUNTS_FROM = ("last_attended", "request")
ARTICLE_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
SCHEDULES = ("federal", "state", "state_law")
CLOSING_SCHEDULES = ("federal", "state")  # "both" in seeds/holidays.yml
COVERAGE_KINDS = ("dmhc", "cdi", "medi-cal", "medicare", "self-funded", "unknown")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A source's `certainty` when the reference says its fact is only reported; a source without one is official.
SOURCE_CERTAINTIES = ("secondary", "unverified")


@dataclass(frozen=True)
class Source:
    id: str
    cite: str
    title: str
    url: str | None
    articles: tuple[str, ...]
    read_on: str | None = None  # where the text was read, when that was an unofficial copy
    checked: dt.date | None = None  # the day what the seeds cite it for was last compared with it
    certainty: str | None = None  # secondary or unverified, as the reference marks it; None: official


@dataclass(frozen=True)
class Standard:
    kind: str
    label: str
    in_my_words: str
    provider: str
    limit: int
    limit_with_prior_auth: int | None
    unit: str
    counts_from: str
    rule: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...]
    in_force_from: dt.date | None = None  # the day the rule took effect; no earlier wait is judged by it


@dataclass(frozen=True)
class Schedule:
    """Whose closures (federal or state offices) and how a weekend holiday moves."""

    id: str
    label: str
    saturday_to_friday: bool
    sunday_to_monday: bool
    sources: tuple[str, ...]
    # False for a list of holidays whose offices stay open (Gov. Code §6700): only a plan's
    # latest arguable deadline skips its days.
    closes_offices: bool = True


@dataclass(frozen=True)
class Holiday:
    """A closure day: a fixed date (day) or the nth weekday of a month (nth < 0 counts from the end)."""

    id: str
    name: str
    month: int
    day: int | None
    weekday: int | None
    nth: int | None
    days_after: int
    closes: tuple[str, ...]
    saturday_to_friday: tuple[str, ...] | None  # schedules that move it, overriding each schedule's default
    sources: tuple[str, ...]
    year: int | None = None  # a one-off closure (an executive order), that year only
    since: dt.date | None = None  # the first day it counted (a new holiday)
    until: dt.date | None = None  # the last day it counted

    def counts_on(self, day: dt.date) -> bool:
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Coverage:
    """A kind of coverage: whether the state rules apply and where to complain (seeds/coverage.yml)."""

    id: str
    label: str
    regulator: str
    rule_applies: bool | None
    out_of_network: bool
    questions: tuple[str, ...]
    where_to_turn: str
    contacts: tuple[str, ...]
    cites: dict[str, str]
    steps: dict[str, str]
    sources: tuple[str, ...]
    plan_words: tuple[str, ...]


@dataclass(frozen=True)
class Guidance:
    sources: dict[str, Source]
    standards: dict[str, Standard]
    exception: dict[str, Any]
    rights: dict[str, dict[str, Any]]
    contacts: dict[str, dict[str, Any]]
    crisis: dict[str, dict[str, Any]]
    crisis_language: CrisisLanguage
    next_steps: dict[str, dict[str, Any]]
    steps_by_status: dict[str, tuple[str, ...]]
    urgent_steps_by_status: dict[str, tuple[str, ...]]
    topics: dict[str, dict[str, Any]]
    strike: dict[str, Any]
    folder: Path
    schedules: tuple[Schedule, ...] = ()
    holidays: tuple[Holiday, ...] = ()
    coverage: dict[str, Coverage] = dataclasses.field(default_factory=dict)
    offices: dict[str, dict[str, Any]] = dataclasses.field(
        default_factory=dict
    )  # contacts.yml's contacts plus coverage.yml's offices

    def cite(self, source_ids) -> list[dict[str, Any]]:
        return [
            {"cite": self.sources[s].cite, "url": self.sources[s].url or "", "articles": list(self.sources[s].articles)}
            for s in source_ids
        ]


class _File:
    """One YAML file, with typed look-ups that fail as SeedError."""

    def __init__(self, folder: Path, name: str):
        self.name = name
        path = folder / name
        try:
            self.data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SeedError(name, "(file)", f"not found in {folder}") from None
        except yaml.YAMLError as error:
            raise SeedError(name, "(file)", f"not valid YAML: {error}") from None
        if not isinstance(self.data, dict):
            raise SeedError(name, "(file)", "must be a mapping of keys to values")

    def get(self, node: Any, path: str, key: str, kind: type | tuple, optional=False):
        where = f"{path}.{key}" if path else key
        if not isinstance(node, dict) or key not in node or node[key] is None:
            if optional:
                return None
            raise SeedError(self.name, where, "missing")
        value = node[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise SeedError(self.name, where, f"must be {_article(names)}, got {value!r}")
        if isinstance(value, str) and not value.strip():
            raise SeedError(self.name, where, "is empty")
        return value

    def mapping(self, node: Any, path: str, key: str) -> dict:
        value = self.get(node, path, key, dict)
        if not value:
            raise SeedError(self.name, f"{path}.{key}" if path else key, "is empty")
        return value

    def strings(self, node: Any, path: str, key: str, optional=False) -> tuple[str, ...]:
        value = self.get(node, path, key, list, optional)
        if value is None:
            return ()
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise SeedError(self.name, f"{path}.{key}[{i}]", f"must be a non-empty string, got {item!r}")
        return tuple(value)

    def one_of(self, node: Any, path: str, key: str, allowed: tuple[str, ...]) -> str:
        value = self.get(node, path, key, str)
        if value not in allowed:
            raise SeedError(self.name, f"{path}.{key}", f"must be one of {', '.join(allowed)}, got {value!r}")
        return value

    @overload
    def positive(self, node: Any, path: str, key: str, optional: Literal[False] = False) -> int: ...
    @overload
    def positive(self, node: Any, path: str, key: str, optional: bool) -> int | None: ...
    def positive(self, node: Any, path: str, key: str, optional: bool = False) -> int | None:
        value = self.get(node, path, key, int, optional)
        if value is not None and value <= 0:
            raise SeedError(self.name, f"{path}.{key}", f"must be a positive whole number, got {value}")
        return value

    def known_ids(self, ids: tuple[str, ...], known: dict, path: str, what: str) -> tuple[str, ...]:
        for i, item in enumerate(ids):
            if item not in known:
                raise SeedError(self.name, f"{path}[{i}]", f"unknown {what} {item!r}")
        return ids


def _article(name: str) -> str:
    return ("an " if name[0] in "aeiou" else "a ") + name


def _load_sources(f: _File) -> dict[str, Source]:
    sources = {}
    for sid, node in f.mapping(f.data, "", "sources").items():
        path = f"sources.{sid}"
        url = f.get(node, path, "url", str, optional=True)
        articles = f.strings(node, path, "articles", optional=True)
        if url is None and not articles:
            raise SeedError(f.name, f"{path}.url", "missing (a source needs a url or seed articles)")
        if url is not None and not url.startswith(("https://", "http://")):
            raise SeedError(f.name, f"{path}.url", f"must be a web address, got {url!r}")
        for i, name in enumerate(articles):
            if not ARTICLE_NAME.match(name):
                raise SeedError(f.name, f"{path}.articles[{i}]", f"not a seed article file name: {name!r}")
        read_on = f.get(node, path, "read_on", str, optional=True)
        certainty = f.one_of(node, path, "certainty", SOURCE_CERTAINTIES) if "certainty" in node else None
        sources[sid] = Source(
            sid,
            f.get(node, path, "cite", str),
            f.get(node, path, "title", str),
            url,
            articles,
            read_on,
            checked=_day(f, node, path, "checked"),
            certainty=certainty,
        )
    return sources


def _load_standards(f: _File, sources: dict) -> tuple[dict[str, Standard], dict]:
    standards = {}
    nodes = f.mapping(f.data, "", "standards")
    for kind in KINDS:
        path = f"standards.{kind}"
        node = f.mapping(nodes, "standards", kind)
        unit = f.one_of(node, path, "unit", UNITS)
        standards[kind] = Standard(
            kind=kind,
            label=f.get(node, path, "label", str),
            in_my_words=f.get(node, path, "in_my_words", str),
            provider=f.get(node, path, "provider", str),
            limit=f.positive(node, path, "limit"),
            limit_with_prior_auth=f.positive(node, path, "limit_with_prior_auth", optional=unit != "hours"),
            unit=unit,
            counts_from=f.one_of(node, path, "counts_from", COUNTS_FROM),
            rule=" ".join(f.get(node, path, "rule", str).split()),
            sources=f.known_ids(f.strings(node, path, "sources"), sources, f"{path}.sources", "source"),
            aliases=f.strings(node, path, "aliases"),
            in_force_from=_in_force(f, node, path),
        )
    for kind in nodes:
        if kind not in KINDS:
            raise SeedError(f.name, f"standards.{kind}", f"unknown kind; expected one of {', '.join(KINDS)}")
    exception = f.mapping(f.data, "", "exception")
    f.get(exception, "exception", "summary", str)
    f.known_ids(f.strings(exception, "exception", "sources"), sources, "exception.sources", "source")
    return standards, exception


def _load_cited_entries(
    f: _File, key: str, sources: dict, fields: tuple[str, ...], dated: bool = False
) -> dict[str, dict]:
    """Entries with text `fields` and sources; `dated` ones also carry `in_force_from` (a date or null)."""
    entries = {}
    for eid, node in f.mapping(f.data, "", key).items():
        path = f"{key}.{eid}"
        for field in fields:
            f.get(node, path, field, str)
        f.known_ids(f.strings(node, path, "sources"), sources, f"{path}.sources", "source")
        if dated:
            _in_force(f, node, path)
        entries[eid] = {k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in node.items()}
    return entries


def _load_crisis(f: _File, sources: dict) -> dict:
    node = f.mapping(f.data, "", "crisis")
    resources = {}
    for rid in ("lifeline", "domestic_violence", "emergency"):
        entry = f.mapping(node, "crisis", rid)
        for field in ("name", "phone", "how"):
            f.get(entry, f"crisis.{rid}", field, (str, int))
        f.known_ids(tuple(entry.get("sources") or ()), sources, f"crisis.{rid}.sources", "source")
        _in_force(f, entry, f"crisis.{rid}")
        resources[rid] = {**entry, "phone": str(entry["phone"])}
    return resources


def _crisis_regexes(f: _File, node: Any, path: str, key: str, words: dict[str, str]) -> list[str]:
    regexes = []
    for i, pattern in enumerate(f.strings(node, path, key)):
        try:
            regexes.append(to_regex(expand_words(pattern, words)))
            re.compile(regexes[-1])
        except (ValueError, re.error) as error:
            where = f"{path}.{key}[{i}]" if path else f"{key}[{i}]"
            raise SeedError(f.name, where, f"not a valid pattern: {error}") from None
    return regexes


def _load_crisis_language(f: _File) -> CrisisLanguage:
    """seeds/crisis.yml: the patterns that make a message a crisis, compiled."""
    words: dict[str, str] = {}
    for name in f.mapping(f.data, "", "words"):
        try:  # a word list may use the lists above it
            words[name] = expand_words(f.get(f.data["words"], "words", name, str), words)
        except ValueError as error:
            raise SeedError(f.name, f"words.{name}", str(error)) from None
    patterns = {}
    for language, groups in f.mapping(f.data, "", "patterns").items():
        path = f"patterns.{language}"
        patterns[language] = {
            group: compile_any(_crisis_regexes(f, groups, path, group, words))
            for group in f.mapping(f.data["patterns"], "patterns", language)
        }
    exclusions = _crisis_regexes(f, f.data, "", "exclusions", words) if f.data.get("exclusions") else []
    cues = f.mapping(f.data, "", "cue_words")
    return CrisisLanguage(
        patterns=patterns,
        exclusions=compile_any(exclusions) if exclusions else None,
        cue_words={
            lang: frozenset(normalize(" ".join(f.strings(cues, "cue_words", lang))).split()) for lang in patterns
        },
    )


def _steps_table(f: _File, key: str, steps: dict) -> dict[str, tuple[str, ...]]:
    table = f.mapping(f.data, "", key)
    return {
        status: f.known_ids(f.strings(table, key, status), steps, f"{key}.{status}", "next step") for status in STATUSES
    }


def _load_topics(f: _File, guidance_parts: dict) -> dict[str, dict]:
    topics = f.mapping(f.data, "", "topics")
    for tid, node in topics.items():
        path = f"topics.{tid}"
        f.get(node, path, "title", str)
        f.known_ids(f.strings(node, path, "rights", optional=True), guidance_parts["rights"], f"{path}.rights", "right")
        f.known_ids(
            f.strings(node, path, "standards", optional=True),
            guidance_parts["standards"],
            f"{path}.standards",
            "standard",
        )
        contact = f.get(node, path, "contact", str, optional=True)
        if contact is not None and contact not in guidance_parts["contacts"]:
            raise SeedError(f.name, f"{path}.contact", f"unknown contact {contact!r}")
    return topics


def load_guidance_from(folder: Path) -> Guidance:
    folder = Path(folder)
    sources = _load_sources(_File(folder, "sources.yml"))
    standards, exception = _load_standards(_File(folder, "standards.yml"), sources)
    rights_file = _File(folder, "rights.yml")
    rights = _load_cited_entries(rights_file, "rights", sources, ("title", "answer"), dated=True)
    _check_grievance(rights_file, rights, sources)
    contacts_file = _File(folder, "contacts.yml")
    contacts = _load_cited_entries(contacts_file, "contacts", sources, ("name", "phone", "web"), dated=True)
    crisis = _load_crisis(contacts_file, sources)
    steps_file = _File(folder, "next_steps.yml")
    steps = _load_cited_entries(steps_file, "next_steps", sources, ("title", "button"))
    for step_id in steps:
        steps_file.strings(steps[step_id], f"next_steps.{step_id}", "aliases")
        if not (folder / "drafts" / f"{step_id}.txt.j2").is_file():
            raise SeedError(steps_file.name, f"next_steps.{step_id}", f"no draft template drafts/{step_id}.txt.j2")
    strike_file = _File(folder, "strike.yml")
    node = strike_file.mapping(strike_file.data, "", "strike")
    for key in ("rule_first", "began", "over"):
        strike_file.get(node, "strike", key, str)
    strike_file.get(node, "strike", "started", dt.date)
    for key in ("ended", "as_of"):  # the end as reported, and when it was reported
        strike_file.get(node, "strike", key, dt.date, optional=True)
    for key in ("sources", "over_sources"):
        strike_file.known_ids(strike_file.strings(node, "strike", key), sources, f"strike.{key}", "source")
    strike = {**node, **{key: " ".join(node[key].split()) for key in ("rule_first", "began", "over")}}
    topics = _load_topics(_File(folder, "topics.yml"), {"rights": rights, "standards": standards, "contacts": contacts})
    return Guidance(
        sources=sources,
        standards=standards,
        exception={**exception, "summary": " ".join(exception["summary"].split())},
        rights=rights,
        contacts=contacts,
        crisis=crisis,
        crisis_language=_load_crisis_language(_File(folder, "crisis.yml")),
        next_steps=steps,
        steps_by_status=_steps_table(steps_file, "by_status", steps),
        urgent_steps_by_status=_steps_table(steps_file, "urgent_by_status", steps),
        topics=topics,
        strike=strike,
        folder=folder,
        **_load_holidays(_File(folder, "holidays.yml"), sources),
        **_load_coverage(_File(folder, "coverage.yml"), sources, contacts, steps),
    )


def _check_grievance(f: _File, rights: dict, sources: dict) -> None:
    """The numbers and sources the grievance drafts use."""
    node = f.mapping(rights, "rights", "grievance")
    for key in ("resolve_days", "expedited_days", "file_within_months"):
        f.positive(node, "rights.grievance", key)
    f.known_ids(
        f.strings(node, "rights.grievance", "urgent_sources"), sources, "rights.grievance.urgent_sources", "source"
    )


class _Holidays(TypedDict):
    schedules: tuple[Schedule, ...]
    holidays: tuple[Holiday, ...]


def _load_holidays(f: _File, sources: dict) -> _Holidays:
    schedules = []
    nodes = f.mapping(f.data, "", "schedules")
    for sid in SCHEDULES:
        path = f"schedules.{sid}"
        node = f.mapping(nodes, "schedules", sid)
        schedules.append(
            Schedule(
                id=sid,
                label=f.get(node, path, "label", str),
                saturday_to_friday=f.get(node, path, "saturday_to_friday", bool),
                sunday_to_monday=f.get(node, path, "sunday_to_monday", bool),
                sources=f.known_ids(f.strings(node, path, "sources"), sources, f"{path}.sources", "source"),
                closes_offices=f.get(node, path, "closes_offices", bool, optional=True) is not False,
            )
        )
    holidays = []
    for hid, node in f.mapping(f.data, "", "holidays").items():
        path = f"holidays.{hid}"
        when = f.mapping(node, path, "date")
        closes = _closing_schedules(f, node, path)
        moves = f.strings(node, path, "saturday_to_friday", optional=True) or None
        if moves and not set(moves) <= set(SCHEDULES):
            raise SeedError(f.name, f"{path}.saturday_to_friday", f"must name schedules among {', '.join(SCHEDULES)}")
        holidays.append(
            Holiday(
                id=hid,
                name=f.get(node, path, "name", str),
                **_holiday_date(f, when, f"{path}.date"),
                closes=closes,
                saturday_to_friday=moves,
                sources=f.known_ids(f.strings(node, path, "sources"), sources, f"{path}.sources", "source"),
                since=_optional_day(f, node, path, "since"),
                until=_optional_day(f, node, path, "until"),
            )
        )
    return {"schedules": tuple(schedules), "holidays": tuple(holidays)}


class _Coverages(TypedDict):
    coverage: dict[str, Coverage]
    offices: dict[str, dict[str, Any]]


def _load_coverage(f: _File, sources: dict, contacts: dict, steps: dict) -> _Coverages:
    offices = dict(contacts)
    for oid, node in f.mapping(f.data, "", "offices").items():
        path = f"offices.{oid}"
        f.get(node, path, "name", str)
        for key in ("phone", "tdd", "hours", "web"):
            f.get(node, path, key, str, optional=True)
        if not str(node.get("web") or "https://").startswith(("https://", "http://")):
            raise SeedError(f.name, f"{path}.web", f"must be a web address, got {node['web']!r}")
        f.known_ids(f.strings(node, path, "sources"), sources, f"{path}.sources", "source")
        offices[oid] = dict(node)
    kinds = {}
    nodes = f.mapping(f.data, "", "coverage")
    for kind in nodes:  # the file's order decides which plan words win
        path, node = f"coverage.{kind}", f.mapping(nodes, "coverage", kind)
        if kind not in COVERAGE_KINDS:
            raise SeedError(f.name, path, f"unknown kind; expected one of {', '.join(COVERAGE_KINDS)}")
        rule_applies = node.get("rule_applies") if "rule_applies" in node else "missing"
        if rule_applies not in (True, False, None):
            raise SeedError(f.name, f"{path}.rule_applies", "must be true, false or null")
        cites = f.get(node, path, "cites", dict, optional=True) or {}
        for old, new in cites.items():
            f.known_ids((old, new), sources, f"{path}.cites", "source")
        replaced = f.get(node, path, "steps", dict, optional=True) or {}
        for old, new in replaced.items():
            f.known_ids((old, new), steps, f"{path}.steps", "next step")
        kinds[kind] = Coverage(
            id=kind,
            label=f.get(node, path, "label", str),
            regulator=f.get(node, path, "regulator", str),
            rule_applies=rule_applies,
            out_of_network=f.get(node, path, "out_of_network", bool),
            questions=f.strings(node, path, "questions"),
            where_to_turn=" ".join(f.get(node, path, "where_to_turn", str).split()),
            contacts=f.known_ids(f.strings(node, path, "contacts"), offices, f"{path}.contacts", "contact or office"),
            cites=cites,
            steps=replaced,
            sources=f.known_ids(f.strings(node, path, "sources"), sources, f"{path}.sources", "source"),
            plan_words=tuple(w.lower() for w in f.strings(node, path, "plan_words", optional=True)),
        )
    for kind in COVERAGE_KINDS:
        f.mapping(nodes, "coverage", kind)
    return {"coverage": kinds, "offices": offices}


def _closing_schedules(f: _File, node: dict, path: str) -> tuple[str, ...]:
    """`closes`: "both" (federal and state offices), one schedule, or a list of them."""
    closes = node.get("closes")
    if closes == "both":
        return CLOSING_SCHEDULES
    names = (closes,) if isinstance(closes, str) else tuple(closes or ())
    if not names or not set(names) <= set(SCHEDULES):
        raise SeedError(f.name, f"{path}.closes", f"must be both, or among {', '.join(SCHEDULES)}, got {closes!r}")
    return names


def _optional_day(f: _File, node: dict, path: str, key: str) -> dt.date | None:
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise SeedError(f.name, f"{path}.{key}", f"must be a date (YYYY-MM-DD), got {value!r}")
    return value


def _day(f: _File, node: dict, path: str, key: str) -> dt.date:
    """A required date (YYYY-MM-DD)."""
    if not isinstance(node, dict) or node.get(key) is None:
        raise SeedError(f.name, f"{path}.{key}", "missing (a date, YYYY-MM-DD)")
    day = _optional_day(f, node, path, key)
    assert day is not None  # checked just above
    return day


def _in_force(f: _File, node: dict, path: str) -> dt.date | None:
    """`in_force_from`: the day the rule took effect, or null when no source states it; the key must be there."""
    if not isinstance(node, dict) or "in_force_from" not in node:
        raise SeedError(f.name, f"{path}.in_force_from", "missing (the day it took effect, YYYY-MM-DD, or null)")
    return _optional_day(f, node, path, "in_force_from")


class _HolidayDateRule(TypedDict):
    month: int
    day: int | None
    weekday: int | None
    nth: int | None
    days_after: int


class _HolidayDate(_HolidayDateRule, total=False):
    year: int  # a one-off closure only


def _holiday_date(f: _File, when: dict, path: str) -> _HolidayDate:
    if "year" in when:  # a one-off closure
        day = f.get(when, path, "day", int)
        try:
            dt.date(f.positive(when, path, "year"), f.positive(when, path, "month"), day)
        except ValueError:
            raise SeedError(f.name, path, f"no such date: {when}") from None
        return {"year": when["year"], "month": when["month"], "day": day, "weekday": None, "nth": None, "days_after": 0}
    month = f.positive(when, path, "month")
    days_after = f.get(when, path, "days_after", int, optional=True) or 0
    if month > 12:
        raise SeedError(f.name, f"{path}.month", f"must be 1 to 12, got {month}")
    if "day" in when:
        day = f.positive(when, path, "day")
        try:
            dt.date(2023, month, day)  # a year without Feb 29: the date must exist every year
        except ValueError:
            raise SeedError(f.name, f"{path}.day", f"no such date: month {month}, day {day}") from None
        return {"month": month, "day": day, "weekday": None, "nth": None, "days_after": days_after}
    weekday = f.one_of(when, path, "weekday", WEEKDAYS)
    nth = f.get(when, path, "nth", int)
    if nth not in (1, 2, 3, 4, -1):
        raise SeedError(f.name, f"{path}.nth", f"must be 1 to 4, or -1 for the last, got {nth}")
    return {"month": month, "day": None, "weekday": WEEKDAYS.index(weekday), "nth": nth, "days_after": days_after}


CLOCK_STARTS = ("incident", "filed", "decision", "dmhc_filed", "oon_request", "first_request")
CLOCK_UNITS = ("days", "business_days", "months")
CLOCK_MEANINGS = ("plan_by", "may_from", "until", "last_day", "usual_by")
CLOCK_PATHS = ("standard", "expedited", "any")
CLOCK_CERTAINTIES = ("official", "practice", "secondary")


@dataclass(frozen=True)
class Clock:
    """One clock of the complaint path (seeds/clocks.yml): `count` `unit`s after the `starts_from` date."""

    id: str
    label: str
    starts_from: str
    count: int
    unit: str
    next_day: bool
    meaning: str
    path: str
    certainty: str
    rule: str
    sources: tuple[str, ...]
    # The kinds of coverage (seeds/coverage.yml) whose rules set this clock: a DMHC clock is never
    # shown to a Medicare member.
    coverages: tuple[str, ...] = ()
    in_force_from: dt.date | None = None  # the day the rule took effect; no earlier start is counted by it
    kinds: tuple[str, ...] = ()  # the kinds of appointment it is for; empty: all of them


def _load_clock(f: _File, cid: str, node: Any, sources: dict, coverage_kinds: dict, standards: dict) -> Clock:
    path = f"clocks.{cid}"
    count = f.mapping(node, path, "count")
    if len(count) != 1 or next(iter(count)) not in CLOCK_UNITS:
        raise SeedError(f.name, f"{path}.count", f"must be one of {', '.join(CLOCK_UNITS)} with a number")
    unit = next(iter(count))
    amount = f.get(count, f"{path}.count", unit, int)
    if amount < 0:
        raise SeedError(f.name, f"{path}.count.{unit}", f"must not be negative, got {amount}")
    return Clock(
        id=cid,
        label=f.get(node, path, "label", str),
        starts_from=f.one_of(node, path, "from", CLOCK_STARTS),
        count=amount,
        unit=unit,
        next_day=bool(f.get(node, path, "next_day", bool, optional=True)),
        meaning=f.one_of(node, path, "meaning", CLOCK_MEANINGS),
        path=f.one_of(node, path, "path", CLOCK_PATHS),
        certainty=f.one_of(node, path, "certainty", CLOCK_CERTAINTIES),
        rule=" ".join(f.get(node, path, "rule", str).split()),
        sources=f.known_ids(f.strings(node, path, "sources"), sources, f"{path}.sources", "source"),
        coverages=f.known_ids(f.strings(node, path, "coverage"), coverage_kinds, f"{path}.coverage", "coverage"),
        in_force_from=_in_force(f, node, path),
        kinds=f.known_ids(f.strings(node, path, "kinds"), standards, f"{path}.kinds", "kind")
        if "kinds" in node
        else (),
    )


@lru_cache(maxsize=4)
def _clocks_cached(folder: str) -> tuple[Clock, ...]:
    guidance = load_guidance(folder)
    f = _File(Path(folder), "clocks.yml")
    return tuple(
        _load_clock(f, cid, node, guidance.sources, guidance.coverage, guidance.standards)
        for cid, node in f.mapping(f.data, "", "clocks").items()
    )


def load_clocks(folder: str | os.PathLike | None = None) -> tuple[Clock, ...]:
    """The clocks in seeds/clocks.yml of `folder` (as for load_guidance), checked against its sources."""
    chosen = folder or os.environ.get("CARE_CLOCK_SEEDS") or DEFAULT_DIR
    return _clocks_cached(str(Path(chosen).resolve()))


@lru_cache(maxsize=4)
def _load_cached(folder: str) -> Guidance:
    return load_guidance_from(Path(folder))


def load_guidance(folder: str | os.PathLike | None = None) -> Guidance:
    """The guidance in `folder`, else $CARE_CLOCK_SEEDS, else the repo's seeds/."""
    chosen = folder or os.environ.get("CARE_CLOCK_SEEDS") or DEFAULT_DIR
    return _load_cached(str(Path(chosen).resolve()))

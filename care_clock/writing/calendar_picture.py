"""A verdict as a small month calendar (SVG), with the same facts as text for screen readers.

Hand-built SVG markup (xml.etree): no plotting library, crisp at any size, one
column of months 360 units wide so it fits a phone. Every mark has a letter or
word as well as a colour, so it reads without colour too. Its words (months,
weekdays, tags, legend, alt text) are in the patient's language.
"""

from __future__ import annotations

import calendar as month_names
import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from care_clock.case.record import Case, as_date, current_verdict, episodes
from care_clock.facts import Guidance, load_guidance
from care_clock.law import business_days as bd
from care_clock.law.verdict import Verdict
from care_clock.writing.explain import full_date, late_by
from care_clock.writing.wording import SPANISH, holiday_name, say, spanish_phrases

CELL, MARGIN, TITLE, HEADER = 48, 12, 30, 22
WIDTH = 2 * MARGIN + 7 * CELL
MAX_MONTHS = 3
# fill, text colour, tag shown in the cell, legend words
MARKS = {
    "start": ("#1f4e99", "#ffffff", "start", "clock starts (last visit or request)"),
    "counted": ("#dbe7f7", "#102a55", "", "business day counted (numbered)"),
    "holiday": ("#d9d9d9", "#333333", "hol", "holiday, not counted"),
    "disputed": ("#ffe8c2", "#5c3b00", "?", "holiday for some offices only (disputed)"),
    "deadline": ("#b3261e", "#ffffff", "due", "deadline"),
    "offered": ("#1e7b34", "#ffffff", "offer", "appointment offered"),
    "canceled": ("#ffffff", "#6b0f0a", "", "appointment canceled (struck through)"),
}


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _mark_words(kind: str, language: str) -> tuple[str, str]:
    """(tag shown in the cell, legend words) in `language`."""
    return tuple(spanish_phrases()["picture_marks"][kind]) if language == SPANISH else MARKS[kind][2:]


def _month_name(month: int, language: str) -> str:
    return spanish_phrases()["months"][month - 1] if language == SPANISH else month_names.month_name[month]


def _weekdays(language: str) -> list[str]:
    return spanish_phrases()["weekdays_short"] if language == SPANISH else list(WEEKDAYS)


@dataclass(frozen=True)
class Picture:
    svg: bytes
    alt: str
    media_type: str = "image/svg+xml"


def _day_marks(verdict: Verdict, cancellations: list[dt.date], guidance: Guidance) -> dict[dt.date, list[str]]:
    """Every marked day and its marks, strongest first; counted days carry their number."""
    start, deadline = as_date(verdict.start), as_date(verdict.deadline)
    marks: dict[dt.date, list[str]] = {}
    if verdict.unit == "business_days":
        everyone = bd.deadline_calendar(guidance)
        number, day = 0, start
        while day < deadline:
            day += bd.ONE_DAY
            if bd.is_business_day(day, everyone):
                number += 1
                marks.setdefault(day, []).append(f"counted:{number}")
    for day, _ in verdict.holidays_skipped:
        marks.setdefault(day, []).append("holiday")
    for day, _ in verdict.disputed_days:
        marks.setdefault(day, []).append("disputed")
    for day in cancellations:
        marks.setdefault(day, []).append("canceled")
    if verdict.offered:
        marks.setdefault(as_date(verdict.offered), []).append("offered")
    marks.setdefault(deadline, []).append("deadline")
    marks.setdefault(start, []).append("start")
    order = list(MARKS)
    return {day: sorted(found, key=lambda m: order.index(m.split(":")[0])) for day, found in marks.items()}


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    months: list[tuple[int, int]] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month) and len(months) < MAX_MONTHS:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _text(parent, x, y, words, size=13, color="#222222", weight="normal", anchor="start"):
    node = ET.SubElement(
        parent,
        "text",
        x=str(x),
        y=str(y),
        fill=color,
        **{"font-size": str(size), "font-weight": weight, "text-anchor": anchor, "font-family": "sans-serif"},
    )
    node.text = words
    return node


def _cell(parent, x, y, day: dt.date, found: list[str], language: str) -> None:
    strongest = next((m for m in ("deadline", "offered", "start") if m in found), None)
    kind = strongest or (found[0].split(":")[0] if found else None)
    fill, ink, _, _ = MARKS[kind] if kind and kind != "canceled" else ("#ffffff", "#222222", "", "")
    border = {"stroke": "#b3261e", "stroke-width": "3"} if "deadline" in found else {"stroke": "#999999"}
    if "disputed" in found:
        border = {"stroke": "#b36b00", "stroke-width": "2", "stroke-dasharray": "4 3"}
    ET.SubElement(
        parent,
        "rect",
        {
            "x": str(x + 1),
            "y": str(y + 1),
            "width": str(CELL - 2),
            "height": str(CELL - 2),
            "rx": "4",
            "fill": fill,
            **border,
        },
    )
    _text(parent, x + 5, y + 17, str(day.day), 14, ink, "bold")
    tags = [m.split(":")[1] if m.startswith("counted:") else _mark_words(m, language)[0] for m in found]
    if "canceled" in found:
        ET.SubElement(
            parent,
            "line",
            {
                "x1": str(x + 6),
                "y1": str(y + CELL - 6),
                "x2": str(x + CELL - 6),
                "y2": str(y + 6),
                "stroke": "#6b0f0a",
                "stroke-width": "2",
            },
        )
    label = " ".join(t for t in tags if t)[:9]
    if label:
        _text(parent, x + CELL - 5, y + CELL - 7, label, 11, ink, anchor="end")


def _month(svg, top: int, year: int, month: int, marks: dict[dt.date, list[str]], language: str) -> int:
    title = say(language, "picture_month", "{month} {year}", month=_month_name(month, language), year=year)
    _text(svg, MARGIN, top + 21, title, 17, weight="bold")
    for column, name in enumerate(_weekdays(language)):
        _text(svg, MARGIN + column * CELL + CELL / 2, top + TITLE + 14, name, 12, "#555555", anchor="middle")
    weeks = month_names.Calendar().monthdatescalendar(year, month)
    for row, week in enumerate(weeks):
        for column, day in enumerate(week):
            if day.month == month:
                x, y = MARGIN + column * CELL, top + TITLE + HEADER + row * CELL
                _cell(svg, x, y, day, marks.get(day, []), language)
    return TITLE + HEADER + len(weeks) * CELL + MARGIN


def _legend(svg, top: int, used: set[str], language: str) -> int:
    shown = [kind for kind in MARKS if kind in used]
    for i, kind in enumerate(shown):
        fill, ink = MARKS[kind][:2]
        tag, words = _mark_words(kind, language)
        y = top + i * 24
        ET.SubElement(
            svg, "rect", x=str(MARGIN), y=str(y), width="30", height="20", rx="3", fill=fill, stroke="#999999"
        )
        if kind == "canceled":  # the same stroke as in the cells
            ET.SubElement(
                svg,
                "line",
                {
                    "x1": str(MARGIN + 4),
                    "y1": str(y + 17),
                    "x2": str(MARGIN + 26),
                    "y2": str(y + 3),
                    "stroke": ink,
                    "stroke-width": "2",
                },
            )
        else:
            _text(svg, MARGIN + 15, y + 15, tag or "1", 11, ink, anchor="middle")
        _text(svg, MARGIN + 40, y + 15, words, 13)
    return len(shown) * 24 + MARGIN


def alt_text(verdict: Verdict, cancellations: Sequence[dt.date] = (), language: str = "en") -> str:
    """The picture in words, for screen readers and for channels that show no pictures."""
    start, deadline = as_date(verdict.start), as_date(verdict.deadline)
    day = partial(full_date, language=language)
    business = verdict.unit == "business_days"
    unit = say(language, "business_days" if business else "hours", "business days" if business else "hours")
    parts = [
        say(
            language,
            "alt_start",
            "Calendar. The clock starts on {start} and counts {limit} {unit}; the deadline is {deadline}.",
            start=day(start),
            limit=verdict.limit,
            unit=unit,
            deadline=day(deadline),
        )
    ]
    named = "; ".join(f"{holiday_name(n, language)}, {day(d)}" for d, n in verdict.holidays_skipped)
    if named:
        parts.append(say(language, "alt_holidays", "Holidays not counted: {days}.", days=named))
    disputed = "; ".join(f"{holiday_name(n, language)}, {day(d)}" for d, n in verdict.disputed_days)
    if disputed:
        parts.append(say(language, "alt_disputed", "Disputed days, counted as business days: {days}.", days=disputed))
    if cancellations:
        canceled = "; ".join(day(d) for d in sorted(cancellations))
        parts.append(say(language, "alt_canceled", "Canceled: {days}.", days=canceled))
    late = late_by(verdict, language)
    if verdict.offered:
        offered = day(as_date(verdict.offered))
        if verdict.status == "late":
            parts.append(
                say(language, "alt_offered_late", "Offered: {date}, late by {late_by}.", date=offered, late_by=late)
            )
        else:
            parts.append(say(language, "alt_offered_on_time", "Offered: {date}, on time.", date=offered))
    elif verdict.status == "overdue":
        parts.append(say(language, "alt_overdue", "Nothing offered yet, {late_by} after the deadline.", late_by=late))
    return " ".join(parts)


def verdict_picture(
    verdict: Verdict, cancellations: Sequence[dt.date] = (), guidance: Guidance | None = None, language: str = "en"
) -> Picture:
    """SVG bytes and alt text: counted days, holidays (disputed ones too), deadline, offer, cancellations."""
    guidance = guidance or load_guidance()
    cancellations = [d for d in cancellations if d >= as_date(verdict.start)]
    marks = _day_marks(verdict, cancellations, guidance)
    shown = _months(as_date(verdict.start), max(marks))
    alt = alt_text(verdict, cancellations, language)
    svg = ET.Element(
        "svg", {"xmlns": "http://www.w3.org/2000/svg", "role": "img", "aria-labelledby": "cc-title cc-desc"}
    )
    title = say(
        language, "picture_title", "Appointment deadline: {date}", date=full_date(as_date(verdict.deadline), language)
    )
    ET.SubElement(svg, "title", id="cc-title").text = title
    ET.SubElement(svg, "desc", id="cc-desc").text = alt
    ET.SubElement(svg, "rect", width="100%", height="100%", fill="#ffffff")
    top = MARGIN
    for year, month in shown:
        top += _month(svg, top, year, month, marks, language)
    hidden = [d for d in marks if (d.year, d.month) not in shown]
    if hidden:
        after = _month_name(shown[-1][1], language)
        words = say(language, "picture_not_shown", "Not shown: marks after {month} (see the text).", month=after)
        _text(svg, MARGIN, top + 4, words, 12)
        top += 20
    used = {m.split(":")[0] for found in marks.values() for m in found}
    top += _legend(svg, top, used, language)
    svg.set("viewBox", f"0 0 {WIDTH} {top}")
    svg.set("width", str(WIDTH))
    svg.set("height", str(top))
    return Picture(ET.tostring(svg, encoding="utf-8", xml_declaration=True), alt)


def case_picture(case: Case, today: dt.date, guidance: Guidance | None = None, language: str = "en") -> Picture | None:
    """The current episode of a case as a calendar, with every cancellation since its start; None if empty."""
    verdict = current_verdict(case, today, guidance)
    if verdict is None or not episodes(case, today, guidance):
        return None
    canceled = [e.date for e in case.events if e.kind == "canceled"]
    return verdict_picture(verdict, canceled, guidance, language)

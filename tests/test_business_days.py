"""Deadlines on real calendars, counted by hand: the deadline (days closed under
both the federal and the California state schedule) and the latest deadline a
plan could argue (days closed under either, executive-order closures, and the
days Gov. Code §6700 names while offices stay open), around every disputed day."""

import datetime as dt

import pytest

from care_clock import load_guidance
from care_clock.law import business_days as bd

D = dt.date.fromisoformat
# Days no deadline ever skips: named in Gov. Code §6700 while offices stay open (only the latest
# calendar skips them), or in no law at all.
COMMEMORATIVE = (
    "susan b. anthony",
    "lincoln",
    "native american",
    "admission",
    "genocide",
    "lunar new year",
    "executive order",
    "mourning",
    "diwali",
    "good friday",
    "valentine",
    "halloween",
)


@pytest.mark.parametrize(
    "start, limit, deadline, latest, disputed",
    [
        # The strike began on Monday, October 21, 2024: nothing in between.
        ("2024-10-21", 10, "2024-11-04", "2024-11-04", []),
        # Veterans Day (Mon Nov 11) closes everyone: both deadlines move to Tuesday.
        ("2024-10-28", 10, "2024-11-12", "2024-11-12", []),
        # Susan B. Anthony Day (Thu Feb 15) is not a holiday; Presidents' Day (Feb 19) closes everyone;
        # Lincoln Day (Mon Feb 12) is named in Gov. Code §6700, offices open: a plan could argue it.
        ("2024-02-08", 10, "2024-02-23", "2024-02-26", ["2024-02-12"]),
        # Christmas to New Year, both closed by everyone; December 24, 2024 closed federal offices by order.
        ("2024-12-20", 10, "2025-01-07", "2025-01-08", ["2024-12-24"]),
        # The national day of mourning for President Carter, Thursday, January 9, 2025.
        ("2025-01-02", 10, "2025-01-16", "2025-01-17", ["2025-01-09"]),
        # December 24 and 26, 2025, federal offices closed by order.
        ("2025-12-19", 5, "2025-12-29", "2025-12-31", ["2025-12-24", "2025-12-26"]),
        # Native American Day (fourth Friday of September) and Columbus Day (issue 27, problem 6).
        ("2026-09-21", 15, "2026-10-12", "2026-10-14", ["2026-09-25", "2026-10-12"]),
        # Juneteenth was no holiday before 2021 (issue 27, problem 11).
        ("2020-06-12", 10, "2020-06-26", "2020-06-26", []),
        # Christmas 2022 was a Sunday: everyone closed on Monday the 26th.
        ("2022-12-20", 5, "2022-12-28", "2022-12-28", []),
        # Veterans Day on a Saturday (2023, 2028): the state moves it to Friday too.
        ("2023-11-03", 10, "2023-11-20", "2023-11-20", []),
        ("2028-11-03", 10, "2028-11-20", "2028-11-20", []),
        # A leap day counts as a business day.
        ("2024-02-26", 10, "2024-03-11", "2024-03-11", []),
        # Cesar Chavez Day, state offices only (2024: Sunday, observed Monday April 1).
        ("2024-03-25", 10, "2024-04-08", "2024-04-09", ["2024-04-01"]),
        ("2025-03-24", 10, "2025-04-07", "2025-04-08", ["2025-03-31"]),
        ("2026-03-24", 10, "2026-04-07", "2026-04-08", ["2026-03-31"]),
        ("2027-03-24", 10, "2027-04-07", "2027-04-08", ["2027-03-31"]),
        # Juneteenth, federal offices only (2027: Saturday, observed Friday June 18).
        ("2024-06-12", 10, "2024-06-26", "2024-06-27", ["2024-06-19"]),
        ("2025-06-12", 10, "2025-06-26", "2025-06-27", ["2025-06-19"]),
        ("2026-06-15", 10, "2026-06-29", "2026-06-30", ["2026-06-19"]),
        ("2027-06-11", 10, "2027-06-25", "2027-06-28", ["2027-06-18"]),
        # Independence Day 2026 is a Saturday: federal offices close Friday July 3, the state does not.
        ("2026-06-26", 10, "2026-07-10", "2026-07-13", ["2026-07-03"]),
        # Columbus Day, federal offices only.
        ("2024-10-07", 10, "2024-10-21", "2024-10-22", ["2024-10-14"]),
        ("2025-10-06", 10, "2025-10-20", "2025-10-21", ["2025-10-13"]),
        ("2026-10-05", 10, "2026-10-19", "2026-10-20", ["2026-10-12"]),
        ("2027-10-04", 10, "2027-10-18", "2027-10-19", ["2027-10-11"]),
        # The day after Thanksgiving, state offices only; Thanksgiving itself closes everyone.
        ("2024-11-20", 10, "2024-12-05", "2024-12-06", ["2024-11-29"]),
        ("2025-11-20", 10, "2025-12-05", "2025-12-08", ["2025-11-28"]),
        ("2026-11-19", 10, "2026-12-04", "2026-12-07", ["2026-11-27"]),
        ("2027-11-18", 10, "2027-12-03", "2027-12-06", ["2027-11-26"]),
        # Psychiatry: 15 business days across Thanksgiving.
        ("2024-11-20", 15, "2024-12-12", "2024-12-13", ["2024-11-29"]),
        # Christmas 2027 and New Year's Day 2028 fall on Saturdays: federal offices close the Fridays before.
        ("2027-12-17", 10, "2027-12-31", "2028-01-04", ["2027-12-24", "2027-12-31"]),
        # A start on a Saturday: Monday is day 1.
        ("2024-11-02", 1, "2024-11-04", "2024-11-04", []),
    ],
)
def test_both_calendars_on_real_dates(start, limit, deadline, latest, disputed):
    assert bd.add_business_days(D(start), limit) == D(deadline)
    assert bd.add_business_days(D(start), limit, bd.latest_calendar()) == D(latest)
    found = bd.disputed_days_between(D(start), D(latest))
    assert [day.isoformat() for day, _ in found] == disputed


def test_deadline_skips_only_holidays_closed_by_everyone():
    names = [name for _, name in bd.weekday_holidays_between(D("2024-11-20"), D("2024-12-06"))]
    assert names == ["Thanksgiving Day"]
    assert bd.disputed_days_between(D("2024-11-20"), D("2024-12-06")) == [
        (D("2024-11-29"), "Day after Thanksgiving, California state offices only")
    ]
    assert bd.disputed_days_between(D("2024-06-18"), D("2024-06-19"))[0][1] == (
        "Juneteenth, federal offices only, named in California's holiday law (Gov. Code §6700) though offices stay open"
    )


def test_holidays_on_weekends_are_not_listed_as_skipped():
    # Christmas 2022 was a Sunday; only the observed Monday moved anything.
    names = [name for _, name in bd.weekday_holidays_between(D("2022-12-20"), D("2022-12-31"))]
    assert names == ["Christmas Day (observed)"]


def test_business_days_between_is_half_open():
    assert bd.business_days_between(D("2024-11-12"), D("2024-11-20")) == 6
    assert bd.business_days_between(D("2024-11-12"), D("2024-11-12")) == 0
    assert bd.business_days_between(D("2024-11-20"), D("2024-11-12")) == 0


def test_every_holiday_is_a_sourced_closure_and_none_is_commemorative():
    guidance = load_guidance()
    assert {s.id for s in guidance.schedules} == {"federal", "state", "state_law"}
    regular = tuple(h for h in guidance.holidays if h.year is None)
    for holiday in guidance.holidays:
        assert holiday.sources, holiday.id
        commemorative = any(word in holiday.name.lower() for word in COMMEMORATIVE)
        # Named by law with offices open, or closed once by order: never a day the deadline skips.
        assert not commemorative or holiday.closes in (("state_law",), ("federal",)), holiday.name
        assert "anthony" not in holiday.name.lower() and "lunar" not in holiday.name.lower()
    federal, state, _ = guidance.schedules
    for year in range(2024, 2028):
        for schedule in (federal, state):
            closed = bd._closures(regular, schedule, year)
            # Eleven holidays a year for each schedule (5 U.S.C. §6103; Gov. Code §19853(a));
            # New Year's Day may be observed twice in a year (2027: January 1 and December 31).
            assert len({name.removesuffix(" (observed)") for name in closed.values()}) == 11, (schedule.id, year)
            assert all("anthony" not in name.lower() for name in closed.values())


def test_february_15_is_a_business_day_unless_it_is_presidents_day():
    for year in range(2022, 2031):
        day = dt.date(year, 2, 15)
        expected = day.weekday() < 5 and not (day.weekday() == 0 and 15 <= day.day <= 21)
        assert bd.is_business_day(day, bd.latest_calendar()) == expected, day

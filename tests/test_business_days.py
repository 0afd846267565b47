"""Deadlines on real California calendars, counted by hand."""
import datetime as dt

import pytest

from actions.rights import business_days as bd

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    "start, limit, deadline, skipped",
    [
        # The strike began on Monday, October 21, 2024.
        ("2024-10-21", 10, "2024-11-04", []),
        # The strike scenario: Veterans Day (Mon Nov 11) pushes the deadline to Tuesday.
        ("2024-10-28", 10, "2024-11-12", ["Veterans Day"]),
        # Thanksgiving and the day after are both California holidays.
        ("2024-11-20", 10, "2024-12-06", ["Thanksgiving Day", "Day After Thanksgiving"]),
        # Christmas to New Year.
        ("2024-12-20", 10, "2025-01-07", ["Christmas Day", "New Year's Day"]),
        # A leap day counts as a business day.
        ("2024-02-26", 10, "2024-03-11", []),
        # Cesar Chavez Day fell on Sunday in 2024 and was observed on Monday, April 1.
        ("2024-03-25", 10, "2024-04-09", ["Cesar Chavez Day (observed)"]),
        # Psychiatry: 15 business days across Thanksgiving.
        ("2024-11-20", 15, "2024-12-13", ["Thanksgiving Day", "Day After Thanksgiving"]),
        # A start on a Saturday: Monday is day 1.
        ("2024-11-02", 1, "2024-11-04", []),
    ],
)
def test_deadline_on_real_calendars(start, limit, deadline, skipped):
    result = bd.add_business_days(D(start), limit)
    assert result == D(deadline)
    assert [name for _, name in bd.weekday_holidays_between(D(start), result)] == skipped


def test_holidays_on_weekends_are_not_listed_as_skipped():
    # Christmas 2022 was a Sunday; only the observed Monday moved anything.
    names = [name for _, name in bd.weekday_holidays_between(D("2022-12-20"), D("2022-12-31"))]
    assert names == ["Christmas Day (observed)"]


def test_business_days_between_is_half_open():
    assert bd.business_days_between(D("2024-11-12"), D("2024-11-20")) == 6
    assert bd.business_days_between(D("2024-11-12"), D("2024-11-12")) == 0
    assert bd.business_days_between(D("2024-11-20"), D("2024-11-12")) == 0

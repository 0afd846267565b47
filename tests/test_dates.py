"""Reading dates the way patients write them, with the year a person would mean."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.rights import InputError
from actions.rights.dates import find_dates, read_date

from .conftest import STRIKE_DAY

D = dt.date.fromisoformat
LAST_VISIT = D("2024-10-28")


@pytest.mark.parametrize(
    "text, past, after_last_visit",
    [
        ("Oct 28", "2024-10-28", "2024-10-28"),
        ("10/28", "2024-10-28", "2024-10-28"),
        ("October 28th", "2024-10-28", "2024-10-28"),
        ("the 4th", "2024-11-04", "2024-11-04"),
        ("last Monday", "2024-11-04", "2024-11-04"),
        ("yesterday", "2024-11-07", "2024-11-07"),
        ("2 weeks ago", "2024-10-25", "2024-10-25"),
        ("next Friday", "2024-11-15", "2024-11-15"),
        ("11/20/24", "2024-11-20", "2024-11-20"),
        # A visit that happened is in the past; an offer comes after the visit.
        ("Dec 3", "2023-12-03", "2024-12-03"),
        ("Nov 20", "2023-11-20", "2024-11-20"),
        ("monday", "2024-11-04", "2024-11-11"),
    ],
)
def test_reads_common_phrasings(text, past, after_last_visit):
    assert read_date(text, STRIKE_DAY) == D(past)
    assert read_date(text, STRIKE_DAY, after=LAST_VISIT) == D(after_last_visit)


@pytest.mark.parametrize("text", ["Feb 30", "13/45", "feb 29 2023"])
def test_a_date_that_does_not_exist_is_refused(text):
    with pytest.raises(InputError, match="not a real date"):
        read_date(text, STRIKE_DAY)


@pytest.mark.parametrize("text", ["1900-01-01", "2200-01-01"])
def test_years_far_out_are_refused(text):
    with pytest.raises(InputError, match="outside the years"):
        read_date(text, STRIKE_DAY)


def test_no_date_at_all_asks_for_an_example():
    with pytest.raises(InputError, match='for example "Oct 28"'):
        read_date("whenever", STRIKE_DAY)


def test_finds_every_date_in_a_long_message():
    text = "my Nov 4 session was canceled because of the strike, my last one was Oct 28 and they offered me Nov 20"
    assert [m.text for m in find_dates(text, STRIKE_DAY)] == ["Nov 4", "Oct 28", "Nov 20"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_either_reads_or_raises_input_error(text):
    try:
        read_date(text, STRIKE_DAY)
    except InputError:
        pass

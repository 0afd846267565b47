"""Reading dates the way patients write them, with the year a person would mean."""

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from care_clock import InputError
from care_clock.reading.dates import (
    find_dates,
    parse_cli_date,
    read_date,
    resolve,
    resolve_moment,
)

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


# --- The whole message, the way patients write it (issues 13 and 20) ---

AT = dt.datetime.fromisoformat


def texts(message, now=STRIKE_DAY):
    return [m.text for m in find_dates(message, now)]


@pytest.mark.parametrize(
    "text, now, after, expected_past, expected_after",
    [
        # Not the 28th: the most recent month that has that day, or the first after the anchor.
        ("the 29th", STRIKE_DAY, LAST_VISIT, "2024-10-29", "2024-10-29"),
        ("on the 30th", STRIKE_DAY, LAST_VISIT, "2024-10-30", "2024-10-30"),
        ("it was the 31st", STRIKE_DAY, LAST_VISIT, "2024-10-31", "2024-10-31"),
        ("the 31st", AT("2024-12-10 12:00"), D("2024-11-01"), "2024-10-31", "2024-12-31"),
        ("the 30th", AT("2025-03-05 12:00"), D("2025-02-03"), "2025-01-30", "2025-03-30"),
        ("the 29th", AT("2024-03-05 12:00"), D("2024-02-01"), "2024-02-29", "2024-02-29"),
    ],
)
def test_days_29_to_31_are_not_the_28th(text, now, after, expected_past, expected_after):
    assert read_date(text, now) == D(expected_past)
    assert read_date(text, now, after=after) == D(expected_after)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", "2024-11-08"),
        ("it was supposed to be today", "2024-11-08"),
        ("yesterday", "2024-11-07"),
        ("last Monday", "2024-11-04"),
        ("2 weeks ago", "2024-10-25"),
        ("two weeks ago", "2024-10-25"),
        ("on Tuesday, November 5", "2024-11-05"),
        ("Dec. 3 2023", "2023-12-03"),
        ("the 4th of November", "2024-11-04"),
    ],
)
def test_relative_days(text, expected):
    assert read_date(text, STRIKE_DAY) == D(expected)


def test_this_week_is_a_range_read_without_overstating_a_delay():
    (week,) = find_dates("i called them this week", STRIKE_DAY)  # Friday Nov 8
    assert week.approximate and week.last_day == D("2024-11-10")
    assert resolve(week, STRIKE_DAY.date()) == D("2024-11-08")  # a past request: as late as it can be
    assert resolve(week, STRIKE_DAY.date(), after=D("2024-11-05")) == D("2024-11-05")  # an offer: as early
    assert read_date("sometime last week", STRIKE_DAY) == D("2024-11-03")


def test_a_year_written_alone_is_no_time_and_sets_the_year():
    late_2025 = AT("2025-11-20 12:00")
    assert texts("During the Kaiser strike in 2024 my therapy on Dec 20 was canceled", late_2025) == ["on Dec 20"]
    (last,) = find_dates("back in 2024 my last session was Oct 28", late_2025)
    assert last.year_hint == 2024 and resolve(last, late_2025.date()) == D("2024-10-28")
    # Without the year the most recent Oct 28 is meant.
    assert read_date("my last session was Oct 28", late_2025) == D("2025-10-28")
    # An offer after a December visit in 2024 rolls into the next year.
    offer = find_dates("this was in 2024: they gave me Jan 14", late_2025)[0]
    assert resolve(offer, late_2025.date(), after=D("2024-12-20")) == D("2025-01-14")
    for alone in ["in 2024", "back in 2025", "since 2019"]:
        assert find_dates(alone, STRIKE_DAY) == []


def test_two_moments_in_one_sentence_stay_two_and_a_date_alone_stays_a_date():
    now = AT("2024-11-22 12:00")
    request, offer = find_dates("called kaiser on 11/16 at 9am, they said earliest is 11/19", now)
    assert request.time_given and resolve_moment(request, now.date()) == AT("2024-11-16 09:00")
    assert not offer.time_given
    offered = resolve_moment(offer, now.date(), after=D("2024-11-16"))
    assert offered == D("2024-11-19") and not isinstance(offered, dt.datetime)  # never "12:00 AM"


@pytest.mark.parametrize(
    "text, moment",
    [
        ("9:30am on 11/16", "2024-11-16 09:30"),
        ("11/16 at 9 a.m.", "2024-11-16 09:00"),
        ("nov 16th at 3pm", "2024-11-16 15:00"),
        ("the 16th at 15:00", "2024-11-16 15:00"),
        ("2024-11-16T09:30", "2024-11-16 09:30"),
        ("2024-11-16 at 9am", "2024-11-16 09:00"),
    ],
)
def test_date_and_time(text, moment):
    now = AT("2024-11-22 12:00")
    (mention,) = find_dates(text, now)
    assert resolve_moment(mention, now.date()) == AT(moment)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2024-10-28T25:61", "not a time of day"),
        ("Nov 16 at 25:00", "not a time of day"),
        ("0001-01-01", "outside the years"),
        ("10000-01-01", "outside the years"),
        ("1999-12-31", "outside the years"),
        ("3/4/1985", "outside the years"),
        ("jan 5 2027", "outside the years"),  # two years after 2024 is the limit
        ("2024-02-30", "not a real date"),
    ],
)
def test_impossible_years_and_times_are_refused_with_one_line(text, reason):
    with pytest.raises(InputError, match=reason) as refused:
        read_date(text, STRIKE_DAY)
    assert "\n" not in str(refused.value)


def test_year_one_is_not_2001_on_the_command_line_either():
    for text in ["0001-01-01", "10000-01-01"]:
        with pytest.raises(InputError):
            parse_cli_date(text)
    assert parse_cli_date("2024-10-28") == D("2024-10-28")


@pytest.mark.parametrize(
    "text",
    [
        "my DOB is 3/4/1985",
        "I was born on March 4, 1985",
        "born 03/04/1985",
        "3/4/1985 is my birthday",
        "date of birth: 1985-03-04",
        "my birthday is Nov 2",
    ],
)
def test_a_date_of_birth_is_not_an_appointment(text):
    assert find_dates(text, STRIKE_DAY) == []


@pytest.mark.parametrize(
    "text",
    [
        "call 1-888-466-2219",
        "(510) 555-0143",
        "my number is 510-555-0143",
        "text 988",
        "at 3pm",
        "member id 12345678",
        "ID# 4471",
        "my kaiser number is M00012345",
        "the copay is $25.00",
        "it costs 150 dollars",
        "10 business days",
        "within 48 hours",
        "15 days",
        "the 10 day rule",
        "my 10th session",
        "the 2nd therapist",
        "I sat in the waiting room",
        "I may call them",
        "since March",
    ],
)
def test_numbers_that_are_not_dates(text):
    assert find_dates(text, STRIKE_DAY) == []


def test_not_dates_around_real_dates():
    message = (
        "kaiser said within 10 business days, I called 1-888-466-2219 about member id 12345678 "
        "and paid $25 at 3pm, my last session was Oct 28"
    )
    assert texts(message) == ["Oct 28"]


@pytest.mark.parametrize(
    "message",
    [
        "my last visit was oct 28 and they canceled nov 4, i am upset about it all. " * 300,
        "Oct 28 " * 3000,
        "I have 3 kids and 2 jobs and no help at all and nobody calls back " * 300,
        "1" * 20000,
        "11/16" * 4000,
    ],
)
def test_cost_is_bounded_on_a_20000_character_message(message):
    message = message[:20000]
    started = time.process_time()  # CPU time: other processes on the machine do not count
    find_dates(message, STRIKE_DAY)
    assert time.process_time() - started < 0.5


words = st.sampled_from(
    [
        "Oct",
        "28",
        "the",
        "30th",
        "31st",
        "in",
        "2024",
        "at",
        "9am",
        "25:61",
        ",",
        ".",
        "born",
        "-",
        "/",
        "10000",
        "0001",
        "T",
        "this week",
        "last",
        "monday",
        "ago",
        "2",
        "weeks",
        "dob",
        "$",
        "business",
        "days",
        "of",
        "December",
        "feb",
        "29",
        "13",
        "11/16",
        "1-888-466-2219",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(words, max_size=14), st.datetimes(min_value=dt.datetime(2001, 1, 1), max_value=dt.datetime(2097, 12, 31))
)
def test_date_like_text_either_reads_or_raises_input_error(tokens, now):
    for joiner in (" ", ""):
        for mention in find_dates(joiner.join(tokens), now):
            try:
                resolve_moment(mention, now.date(), after=None)
                resolve_moment(mention, now.date(), after=now.date() - dt.timedelta(days=30))
            except InputError:
                pass


@pytest.mark.parametrize(
    "text, moment",
    [
        ("called at 9am this morning", "2024-11-08 09:00"),
        ("this morning at 9am", "2024-11-08 09:00"),
        ("8pm tonight", "2024-11-08 20:00"),
        ("on monday at 4pm", "2024-11-04 16:00"),
        ("yesterday morning", "2024-11-07"),  # a part of the day is no time of day
        ("Monday afternoon", "2024-11-04"),
        ("last night", "2024-11-07"),
    ],
)
def test_parts_of_the_day(text, moment):
    (mention,) = find_dates(text, STRIKE_DAY)
    expected = AT(moment) if " " in moment else D(moment)
    assert resolve_moment(mention, STRIKE_DAY.date()) == expected


def test_a_weekday_naming_a_date_is_not_a_second_date():
    assert texts("on Tuesday, November 5") == ["November 5"]
    assert texts("Saturday the 16th") == ["Saturday the 16th"]


@pytest.mark.parametrize(
    "text, role_after, expected",
    [
        # Blind round r5: a weekday with the day of the month, no month ("el miércoles 13").
        ("my last session was wednesday 13", None, "2024-11-13"),
        ("wednesday the 13th", None, "2024-11-13"),
        ("they offered monday 25", "2024-11-13", "2024-11-25"),
        ("thursday 31", None, "2024-10-31"),
        # A weekday that does not match the nearest month still gives that day of the month.
        ("friday 13", None, "2024-09-13"),
    ],
)
def test_a_weekday_with_a_day_of_the_month_is_that_day(text, role_after, expected):
    now = AT("2024-11-22 12:00")
    (mention,) = find_dates(text, now)
    after = D(role_after) if role_after else None
    assert resolve(mention, now.date(), after) == D(expected)


def test_a_weekday_number_keeps_its_hour_and_is_not_a_count():
    now = AT("2024-11-22 12:00")
    (mention,) = find_dates("on Tuesday 19 at 2:00pm", now)
    assert resolve_moment(mention, now.date()) == AT("2024-11-19 14:00")
    assert [m.text for m in find_dates("I called Tuesday 5 times", now)] == ["Tuesday"]
    assert find_dates("sat 2 hours in the lobby", now) == []


def test_moments_joined_by_and_stay_apart():
    now = AT("2024-11-22 12:00")
    first, second = find_dates("I called at 9:00 on 11/16 and they called back 11/18 at 4:30pm", now)
    assert resolve_moment(first, now.date()) == AT("2024-11-16 09:00")
    assert resolve_moment(second, now.date()) == AT("2024-11-18 16:30")

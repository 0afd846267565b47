"""Which date is which in a patient's whole message, written the way patients write."""

import datetime as dt
import time

import pytest

from care_clock.reading.dates import resolve, resolve_moment
from care_clock.reading.message import (
    CANCELED,
    LAST_VISIT,
    OFFERED,
    REQUEST,
    message_facts,
    prior_authorization_said,
    read_message,
)
from care_clock.reading.spanish_dates import to_english

from .conftest import STRIKE_DAY

D = dt.date.fromisoformat
AT = dt.datetime.fromisoformat
WINTER = AT("2025-02-10 12:00")  # a Monday, after the holidays


def roles(guidance, message, now=WINTER):
    """{role: resolved day}; a request or last visit is in the past, the others after it."""
    reading = read_message(message, now, guidance)
    start = next((reading.dates[r] for r in (REQUEST, LAST_VISIT) if r in reading.dates), None)
    anchor = resolve(start, now.date()) if start else None
    return {
        role: resolve_moment(m, now.date(), None if role in (REQUEST, LAST_VISIT) else anchor)
        for role, m in reading.dates.items()
    }


def test_request_and_offer_with_full_dates(guidance):
    message = (
        "My psychiatrist appointment got cancelled and I asked for a new one on December 20, 2024. "
        "They gave me January 14, 2025."
    )
    reading = read_message(message, WINTER, guidance)
    assert reading.kind == "psychiatry" and not reading.uncued
    assert roles(guidance, message) == {REQUEST: D("2024-12-20"), OFFERED: D("2025-01-14")}


def test_urgent_request_moment_and_a_date_only_offer(guidance):
    now = AT("2024-11-22 12:00")
    found = roles(guidance, "called kaiser on 11/16 at 9am, they said earliest is 11/19", now)
    assert found == {REQUEST: AT("2024-11-16 09:00"), OFFERED: D("2024-11-19")}
    assert not isinstance(found[OFFERED], dt.datetime)


def test_four_facts_in_one_message(guidance):
    message = "last saw my therapist oct 28, the nov 4 one got canceled, they offered nov 20, this is kaiser"
    reading = read_message(message, STRIKE_DAY, guidance)
    assert reading.kind == "followup" and not reading.uncued
    assert roles(guidance, message, STRIKE_DAY) == {
        LAST_VISIT: D("2024-10-28"),
        CANCELED: D("2024-11-04"),
        OFFERED: D("2024-11-20"),
    }


@pytest.mark.parametrize(
    "message, role",
    [
        ("I requested an appointment on Jan 6", REQUEST),
        ("I put in a request jan 6th", REQUEST),
        ("I called on Jan 6", REQUEST),
        ("I got the referral on 1/6", REQUEST),
        ("i first reached out to them january 6", REQUEST),
        ("asked them for a new appointment on Jan 6", REQUEST),
        ("the earliest they have is Feb 20", OFFERED),
        ("soonest is feb 20", OFFERED),
        ("they can see me on Feb 20", OFFERED),
        ("they booked me for 2/20", OFFERED),
        ("they gave me feb 20th", OFFERED),
        ("next available is Feb 20", OFFERED),
        ("it was supposed to be today", CANCELED),
        ("my Jan 30 session got cancelled", CANCELED),
        ("last time I saw her was Jan 30", LAST_VISIT),
        ("i was last seen 2 weeks ago", LAST_VISIT),
    ],
)
def test_role_cues(guidance, message, role):
    reading = read_message(message, WINTER, guidance)
    assert list(reading.dates) == [role] and not reading.uncued


def test_a_year_written_alone_sets_the_year_of_the_other_dates(guidance):
    now = AT("2025-11-20 12:00")
    message = (
        "During the Kaiser strike in 2024 my weekly session on Dec 20 was canceled, my last session was Dec 13 "
        "and they gave me Jan 14"
    )
    assert roles(guidance, message, now) == {
        CANCELED: D("2024-12-20"),
        LAST_VISIT: D("2024-12-13"),
        OFFERED: D("2025-01-14"),
    }


def test_relative_days_in_a_message(guidance):
    message = "I called yesterday and they said the soonest is the 30th"
    assert roles(guidance, message) == {REQUEST: D("2025-02-09"), OFFERED: D("2025-03-30")}


def test_this_week_is_flagged_approximate(guidance):
    reading = read_message("I reached out to them this week", WINTER, guidance)
    assert reading.dates[REQUEST].approximate


def test_a_date_of_birth_gets_no_role_and_is_not_left_over(guidance):
    reading = read_message("my DOB is 3/4/1985, my last session was Jan 30 and they canceled Feb 6", WINTER, guidance)
    assert {r: m.text for r, m in reading.dates.items()} == {LAST_VISIT: "Jan 30", CANCELED: "Feb 6"}
    assert reading.uncued == []


def test_numbers_that_are_not_dates_get_no_role(guidance):
    message = (
        "they are supposed to see me within 10 business days, I called 1-888-466-2219 at 3pm, "
        "my member id is 12345678, copay $25, it has been 15 days, my last session was Jan 30"
    )
    reading = read_message(message, WINTER, guidance)
    assert {r: m.text for r, m in reading.dates.items()} == {LAST_VISIT: "Jan 30"} and reading.uncued == []


def test_a_bad_time_reaches_the_form_as_a_one_line_reason(guidance):
    reading = read_message("I asked on 2024-10-28T25:61", WINTER, guidance)
    assert reading.dates[REQUEST].problem == '"25:61" is not a time of day; please check it.'


def test_reading_a_20000_character_message_is_fast(guidance):
    story = (
        "I have been so anxious since my last session on Jan 30, they canceled Feb 6 because of the strike "
        "and nobody calls me back, I called 1-888-466-2219 twice. "
    )
    message = (story * 200)[:20000]
    started = time.process_time()
    reading = read_message(message, WINTER, guidance)
    assert time.process_time() - started < 0.5
    assert {r: m.text for r, m in reading.dates.items()} == {LAST_VISIT: "on Jan 30", CANCELED: "Feb 6"}


# --- blind round r13 (session 12): the general causes of its English misses ---------------------
DEC_2 = AT("2025-12-02 12:00")  # a Tuesday, after Thanksgiving


@pytest.mark.parametrize("written", ["sept 8", "Sept. 8", "monday sept 8", "SEPT 8th"])
def test_sept_is_september(guidance, written):
    found = roles(guidance, f"my last session was {written} and they canceled the next one", DEC_2)
    assert found[LAST_VISIT] == D("2025-09-08")


def test_the_cue_between_two_dates_names_the_second(guidance):
    # "this morning they offered tomorrow": the offer is tomorrow; this morning is when it was made
    found = roles(guidance, "i asked on monday. this morning they offered tomorrow (wed 12/3)", DEC_2)
    assert found[OFFERED] == D("2025-12-03")
    found = roles(guidance, "my last session was nov 20. yesterday they moved me to dec 10", DEC_2)
    assert found == {LAST_VISIT: D("2025-11-20"), OFFERED: D("2025-12-10")}


def test_prior_authorization_is_no_last_visit(guidance):
    found = roles(guidance, "they said it needs prior authorization. on nov 26 i asked for an urgent appt", DEC_2)
    assert found == {REQUEST: D("2025-11-26")}


@pytest.mark.parametrize(
    "message, said",
    [
        ("L.A. Care said it needs prior authorization. no appointment yet", True),
        ("they told me prior auth is required for the outside specialist", True),
        ("dijeron que necesita autorización previa", True),
        ("no prior auth needed, the nurse said", False),
        ("it did not need prior authorization", False),
        ("no necesita autorización", False),
        ("does it need prior auth?", None),
        ("my last session was nov 3", None),
    ],
)
def test_prior_authorization_told_in_passing(message, said):
    assert prior_authorization_said(message) is said


@pytest.mark.parametrize(
    "message",
    [
        "i submitted a request for a therapist through the anthem portal on friday nov 7. nothing since",
        "her office sent the urgent referral to L.A. Care wed nov 26 at 3:15pm. no appointment yet",
        "I sent in the referral form on nov 10 and nobody called",
    ],
)
def test_a_request_for_care_sent_is_no_logged_contact(guidance, message):
    facts = message_facts(message, DEC_2, guidance)
    assert not facts.logs_contact and (facts.tells_a_case or facts.kind is None)


@pytest.mark.parametrize(
    "message", ["I filed a grievance on nov 3", "i sent my complaint to the dmhc today", "spoke with a rep, ref 1234"]
)
def test_a_complaint_or_a_call_is_still_logged(guidance, message):
    assert message_facts(message, DEC_2, guidance).logs_contact


# --- blind round r14 (session 12): the general causes of its misses -----------------------------
SEP_18 = AT("2025-09-18 12:00")  # a Thursday, after Labor Day


def test_a_month_named_alone_gives_a_bare_day_its_month(guidance):
    found = roles(guidance, "In August I asked for a psychiatrist (on the 12th). They offered me Aug 28", SEP_18)
    assert found == {REQUEST: D("2025-08-12"), OFFERED: D("2025-08-28")}


def test_the_plan_calling_back_with_a_date_is_an_offer(guidance):
    found = roles(guidance, "I asked on sept 5. they just called back today with an intake on october 2", SEP_18)
    assert found == {REQUEST: D("2025-09-05"), OFFERED: D("2025-10-02")}


@pytest.mark.parametrize(
    "message, canceled",
    [
        ("my last session was aug 29 and the following friday was canceled", "2025-09-05"),
        ("my last session was aug 29, a week later they canceled", "2025-09-05"),
        ("my last session was aug 29 and then the next week they canceled", "2025-09-01"),
    ],
)
def test_the_following_day_or_week_counts_from_the_date_before_it(guidance, message, canceled):
    reading = read_message(message, SEP_18, guidance)
    assert resolve(reading.dates[CANCELED], SEP_18.date(), D("2025-08-29")) == D(canceled)


def test_el_viernes_siguiente_follows_the_date_told_before_it():
    from care_clock.reading.dates import find_dates
    from care_clock.reading.spanish_dates import to_english

    english = to_english("mi terapia fue el 29 de agosto. la del viernes siguiente me la cancelaron", SEP_18.date())
    assert [m.value.date() for m in find_dates(english.text, SEP_18)][1] == D("2025-09-05")


# --- blind round r15 (session 12) -----------------------------------------------------------------
MAR_4 = AT("2026-03-04 12:00")  # a Wednesday, after Presidents' Day


def test_a_one_on_one_after_a_refused_group_is_the_offer(guidance):
    message = (
        "last session Tue Jan 27. They first pushed a DBT group on Feb 5, which I skipped because a group is "
        "not what I need. Then finally they gave me a 1:1 with my therapist on Feb 24."
    )
    assert roles(guidance, message, MAR_4)[OFFERED] == D("2026-02-24")


def test_a_first_request_sent_online_is_no_logged_contact(guidance):
    text = "i sent it online on feb 16 asking to see a therapist for the first time. no appointment yet"
    facts = message_facts(text, MAR_4, guidance)
    assert not facts.logs_contact and facts.tells_a_case
    assert message_facts("i emailed member services about it on feb 20, ref 4432", MAR_4, guidance).logs_contact


def test_martin_luther_king_day_in_spanish():
    from care_clock.reading.named_days import find_named_days
    from care_clock.reading.spanish_dates import to_english

    english = to_english("pedí cita el martes después del día de Martin Luther King", MAR_4.date()).text
    assert [d.day for d in find_named_days(english, MAR_4.date())] == [D("2026-01-20")]


# --- blind round r16 (session 12) -----------------------------------------------------------------
JUN_2 = AT("2026-06-02 12:00")  # a Tuesday, after Memorial Day


def test_i_did_have_one_is_a_visit_and_going_on_leave_is_none(guidance):
    found = roles(guidance, "april 16 was the one before. i DID have one on thursday april 30", JUN_2)
    assert found == {LAST_VISIT: D("2026-04-30")}
    reading = read_message("all my weekly sessions after she went on leave, starting April 24", JUN_2, guidance)
    assert not reading.dates and len(reading.uncued) == 1


def test_which_i_did_takes_the_request_before_it(guidance):
    text = "My doctor said to call for a psychiatry appointment, which I did on Monday April 20. Still nothing."
    assert roles(guidance, text, JUN_2) == {REQUEST: D("2026-04-20")}


@pytest.mark.parametrize("text", ["they offered tomorrow June 3", "they offered tomorrow, june 3rd"])
def test_tomorrow_with_its_date_is_that_date(guidance, text):
    assert roles(guidance, f"I called on May 19. {text}", JUN_2)[OFFERED] == D("2026-06-03")


# --- blind round r17 (session 12) -----------------------------------------------------------------
APR_4 = AT("2025-04-04 12:00")  # a Friday, after Cesar Chavez Day


def test_an_offer_said_not_to_have_happened_names_no_date(guidance):
    found = roles(guidance, "i asked on monday feb 24th. nobody has booked me and my meds run out in a week", APR_4)
    assert found == {REQUEST: D("2025-02-24")}


def test_evening_before_a_clock_time_keeps_its_minutes(guidance):
    reading = read_message("wed evening 6:10pm i called asking for an urgent appt", APR_4, guidance)
    assert reading.dates[REQUEST].value.time() == dt.time(18, 10)


@pytest.mark.parametrize(
    "text, day",
    [("the day after st patricks day", "2025-03-18"), ("el jueves antes del día de César Chávez", "2025-03-27")],
)
def test_more_named_days(text, day):
    from care_clock.reading.named_days import find_named_days
    from care_clock.reading.spanish_dates import to_english

    english = to_english(text, APR_4.date()).text
    assert [d.day for d in find_named_days(english, APR_4.date())] == [D(day)]


def test_no_auth_needed_is_told_in_passing():
    assert prior_authorization_said("they set me up for thursday. no auth needed.") is False
    assert prior_authorization_said("I signed the HIPAA authorization form") is None


# --- blind round r18 (session 12) -----------------------------------------------------------------
NOV_10 = AT("2025-11-10 12:00")  # a Monday, the day before Veterans Day


def test_columbus_day_is_a_named_day(guidance):
    assert roles(guidance, "my last session was the Monday after Columbus Day", NOV_10) == {LAST_VISIT: D("2025-10-20")}


def test_urgent_care_as_a_place_is_no_urgent_appointment(guidance):
    text = "I asked for a psychiatrist on 9/15. I ended up in urgent care in between."
    assert read_message(text, NOV_10, guidance).kind == "psychiatry"
    assert read_message("i need urgent care for my anxiety", NOV_10, guidance).kind == "urgent"


def test_a_first_request_through_member_services_is_no_logged_contact(guidance):
    text = "new to LA Care, asked for a therapist on oct 22 through member services. never had therapy before"
    assert not message_facts(text, NOV_10, guidance).logs_contact
    again = "called member services on nov 3 asking for an appointment again, ref 5512"
    assert message_facts(again, NOV_10, guidance).logs_contact


def test_the_new_one_seen_is_a_visit_not_an_offer(guidance):
    text = "I saw the new one Thursday Aug 28, then my Sept 4 appointment got canceled. They offered me September 25."
    assert roles(guidance, text, SEP_18) == {
        LAST_VISIT: D("2025-08-28"),
        CANCELED: D("2025-09-04"),
        OFFERED: D("2025-09-25"),
    }


# --- blind round r19 (session 13) -----------------------------------------------------------------
FEB_27 = AT("2026-02-27 12:00")  # a Friday, after Presidents' Day and Ash Wednesday


def spanish_roles(guidance, message, now=FEB_27):  # noqa: D103
    return roles(guidance, to_english(message, now.date()).text, now)


def test_units_as_people_shorten_them(guidance):
    assert roles(guidance, "last session 2 wks ago friday", FEB_27) == {LAST_VISIT: D("2026-02-13")}
    assert roles(guidance, "my last appt was 3 wks ago", FEB_27) == {LAST_VISIT: D("2026-02-06")}


def test_days_ago_then_the_same_weekday_is_that_day(guidance):
    urgent = spanish_roles(guidance, "antier miercoles a las 6:40 de la tarde pedi una cita urgente")
    assert urgent == {REQUEST: AT("2026-02-25 18:40")}
    assert roles(guidance, "I asked yesterday, Thursday", FEB_27) == {REQUEST: D("2026-02-26")}
    # a weekday that is not that day is another date, left to the parser
    assert roles(guidance, "I asked 2 days ago. my last visit was monday", FEB_27)[REQUEST] == D("2026-02-25")


def test_asking_ever_since_a_day_is_the_request(guidance):
    text = "Desde el 14 de enero estoy pidiendo una cita con un psicologo. Luego llame el 28 y el 11 de febrero."
    assert spanish_roles(guidance, text)[REQUEST] == D("2026-01-14")
    assert roles(guidance, "since jan 14 ive been asking for a therapist", FEB_27) == {REQUEST: D("2026-01-14")}
    # asking to rebook since a visit: "since" still names the visit
    assert roles(guidance, "since jan 8 ive been asking for a new date", FEB_27) == {LAST_VISIT: D("2026-01-08")}
    assert roles(guidance, "I haven't seen her since Jan 8", FEB_27) == {LAST_VISIT: D("2026-01-08")}


def test_days_counted_from_easter_and_the_super_bowl(guidance):
    text = "Ash Wednesday 10am: urgent request to L.A. Care. They offered Monday 2/23 at 9am."
    assert roles(guidance, text, FEB_27) == {REQUEST: AT("2026-02-18 10:00"), OFFERED: AT("2026-02-23 09:00")}
    assert roles(guidance, "my last session was on Good Friday", AT("2026-04-20 12:00")) == {
        LAST_VISIT: D("2026-04-03")
    }
    assert roles(guidance, "mi ultima cita fue el miercoles de ceniza", FEB_27) == {}  # Spanish: read after rewrite
    assert spanish_roles(guidance, "mi ultima cita fue el miercoles de ceniza") == {LAST_VISIT: D("2026-02-18")}
    mention = read_message("During the Super Bowl (Sunday, around 7:30pm) I asked for help", FEB_27, guidance)
    assert [m.value for m in [*mention.dates.values(), *mention.uncued]] == [AT("2026-02-08 19:30")]
    # the strike is a named day only with before / after: "during the strike" is no date
    assert read_message("during the Kaiser strike my therapy was canceled", FEB_27, guidance).dates == {}


def test_the_last_visit_is_the_latest_one_told(guidance):
    text = (
        "In December I had sessions on the 11th and the 23rd. I went in on Thursday January 8 and that was "
        "my last real session. My appointment on the 22nd was cancelled."
    )
    assert roles(guidance, text, FEB_27) == {LAST_VISIT: D("2026-01-08"), CANCELED: D("2026-01-22")}


# --- blind round r20 (session 13) -----------------------------------------------------------------
OCT_15 = AT("2026-10-15 12:00")  # a Thursday, after Columbus / Indigenous Peoples' Day


def test_since_in_an_earlier_sentence_names_no_later_date(guidance):
    text = (
        "My son has been seeing a therapist since the spring. On September 9th the office sent a notice that "
        "they were closed. But his session on the 17th was canceled"
    )
    assert LAST_VISIT not in read_message(text, OCT_15, guidance).dates
    assert roles(guidance, "I haven't seen her since September 9", OCT_15) == {LAST_VISIT: D("2026-09-09")}


def test_a_weekday_with_a_or_one_says_no_date(guidance):
    text = "I sent a message through the portal on a Saturday asking for a therapist."
    reading = read_message(text, OCT_15, guidance)
    assert reading.dates == {} and reading.uncued == []
    assert roles(guidance, "I asked on Saturday, the 19th of September", OCT_15) == {REQUEST: D("2026-09-19")}


def test_the_urgent_care_thing_is_a_place(guidance):
    assert read_message("The urgent care thing on the 23rd doesn't count", OCT_15, guidance).kind is None


def test_mexican_independence_day_is_not_the_fourth_of_july(guidance):
    assert roles(guidance, "my last session was on Mexican Independence Day", OCT_15) == {LAST_VISIT: D("2026-09-16")}


# --- blind round r21 (session 13) -----------------------------------------------------------------
MAY_18 = AT("2026-05-18 12:00")  # a Monday, after Easter and Mother's Day


def test_wait_as_a_word_of_time_is_no_correction(guidance):
    text = "last session was two weeks ago tuesday and now they want me to wait till june 2 for the next one"
    assert roles(guidance, text, MAY_18) == {LAST_VISIT: D("2026-05-05"), OFFERED: D("2026-06-02")}
    assert roles(guidance, "my last visit was the 15th, wait no, the 8th", MAY_18) == {LAST_VISIT: D("2026-05-08")}


def test_the_last_or_first_day_of_a_month(guidance):
    assert roles(guidance, "Called IEHP for a therapist on the last day of April", MAY_18) == {REQUEST: D("2026-04-30")}
    assert spanish_roles(guidance, "llame el primer dia de mayo", MAY_18) == {REQUEST: D("2026-05-01")}


def test_after_my_visit_names_the_visit(guidance):
    text = "my psychiatrist appt got moved after my March 20 visit. new one was April 10."
    assert roles(guidance, text, MAY_18) == {LAST_VISIT: D("2026-03-20"), OFFERED: D("2026-04-10")}


def test_days_that_can_only_be_days_need_no_on(guidance):
    text = "I asked for an urgent appointment Good Friday at 5:45 pm"
    assert roles(guidance, text, MAY_18) == {REQUEST: AT("2026-04-03 17:45")}
    assert spanish_roles(guidance, "Su ultima sesion fue el lunes de Semana Santa", MAY_18) == {
        LAST_VISIT: D("2026-03-30")
    }
    assert spanish_roles(
        guidance, "la ultima vez que fui fue la semana despues de Semana Santa, el martes", MAY_18
    ) == {LAST_VISIT: D("2026-04-07")}


def test_a_cue_right_after_a_date_and_its_comma(guidance):
    text = (
        "Un dia antes del Dia de las Madres, el sabado como a las 11:30 de la mañana, pedi cita urgente. "
        "Me vieron el lunes 11 a las 9 de la mañana."
    )
    assert spanish_roles(guidance, text, MAY_18)[REQUEST] == AT("2026-05-09 11:30")


def test_text_speak_for_the_words_of_a_case(guidance):
    facts = message_facts("ok so my thrpst cxld 2day n they didnt give me a new time", MAY_18, guidance)
    assert facts.kind == "followup" and "canceled" in facts.roles


def test_no_authorization_said_the_mexican_way():
    assert prior_authorization_said("No se necesitaba autorizacion. Hasta hoy nada.") is False
    assert prior_authorization_said("No ocupaba autorizacion") is False
    assert prior_authorization_said("ocupa autorizacion previa") is True


# --- blind round r22 (session 13) -----------------------------------------------------------------
DEC_30 = AT("2026-12-30 12:00")  # a Wednesday, after Christmas


def test_a_bracket_after_a_cue_explains_the_date_and_names_no_other(guidance):
    text = "saw my therapist in dec, the dec 31 session got canceled (new years eve closure), they gave me jan 4"
    dates = read_message(text, DEC_30, guidance).dates
    assert LAST_VISIT not in dates and dates[CANCELED].text == "dec 31"


def test_the_night_before_a_named_day_and_who_got_them_in(guidance):
    text = "Night before Thanksgiving, 6pm, I called Molina for an urgent appointment. They got him in Monday Nov 30 at 9am."
    assert roles(guidance, text, DEC_30) == {REQUEST: AT("2026-11-25 18:00"), OFFERED: AT("2026-11-30 09:00")}


def test_spanish_hours_en_punto_and_a_short_call(guidance):
    assert spanish_roles(guidance, "El domingo a las 7 en punto de la noche llame a Kaiser", DEC_30) == {
        REQUEST: AT("2026-12-27 19:00")
    }
    assert "phone check-in" in to_english("me ofrecieron una llamadita con una enfermera", DEC_30.date()).text


# --- blind round r23 (session 13) -----------------------------------------------------------------
def test_the_next_day_counts_from_the_date_before_it(guidance):
    text = "Once the kids started school (Wed Aug 12) I finally had time. The next day I called IEHP and asked for a therapist."
    assert roles(guidance, text, AT("2026-08-25 12:00"))[REQUEST] == D("2026-08-13")
    spanish = "empezaron las clases el miercoles 12 de agosto. al dia siguiente llame a IEHP"
    assert spanish_roles(guidance, spanish, AT("2026-08-25 12:00"))[REQUEST] == D("2026-08-13")

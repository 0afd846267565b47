"""Issue 25's failure classes, one test each, on the engine's reader and the facts guard (no stack).

Found on blind rounds of patients written by people who had not read the code
(tests/patients/BLIND.md); each test names the general cause, not a sentence.
"""

import datetime as dt

import pytest

from care_clock.reading.dates import find_dates
from care_clock.reading.language import switches_to_spanish
from care_clock.reading.message import message_facts, read_message
from care_clock.reading.named_days import find_named_days
from care_clock.reading.spanish_dates import to_english

NOW = dt.datetime(2024, 11, 22, 12, 0)  # a Friday


def _message(text, ranking):
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    return Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})


def _routed(text, ranking):
    from rasa.shared.nlu.constants import INTENT

    from bot.nlu.facts_guard import FactsGuard

    message = _message(text, ranking)
    FactsGuard(min_case_confidence=0.1).process([message])
    return message.get(INTENT)["name"]


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setenv("CARE_CLOCK_TODAY", "2024-11-22 12:00")


def test_a_message_with_appointment_dates_goes_into_the_case_not_a_logged_call():
    text = "my last appointment with my therapist was 10/20 and the next one they gave me was 11/5, was that within 10 days?"
    assert (
        _routed(text, [{"name": "log_call", "confidence": 0.9}, {"name": "check_date", "confidence": 0.05}]) == "inform"
    )
    assert (
        _routed(text, [{"name": "log_call", "confidence": 0.6}, {"name": "check_date", "confidence": 0.3}])
        == "check_date"
    )


def test_a_call_is_logged_on_explicit_words_of_one():
    text = "I called on Nov 12, spoke to Maria, ref 12345"
    assert _routed(text, [{"name": "log_call", "confidence": 0.9}]) == "log_call"


def test_a_near_tie_or_fallback_consults_the_reader():
    text = "Is it legal that my follow-up was moved to November 13, 2024? My last session was October 28, 2024."
    assert (
        _routed(text, [{"name": "nlu_fallback", "confidence": 1.0}, {"name": "check_date", "confidence": 0.39}])
        == "check_date"
    )
    assert _routed("hello", [{"name": "nlu_fallback", "confidence": 1.0}]) == "nlu_fallback"


def test_an_answer_is_not_taken_for_a_question():
    assert (
        _routed("tomorrow, with the outside therapist", [{"name": "ask_out_of_network", "confidence": 0.8}]) == "inform"
    )
    assert _routed("nobody told me anything like that", [{"name": "ask_escalation", "confidence": 0.7}]) == "deny"
    assert _routed("i really dont know, i cant get into the app", [{"name": "distress", "confidence": 0.6}]) == "deny"
    # lost is not an unknown fact: "no sé qué hacer" stays what the classifier said
    assert _routed("no se que hacer sin mi terapia", [{"name": "help", "confidence": 0.6}]) == "help"
    text = "no me acuerdo cuando fue mi ultima cita, no se que dia fue"
    assert _routed(text, [{"name": "nlu_fallback", "confidence": 1.0}]) == "inform"


def test_a_correction_inside_one_message_replaces_the_date():
    reading = read_message("last one i went to was the 15th, wait no sorry, the 8th", NOW, _guidance())
    assert reading.dates["last_visit"].value.day == 8


def test_language_switches_only_on_clear_spanish():
    assert not switches_to_spanish("January 22, an individual session")
    assert not switches_to_spanish("sí") and not switches_to_spanish("ok") and not switches_to_spanish("11/20")
    assert switches_to_spanish("me cancelaron la cita de terapia") and switches_to_spanish("hola")


@pytest.mark.parametrize(
    "text, day",
    [
        ("the day after halloween", dt.date(2024, 11, 1)),
        ("the thursday before halloween", dt.date(2024, 10, 24)),  # the one past, not next year's
        ("the Wednesday before Thanksgiving", dt.date(2024, 11, 27)),
        ("the Friday before the strike started", dt.date(2024, 10, 18)),
        ("the week of Halloween, the Wednesday", dt.date(2024, 10, 30)),
        ("el martes antes del Día de Muertos", dt.date(2024, 10, 29)),
    ],
)
def test_dates_told_by_a_named_day(text, day):
    assert [d.day for d in find_named_days(text, NOW.date())] == [day]


def test_a_weekday_naming_a_written_date_is_that_date():
    mentions = find_dates("the Wednesday right after the election (Nov 6)", NOW)
    assert {(m.value.month, m.value.day) for m in mentions} == {(11, 6)}  # not the Wednesday ahead


def test_a_spanish_numeric_date_is_day_first():
    assert "11/5" in to_english("fui el 5/11", NOW.date()).text


def test_an_offer_by_day_of_month_comes_after_the_canceled_date():
    from actions.timeline_slots import form_turn

    result = form_turn(
        "Therapist appt on Nov 5 canceled. New date is the 14th.", "inform", [], {}, None, NOW, _guidance()
    )
    assert result.changes.get("offered_date") == "2024-11-14"


def test_facts_are_read_from_spanish_too():
    facts = message_facts("fui con mi psicologa el 5/11 y de ahi nada", NOW, _guidance(), spanish=True)
    assert facts.tells_a_case and "last_visit" in facts.roles


def _guidance():
    from actions.context import GUIDANCE

    return GUIDANCE


# --- Blind round r5 (tests/patients/BLIND.md) --------------------------------------------------


def test_only_words_that_ask_to_start_over_wipe_the_case():
    """r5: "cita nueva con consejero", the answer to "what kind of appointment?", was taken for
    start_over ("empecemos de nuevo") and the case was wiped."""
    import yaml

    from bot.nlu.facts_guard import RESTART_WORDS

    from .conftest import ROOT

    for path in ("data/nlu/core.yml", "data/nlu/es/core.yml"):
        for block in yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))["nlu"]:
            if block.get("intent") == "start_over":
                examples = [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
                assert all(RESTART_WORDS.search(e) for e in examples), path
    assert _routed("cita nueva con consejero", [{"name": "start_over", "confidence": 0.8}]) == "inform"
    assert _routed("start over please", [{"name": "start_over", "confidence": 0.8}]) == "start_over"


@pytest.mark.parametrize(
    "text, role, day",
    [
        # r5: a weekday with its day of the month and no month: "el miércoles 13" was next Wednesday.
        ("la última sesión fue el miércoles 13 y me cancelaron la del 20", "last_visit", "2024-11-13"),
        ("Pedí cita por primera vez el martes 12 (después del Veterans Day)", "request", "2024-11-12"),
        # r5: the hour after a weekday and its day, and "en la mañana a las 10".
        ("Pedí una cita urgente el martes 19 a las 2 de la tarde", "request", "2024-11-19 14:00"),
        ("hoy en la mañana a las 10 llamé a kaiser para pedir una cita urgente", "request", "2024-11-22 10:00"),
        # r5: "el 1o de noviembre" and "lo más pronto es el 16 de diciembre".
        ("Mi última cita fue el 1o de noviembre", "last_visit", "2024-11-01"),
        ("me dicen que lo más pronto es el 16 de diciembre", "offered", "2024-12-16"),
    ],
)
def test_spanish_days_as_people_write_them(text, role, day):
    from care_clock.reading.dates import resolve, resolve_moment

    english = to_english(text, NOW.date()).text
    mention = read_message(english, NOW, _guidance(), text).dates[role]
    if " " in day:
        assert resolve_moment(mention, NOW.date()) == dt.datetime.fromisoformat(day)
    else:
        assert resolve(
            mention, NOW.date(), dt.date(2024, 11, 22) if role == "offered" else None
        ) == dt.date.fromisoformat(day)


def test_a_new_start_date_sets_aside_an_older_canceled_date_it_contradicts():
    """r5: "la del 20" was read before the last visit was known (October 20); the patient then gave the
    last visit (November 13) three times and was told three times the dates were out of order."""
    from actions.timeline_slots import form_turn

    slots = {"appointment_kind": "followup", "canceled_date": "2024-10-20"}  # as an earlier reading had it
    result = form_turn("el 13 de noviembre", "inform", [], slots, "start_date", NOW, _guidance(), "es")
    assert result.changes.get("start_date") == "2024-11-13"
    assert result.changes.get("canceled_date", "kept") is None


@pytest.mark.parametrize(
    "text, role, expected",
    [
        # r5: "last Wednesday (11/13)": the written date says which Wednesday.
        (
            "At my session last Wednesday (11/13) she told me she's leaving, and then they canceled my 11/20 appt.",
            "last_visit",
            "11/13",
        ),
        # r5: a date after a comma takes the role named earlier in its sentence, when that role is free.
        (
            "My therapist canceled this past Wednesday's session. Last one I went to was the week before, 11/13.",
            "last_visit",
            "11/13",
        ),
        # r5: "the thursday before the kaiser strike started".
        (
            "i havent seen my therapist since the thursday before the kaiser strike started.",
            "last_visit",
            "the thursday before the kaiser strike started",
        ),
    ],
)
def test_roles_of_dates_in_long_english_stories(text, role, expected):
    assert read_message(text, NOW, _guidance(), text).dates[role].text == expected


def test_a_call_from_the_plan_is_not_the_follow_up_clock_start():
    """r5: "I saw my therapist on Oct 18 ... Today they finally called and offered me Dec 4"."""
    from actions.timeline_slots import form_turn

    text = "I saw my therapist on Oct 18. All my appts got canceled. Today they finally called and offered me Dec 4."
    result = form_turn(text, "inform", [], {}, None, NOW, _guidance())
    assert result.changes.get("start_date") == "2024-10-18"
    assert result.changes.get("offered_date") == "2024-12-04"


def test_a_rhythm_is_not_a_date_and_this_past_weekday_is_gone():
    """r5: "every thursday since" set the last visit to last Thursday; "this past Wednesday's
    session" was next Wednesday, and the offer "Monday the 25th" came a month late after it."""
    assert (
        read_message("oct 24, oct 31, nov 7... every thursday since", NOW, _guidance()).dates.get("last_visit") is None
    )
    text = "My therapist canceled this past Wednesday's session. Last one I went to was 11/13. They rescheduled me for Monday the 25th."
    from actions.timeline_slots import form_turn

    result = form_turn(text, "inform", [], {}, None, NOW, _guidance())
    assert result.changes.get("canceled_date") == "2024-11-20"
    assert result.changes.get("offered_date") == "2024-11-25"


def test_frustration_with_the_runaround_is_not_a_risk():
    """r5: "I am so tired of chasing people" got the 988 check-in in a long, calm complaint."""
    from care_clock.safety.crisis import detect

    assert detect("I've emailed twice and called. Nothing. I am so tired of chasing people. Is there a law?") is None
    assert detect("estoy harta de llamar a kaiser y que no me contesten") is None


# --- Blind round r6 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["miércoles 30 de octubre", "la del 24 de octubre y las que seguían", "hoy a las 3 de la tarde"]
)
def test_a_date_given_in_answer_is_not_off_topic(text):
    """r6: three Spanish answers to the form's date question got "I can only help with..." three times."""
    assert _routed(text, [{"name": "out_of_scope", "confidence": 0.7}]) == "inform"


@pytest.mark.parametrize(
    "text, role, expected",
    [
        ("the last one i went to was last wednesday, not this week, the one before, the 13th.", "last_visit", "13th"),
        ("called kaiser yesterday around 3 and told them its urgent", "request", "yesterday around 3:00pm"),
        ("asked Blue Shield for a new one on Monday 11/4. they're 'working on it'", "request", "on Monday 11/4"),
    ],
)
def test_r6_english_dates_and_roles(text, role, expected):
    assert read_message(text, NOW, _guidance(), text).dates[role].text == expected


def test_r6_spanish_hours_and_offers():
    reading = read_message(
        to_english("Ya me reagendaron para el martes 26 en la mañana.", NOW.date()).text, NOW, _guidance()
    )
    assert reading.dates["offered"].day_of_month == 26  # a day, not "26:00"
    english = to_english(
        "el miercoles como a las 8 de la noche pedi una cita urgente. me acaban de dar cita para hoy a las 3 de la tarde",
        NOW.date(),
    ).text
    dates = read_message(english, NOW, _guidance()).dates
    assert dates["request"].time_given and dates["request"].value.hour == 20
    assert dates["offered"].value.hour == 15


def test_a_follow_up_is_asked_its_last_visit_even_when_the_plan_called():
    """r6: "they called yesterday and moved me to monday": the call was taken for the clock's start."""
    from actions.timeline_slots import form_turn

    slots = {"appointment_kind": "followup"}
    result = form_turn("they called yesterday and moved me to monday", "inform", [], slots, None, NOW, _guidance())
    assert result.changes.get("start_date") is None


def test_therapy_alone_is_taken_for_a_follow_up_and_new_patients_for_a_first_visit():
    from care_clock.reading.message import guess_kind

    assert guess_kind("therapy") == "followup" and guess_kind("terapia") == "followup"
    assert guess_kind("I called 6 of them, none are taking new patients") == "initial"


def test_the_day_the_plan_called_is_no_appointment_date():
    """r6: "they called yesterday and moved me to monday": yesterday was the call, Monday the offer."""
    dates = read_message("they called yesterday and moved me to monday", NOW, _guidance()).dates
    assert set(dates) == {"offered"} and dates["offered"].text == "monday"


def test_this_weekday_is_that_day_of_the_current_week():
    """r6: "me canceló la sesión de este miércoles" on a Friday: the Wednesday just gone."""
    from care_clock.reading.dates import resolve

    english = to_english("me canceló la sesión de este miércoles. La anterior fue el miércoles 13.", NOW.date()).text
    dates = read_message(english, NOW, _guidance()).dates
    assert resolve(dates["canceled"], NOW.date()) == dt.date(2024, 11, 20)
    assert dates["last_visit"].day_of_month == 13


def test_a_question_about_the_case_is_not_logged_as_a_call():
    text = "asked blue shield for a referral on the 8th. I called 6 of them, none are taking new patients. how long can they take?"
    assert _routed(text, [{"name": "log_call", "confidence": 0.9}]) != "log_call"


def test_the_start_said_again_is_no_offer():
    """r4, after the r6 change that stopped asking a psychiatry patient for a canceled date: the
    patient's "(Monday, the day before the election, to be clear)" came to the offer question."""
    from actions.timeline_slots import form_turn

    slots = {"appointment_kind": "psychiatry", "start_date": "2024-11-04"}
    result = form_turn(
        "(Monday, the day before the election, to be clear)", "inform", [], slots, "offered", NOW, _guidance()
    )
    assert result.changes.get("offered_date") is None


def test_last_before_a_weekday_is_a_date_not_the_last_visit():
    """r4: "called to cancel this past Wednesday (the 20th). my last session was the wednesday before, nov 13"."""
    text = "my therapist's office called to cancel this past Wednesday (the 20th). my last session was the wednesday before, nov 13."
    dates = read_message(text, NOW, _guidance(), text).dates
    assert dates["canceled"].text == "20th" and dates["last_visit"].text == "nov 13"


def test_a_letter_to_hr_and_no_longer_able_to_complain_are_no_risk():
    from care_clock.safety.crisis import detect

    for text in ("I'm writing a letter to my employer's HR about our plan.", "¿Entonces ya no puedo reclamar?"):
        signal = detect(text)  # no rule fires; at most the model's check-in, which yields to a case message
        assert signal is None or (signal.group == "model" and not signal.takes_over), text


def test_double_letters_keep_english_words_english():
    """r8: "no, it's all inside Kaiser" switched the conversation to Spanish ("all" read as "al")."""
    from care_clock.reading.language import asked_for, written_in

    assert not switches_to_spanish("no, it's all inside Kaiser, nobody mentioned authorization")
    assert written_in("me llamaron ayer") == "es"
    # "ella no habla mucho inglés" is no request for English
    assert asked_for("Hi, le escribo por mi mamá porque ella no habla mucho inglés.") == "es"


def test_an_hour_with_am_or_pm_after_talk_words_is_that_hour():
    """r8: "tuesday morning like 10am", "el lunes 18 a las 10am": the hour was dropped."""
    english = read_message("tuesday morning like 10am i called health net", NOW, _guidance()).dates["request"]
    assert english.time_given and english.value.hour == 10
    spanish = to_english("pidio una cita urgente el lunes 18 a las 10am", NOW.date()).text
    assert "at 10am" in spanish


def test_words_of_still_waiting_answer_the_offer_question():
    """r8: "its friday. nobody has called. no prior auth thing" got the escalation topic, then the question again."""
    from actions.timeline_slots import form_turn

    text = "its friday. nobody has called. no prior auth thing, they said i didnt need one"
    ranking = [{"name": "ask_escalation", "confidence": 0.6}, {"name": "inform", "confidence": 0.2}]
    assert _routed(text, ranking) == "inform"
    slots = {"appointment_kind": "urgent", "start_date": "2024-11-19T10:00:00"}
    result = form_turn(text, "inform", [], slots, "offered", NOW, _guidance())
    assert result.changes.get("offered") is False


def test_a_group_named_for_another_offer_is_not_this_offer():
    """r8: "a group on December 4th or a one-on-one on Thursday December 5th. I took the one-on-one"."""
    from actions.timeline_slots import form_turn

    text = (
        "My therapist canceled yesterday, Thursday, I saw her the Thursday before (the 14th). They offered me an "
        "'anxiety skills group' on December 4th or a one-on-one on Thursday December 5th. I took the one-on-one."
    )
    result = form_turn(text, "report_cancel", [], {}, None, NOW, _guidance())
    assert result.changes.get("offered_date") == "2024-12-05"
    assert not result.changes.get("offered_as")


# --- NLU cross-validation (session 10): what the guards took from the classifier -----------------------


@pytest.mark.parametrize(
    "text",
    [
        "i'm running out of my meds and my psychiatrist appointment got canceled",
        "i need a refill and i can't reach my doctor",
        "me estoy quedando sin medicina y me cancelaron la cita con el psiquiatra",
    ],
)
def test_running_out_of_medicine_is_answered_before_the_case(text):
    """The cross-validation found these medication questions turned into case facts; the need comes first."""
    assert _routed(text, [{"name": "ask_running_out_of_medication", "confidence": 0.8}]) == (
        "ask_running_out_of_medication"
    )


def test_running_out_of_medicine_beside_a_dated_case_tells_the_case():
    text = "my last session was nov 4 and they canceled nov 18, i'm almost out of my meds"
    assert _routed(text, [{"name": "ask_running_out_of_medication", "confidence": 0.8}]) == "inform"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("done for today", "goodbye"),
        ("hasta mañana", "goodbye"),
        ("what's the weather today", "out_of_scope"),
        ("¿va a llover mañana?", "out_of_scope"),
    ],
)
def test_a_farewell_or_a_question_naming_a_day_is_no_date_in_answer(text, intent):
    assert _routed(text, [{"name": intent, "confidence": 0.7}]) == intent


# --- Blind round r9 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "i asked my doctor for a therapy referral on election day. still no call no appt nothing. how long do they have",
        "mi doctor me mando con el psiquiatra el 5 de noviembre para que me cambien el medicamento. cuantos dias tienen?",
    ],
)
def test_medicine_named_without_running_out_is_the_case(text):
    """r9: a request for care that names a medicine was answered with the refill advice, and the case lost."""
    assert _routed(text, [{"name": "ask_running_out_of_medication", "confidence": 0.8}]) in ("inform", "report_cancel")


def test_a_contact_told_beside_the_dated_last_visit_is_the_case():
    """r9: "our last session was Oct 23 ... I've emailed twice" was logged as a call on October 23."""
    text = (
        "Our last session was Wednesday, October 23rd, and she told me she's leaving the practice. "
        "The 30th came and went. I've emailed twice. Nothing."
    )
    assert _routed(text, [{"name": "log_call", "confidence": 0.9}]) == "inform"


def test_they_can_do_a_time_is_an_offer():
    """r9: "they can do 4pm today" took the last visit's role from "Last saw mine on Thursday the 7th"."""
    text = "They just called and said they can do 4pm today with a new therapist. Last saw mine on Thursday the 7th."
    dates = read_message(text, NOW, _guidance()).dates
    assert dates["offered"].value == dt.datetime(2024, 11, 22, 16, 0)
    assert dates["last_visit"].value.date() == dt.date(2024, 11, 7)


@pytest.mark.parametrize(
    "text, intent",
    [
        ("i need a manager", "ask_escalation"),
        ("the scheduler refused, who can i ask", "ask_escalation"),
        ("i want to submit a grievance about my canceled appointment", "ask_grievance"),
        ("rights when an appointment gets cancelled", "ask_my_rights"),
        ("waiting times for mental health appointments", "ask_wait_times"),
    ],
)
def test_asking_for_a_step_is_not_news_of_the_case(text, intent):
    """NLU cross-validation: the r8 rule (news of the case that asks nothing is an answer) took these requests."""
    assert _routed(text, [{"name": intent, "confidence": 0.6}]) == intent


def test_a_day_named_in_distress_is_no_date_in_answer():
    """Only a message that is mostly a date answers the form when the classifier heard distress."""
    assert _routed("my anxiety is really bad today", [{"name": "distress", "confidence": 0.6}]) == "distress"
    assert _routed("miércoles 30 de octubre", [{"name": "distress", "confidence": 0.6}]) == "inform"


def test_yes_with_words_is_an_answer_even_off_topic():
    """r9: "si, Molina dice que necesita autorizacion" got "I can only help with..." three times."""
    assert (
        _routed("si, Molina dice que necesita autorizacion", [{"name": "out_of_scope", "confidence": 0.6}]) == "affirm"
    )


# --- Blind round r10 --------------------------------------------------------------------------------


def test_a_date_in_answer_is_not_a_why():
    """r10: "la del 29 y todas las que siguen" got the counting of the verdict six times."""
    assert _routed("la del 29 y todas las que siguen", [{"name": "ask_why", "confidence": 0.6}]) == "inform"
    assert _routed("why is the deadline the 12th", [{"name": "ask_why", "confidence": 0.6}]) == "ask_why"


def test_no_then_a_pronoun_is_an_answer():
    """r10: "no she said it didnt need authorization" got the escalation explainer over and over."""
    assert _routed("no she said it didnt need authorization", [{"name": "ask_escalation", "confidence": 0.6}]) == "deny"


def test_last_night_at_a_bare_hour_is_the_evening():
    dates = read_message("Last night at 7:40 we called Kaiser", NOW, _guidance()).dates
    assert dates["request"].value == dt.datetime(2024, 11, 21, 19, 40)


def test_a_written_date_after_a_relative_one_names_the_day():
    """r10: "two weeks ago, on thursday the 7th" counted from Nov 8."""
    dates = read_message("i asked kaiser for a therapist two weeks ago, on thursday the 7th", NOW, _guidance()).dates
    assert dates["request"].value.date() == dt.date(2024, 11, 7)


def test_an_impossible_date_after_a_relative_one_is_said_to_be_no_date():
    """mypy (issue 29): "two weeks ago, on feb 30" compared None with now and raised TypeError; the
    written date takes the role, as after an offer, and its problem is what the patient is told."""
    dates = read_message("i asked kaiser for a therapist two weeks ago, on feb 30", NOW, _guidance()).dates
    assert dates["request"].value is None and "not a real date" in dates["request"].problem


def test_an_impossible_offer_beside_a_last_visit_is_kept_with_its_problem():
    """mypy (issue 29): an offer or last visit that is no real day ("feb 30") raised AttributeError
    where the two are compared; it is no same-day visit, so the offer stays and says what is wrong."""
    for text in (
        "they offered me feb 30. my last visit was nov 12",
        "they offered me nov 12. my last visit was feb 30",
    ):
        dates = read_message(text, NOW, _guidance()).dates
        assert {"offered", "last_visit"} <= set(dates), text
        assert any(m.value is None and "not a real date" in m.problem for m in dates.values()), text


def test_the_last_visit_is_no_offer_on_the_same_day():
    """r10: "so we moved it to Tuesday the 12th. My last one was the 12th" made Nov 12 an offer too."""
    text = "the 11th was Veterans Day, so we moved it to Tuesday the 12th. My last one was the 12th."
    dates = read_message(text, NOW, _guidance()).dates
    assert dates["last_visit"].value.date() == dt.date(2024, 11, 12) and "offered" not in dates


def test_running_out_beside_a_dated_request_is_the_case_with_the_need():
    """r10: "la pedí el 21 de octubre ... ya casi no me quedan pastillas" got only the refill advice."""
    from rasa.shared.nlu.constants import ENTITIES

    from bot.nlu.facts_guard import FactsGuard

    text = "necesito cita con el psiquiatra, la pedi el 21 de octubre y ya casi no me quedan pastillas"
    message = _message(text, [{"name": "ask_running_out_of_medication", "confidence": 0.8}])
    FactsGuard(min_case_confidence=0.1).process([message])
    assert message.get("intent")["name"] in ("inform", "report_cancel", "check_date")
    assert {"entity": "urgent_need", "value": "running_out_of_medication"}.items() <= {
        **{k: v for e in message.get(ENTITIES) for k, v in e.items() if k in ("entity", "value")}
    }.items()


def test_a_date_in_answer_is_not_the_follow_up_rule():
    """r10: "la del 29 y todas las que siguen" (the 29th and all that followed) got the counting, six times."""
    assert _routed("la del 29 y todas las que siguen", [{"name": "ask_followup_rule", "confidence": 0.6}]) == "inform"


def test_the_doctor_sending_a_referral_is_not_the_patients_call():
    """r9: "i asked my doctor for a therapy referral on election day. she sent it to LA Care" was logged as a call."""
    text = "i asked my doctor for a therapy referral on election day. she sent it to LA Care that same day. how long"
    assert not message_facts(text, NOW, _guidance()).logs_contact
    assert message_facts("I sent them the grievance on nov 4", NOW, _guidance()).logs_contact


def test_she_did_not_say_is_a_no_even_taken_for_why():
    """ "she didn't say anything about that" (asked whether a provider approved a longer wait) got the counting."""
    assert _routed("she didn't say anything about that", [{"name": "ask_why", "confidence": 0.6}]) == "deny"


@pytest.mark.parametrize("text", ["so is that fast enough or not", "is that ok then?", "¿eso es legal?"])
def test_a_question_about_the_verdict_is_no_yes_or_no(text):
    # blind round r13: "is that fast enough or not" was taken for "no" (deny 0.99), then "I didn't follow"
    assert _routed(text, [{"name": "deny", "confidence": 0.99}]) == "check_date"
    assert _routed("no, not yet", [{"name": "deny", "confidence": 0.99}]) == "deny"


def test_a_referral_sent_with_its_date_starts_the_case_not_a_logged_call():
    text = (
        "my psychiatrist said i needed to be seen urgently. her office sent the urgent referral to L.A. Care "
        "wed nov 20 at 3:15pm and they said it needs prior authorization. no appointment yet"
    )
    assert _routed(text, [{"name": "log_call", "confidence": 0.93}]) == "inform"


def test_an_hour_said_again_is_no_call_to_log():
    text = "eran las 11:00 en punto, lo tengo en el historial de llamadas"
    assert _routed(text, [{"name": "log_call", "confidence": 0.8}]) == "inform"
    assert _routed("spoke with Ana at 3, ref 998", [{"name": "log_call", "confidence": 0.9}]) == "log_call"


def test_a_first_request_with_no_day_is_a_case_not_a_logged_call():
    """r20: "sent a message through the portal on a Saturday asking for a therapist" asked for the call's date."""
    text = "I sent a message through the Blue Shield portal on a Saturday asking for a therapist. Just an auto reply."
    assert _routed(text, [{"name": "log_call", "confidence": 0.8}]) == "report_cancel"
    again = "I sent them a message again asking for an appointment"
    assert _routed(again, [{"name": "log_call", "confidence": 0.8}]) == "log_call"


def test_a_date_with_no_word_of_a_call_is_no_logged_call():
    """r20: the date the clock counts from, given after the group answer's invitation, was logged as a call."""
    text = "Wednesday Sept 16, Mexican Independence Day, I remember bc we had the party after"
    assert _routed(text, [{"name": "log_call", "confidence": 0.74}]) == "inform"
    assert _routed("I called them on Sept 16", [{"name": "log_call", "confidence": 0.74}]) == "log_call"

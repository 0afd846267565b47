"""The case in Spanish (issue 17): timeline, next steps, the calendar file and the
calendar picture without a server, then the case actions through the real stack."""

import base64
import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
import yaml
from icalendar import Calendar

from actions.case_actions import (
    ActionAddToCalendar,
    ActionDeadlineReminder,
    ActionLogEvent,
    ActionRemindMe,
    ActionShowTimeline,
    ActionWhatsNext,
)
from care_clock import check
from care_clock.case.record import add_event, case_to_dict, timeline_text
from care_clock.facts import load_clocks
from care_clock.law.clocks import steps_ahead
from care_clock.writing.calendar_picture import case_picture
from care_clock.writing.drafts import render_draft
from care_clock.writing.ics import case_calendar, deadline_calendar
from care_clock.writing.localize import in_language

from .test_case import SVG, THREE_CANCELLATIONS

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

D = dt.date.fromisoformat
TODAY = D("2024-11-26")
FILED = add_event(THREE_CANCELLATIONS, "filed", D("2024-11-25"), filing="grievance", reference="G-77")
# Common English words: none may reach a Spanish patient (names, citations and URLs aside).
ENGLISH = re.compile(
    r"\b(the|and|your|you|with|appointment|deadline|within|please|canceled|offered|tomorrow|today|"
    r"source|timeline|calendar|reminder|next|last|business|holidays?|called|filed|may|must|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|January|October|November|December)\b",
    re.IGNORECASE,
)
NAMES = re.compile(r"Kaiser Permanente|Care Clock|https?://\S+|Fuente: [^\n]*|Fuentes:(?:\n- [^\n]*)+")


def english_in(text: str) -> list[str]:
    """The English words left in a Spanish text, once names, links and citations are taken out."""
    return ENGLISH.findall(NAMES.sub("", text))


def test_english_in_finds_english_and_passes_spanish():
    assert english_in("Your plan must resolve your grievance") == ["Your", "must", "your"]
    assert english_in("Tu plan tiene que resolver tu queja. Fuente: Cal. Health & Safety Code §1368.01.") == []


def test_every_clock_has_its_spanish_words(guidance):
    spanish = yaml.safe_load((guidance.folder / "es" / "clocks.yml").read_text(encoding="utf-8"))["clocks"]
    assert set(spanish) == {clock.id for clock in load_clocks(guidance.folder)}
    assert all(set(words) == {"label", "rule"} for words in spanish.values())


def test_the_timeline_in_spanish(guidance):
    text = timeline_text(FILED, TODAY, in_language(guidance, "es"), "es")
    assert text.startswith("Tu cronología (cita de seguimiento de terapia), al martes, 26 de noviembre de 2024:")
    for line in (
        "- lunes, 28 de octubre de 2024: Fuiste a una cita",
        "- lunes, 4 de noviembre de 2024: Tu cita de este día fue cancelada por el plan",
        "- martes, 12 de noviembre de 2024: Llamaste al plan y hablaste con Ana (número de referencia KP-4411)",
        "- lunes, 25 de noviembre de 2024: Presentaste una queja formal ante el plan (número de referencia G-77)",
        "no cumplida (todavía no han ofrecido nada, 10 días hábiles de retraso)",
    ):
        assert line in text
    assert english_in(text) == []


def test_the_english_timeline_is_unchanged(guidance):
    text = timeline_text(FILED, TODAY, guidance)
    assert "You called the plan and spoke with Ana (reference number KP-4411)" in text
    assert "You filed a grievance with the plan (reference number G-77)" in text


def test_next_steps_in_spanish_have_the_same_dates(guidance):
    english = steps_ahead(FILED, TODAY, guidance)
    spanish = steps_ahead(FILED, TODAY, guidance, "es")
    assert [(s.when, s.until, s.source) for s in spanish] == [(s.when, s.until, s.source) for s in english]
    texts = [step.text(TODAY) for step in spanish]
    assert texts[0].startswith("sábado, 30 de noviembre de 2024: Tu plan confirma que recibió tu queja formal")
    assert "(según se informa, sin confirmar en la ley misma)" in texts[0]
    for text in texts:
        assert "Fuente:" in text and english_in(text) == [], text


def test_a_pending_deadline_step_in_spanish(guidance):
    case = add_event(add_event(THREE_CANCELLATIONS, "attended", D("2024-11-20")), "call", D("2024-11-21"))
    (step,) = [s for s in steps_ahead(case, D("2024-11-22"), guidance, "es") if s.source == "deadline"]
    assert step.text(D("2024-11-22")).startswith("jueves, 5 de diciembre de 2024: La fecha límite de tu plan")
    assert english_in(step.text(D("2024-11-22"))) == []


def test_the_case_calendar_in_spanish(guidance):
    english = Calendar.from_ical(case_calendar(FILED, TODAY, guidance))
    calendar = Calendar.from_ical(case_calendar(FILED, TODAY, guidance, "es"))
    days = [e.decoded("dtstart") for e in calendar.walk("VEVENT")]
    assert days == [e.decoded("dtstart") for e in english.walk("VEVENT")]
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert "Tu plan tiene que resolver tu queja formal" in summaries
    for event in calendar.walk("VEVENT"):
        description = str(event["description"])
        assert description.endswith("(Care Clock: no es asesoría legal.)")
        (alarm,) = event.walk("VALARM")
        assert str(alarm["description"]).startswith("Mañana (")
        assert english_in(f"{event['summary']}\n{description}\n{alarm['description']}") == []


def test_an_open_window_is_its_last_day_in_spanish(guidance):
    (event,) = Calendar.from_ical(case_calendar(THREE_CANCELLATIONS, D("2024-11-22"), guidance, "es")).walk("VEVENT")
    assert str(event["summary"]) == "Último día: Presenta una queja formal ante tu plan por este problema"


def test_the_deadline_calendar_in_spanish(guidance):
    verdict = check("followup", D("2024-10-28"), offered=D("2024-11-20"), today=D("2024-11-22"))
    (event,) = Calendar.from_ical(deadline_calendar(verdict, "Kaiser Permanente", guidance, "es")).walk("VEVENT")
    assert event.decoded("dtstart") == D("2024-11-12")
    assert str(event["summary"]) == (
        "Fecha límite: Kaiser Permanente tiene que ofrecerte tu cita de seguimiento con tu terapeuta "
        "(tratamiento continuo)"
    )
    description = str(event["description"])
    assert "martes, 12 de noviembre de 2024" in description and "SB 221" in description
    assert "Siguientes pasos: 1. " in description and "no es asesoría legal" in description
    assert not event.walk("VALARM")  # the deadline (Nov 12) is past on Nov 22: no alarm rings for it
    pending = check("followup", D("2024-11-18"), today=D("2024-11-22"))
    (event,) = Calendar.from_ical(deadline_calendar(pending, None, guidance, "es")).walk("VEVENT")
    (alarm,) = event.walk("VALARM")
    assert str(alarm["description"]) == "Mañana es la fecha límite para que te ofrezcan una cita."
    assert english_in(f"{event['summary']}\n{description}") == []
    unknown_plan = Calendar.from_ical(deadline_calendar(verdict, None, guidance, "es")).walk("VEVENT")[0]
    assert "tu plan de salud tiene que ofrecerte" in str(unknown_plan["summary"])


def test_the_calendar_picture_in_spanish(guidance):
    picture = case_picture(THREE_CANCELLATIONS, D("2024-11-22"), guidance, "es")
    svg = ET.fromstring(picture.svg)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "octubre de 2024" in texts and "noviembre de 2024" in texts and "lun" in texts
    assert {"fecha límite", "día festivo, no se cuenta", "cita cancelada (tachada)"} <= set(texts)
    assert svg.find(f"{SVG}title").text == "Fecha límite de la cita: martes, 12 de noviembre de 2024"
    assert picture.alt.startswith("Calendario. La cuenta empieza el lunes, 28 de octubre de 2024 y cuenta 10 días")
    assert "Día de los Veteranos, lunes, 11 de noviembre de 2024" in picture.alt
    assert english_in(" ".join([picture.alt, *texts])) == []


def test_a_spanish_draft_lists_the_case_in_spanish(guidance):
    spanish = in_language(guidance, "es")
    verdict = check("followup", D("2024-10-28"), today=TODAY, canceled=D("2024-11-15"), guidance=spanish, language="es")
    text = render_draft("grievance", verdict, {"plan": "Kaiser Permanente"}, spanish, FILED, "es")
    assert "- martes, 12 de noviembre de 2024: Llamé al plan y hablé con Ana (número de referencia KP-4411)" in text
    assert "- lunes, 25 de noviembre de 2024: Presenté una queja formal ante el plan" in text


# --- The case actions with a Spanish patient, on a rasa-sdk tracker ---------


def run_action(action, make_tracker, text="", intent=None, slots=None, channel=None):
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots={"language": "es", "case": case_to_dict(FILED), **(slots or {})}, text=text, intent=intent
    )
    if channel:
        tracker.get_latest_input_channel = lambda: channel
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def spanish_only(messages):
    for message in messages:
        words = " ".join([message.get("text") or "", *(b["title"] for b in message.get("buttons") or [])])
        assert english_in(words) == [], (words, english_in(words))


@pytest.fixture
def late_november(monkeypatch):
    monkeypatch.setenv("CARE_CLOCK_TODAY", "2024-11-26 12:00")


@pytest.mark.parametrize(
    "action, expected",
    [
        (ActionShowTimeline(), "Tu cronología"),
        (ActionWhatsNext(), "sábado, 30 de noviembre de 2024: Tu plan confirma"),
        (ActionAddToCalendar(), "archivo de calendario"),
        (ActionRemindMe(), "Listo: te escribo en este chat el sábado, 30 de noviembre de 2024."),
        (ActionDeadlineReminder(), "Tu plan tenía hasta el martes, 12 de noviembre de 2024 para ofrecerte una cita."),
    ],
)
def test_each_case_action_answers_in_spanish(action, expected, make_tracker, late_november):
    messages, _ = run_action(action, make_tracker)
    assert expected in messages[0]["text"]
    spanish_only(messages)


def test_the_dates_as_text_in_spanish_on_slack(make_tracker, late_november):
    messages, _ = run_action(ActionAddToCalendar(), make_tracker, channel="slack")
    text = messages[0]["text"]
    assert text.startswith("Tus fechas, para ponerlas en tu calendario:")
    assert "- sábado, 30 de noviembre de 2024: Tu plan confirma que recibió tu queja formal" in text
    spanish_only(messages)


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        (
            "llamé el 25 de noviembre y hablé con María, número de referencia KP-901",
            "log_call",
            "Lo agregué a tu cronología: lunes, 25 de noviembre de 2024: Llamaste al plan y hablaste con María "
            "(número de referencia KP-901).",
        ),
        (
            "presenté una queja formal acelerada ayer",
            "log_filing",
            "Lo agregué a tu cronología: lunes, 25 de noviembre de 2024: Presentaste una queja formal ante el plan, "
            "acelerada.",
        ),
        (
            "el plan contestó mi queja el 26 de noviembre",
            "log_filing",
            "Lo agregué a tu cronología: martes, 26 de noviembre de 2024: La decisión por escrito del plan",
        ),
    ],
)
def test_a_spanish_call_or_filing_is_logged(text, intent, expected, make_tracker, late_november):
    messages, events = run_action(ActionLogEvent(), make_tracker, text, intent)
    assert messages[0]["text"].startswith(expected), messages[0]["text"]
    assert "Lo que sigue: " in messages[0]["text"] and events
    spanish_only(messages)


def test_a_spanish_call_without_a_date_is_asked_for_it(make_tracker, late_november):
    messages, events = run_action(ActionLogEvent(), make_tracker, "llamé al plan", "log_call")
    assert messages[0]["text"].startswith("¿En qué fecha?") and events == []


def test_a_spanish_call_on_a_year_out_of_range_is_told_so_in_spanish(make_tracker, late_november):
    messages, events = run_action(ActionLogEvent(), make_tracker, "llamé el 12 de noviembre de 1999", "log_call")
    assert (
        messages[0]["text"]
        == "El año 1999 está fuera de los años que puedo revisar (2000 a 2026); revisa la fecha, por favor."
    )
    assert events == []


@pytest.mark.parametrize(
    "said, expected",
    [
        ("el 30 de febrero", "Esa fecha no existe; revísala"),
        ("el 12 de noviembre de 2031", "El año 2031 está fuera de los años que puedo revisar"),
        ("esta semana", "Lo tomé como el martes, 26 de noviembre de 2024"),
    ],
)
def test_form_date_problems_come_in_spanish(said, expected, guidance):
    from actions.timeline_slots import form_turn

    now = dt.datetime(2024, 11, 26, 12, 0)
    result = form_turn(said, "inform", [], {"appointment_kind": "followup"}, "start_date", now, guidance, language="es")
    [problem] = result.problems
    assert problem.startswith(expected) and english_in(problem) == [], problem


def test_engine_errors_keep_their_english_and_their_spanish():
    from care_clock import InputError
    from care_clock.case.record import add_event, new_case
    from care_clock.writing.wording import error_text

    with pytest.raises(InputError) as caught:
        add_event(new_case(), "attended", D("2024-11-01"), by="plan")
    assert str(caught.value) == "An event of kind 'attended' takes no 'by'."
    assert error_text(caught.value, "en") == str(caught.value)
    assert error_text(caught.value, "es") == "Un evento de tipo 'attended' no lleva 'by'."
    assert error_text(InputError("not worded"), "es") == "not worded"  # internal: as written


def test_without_a_case_the_actions_ask_for_dates_in_spanish(make_tracker, late_november):
    for action in (ActionShowTimeline(), ActionWhatsNext(), ActionAddToCalendar(), ActionDeadlineReminder()):
        messages, _ = run_action(action, make_tracker, slots={"case": None})
        assert messages[0]["text"].startswith("Para eso, primero necesito las fechas"), action.name()
        spanish_only(messages)
    messages, _ = run_action(ActionRemindMe(), make_tracker, slots={"case": None})
    assert messages[0]["text"].startswith("Todavía no hay una fecha próxima")


# --- Through the real stack (REST), a Spanish patient ----------------------

STORY = (
    "me cancelaron la sesión del 4 de noviembre por la huelga, mi última fue el 28 de octubre "
    "y me ofrecieron el 20 de noviembre"
)
# What the patient says after the verdict, and a piece of the Spanish answer each must hold.
CASE_TURNS = [
    # An engine error on the way (a year the engine cannot check) is told in Spanish too.
    ("llamé el 21 de noviembre de 1999 y hablé con Ana", "El año 1999 está fuera de los años que puedo revisar"),
    ("muéstrame mi cronología", "Tu cronología"),
    ("¿qué sigue?", "Presenta una queja formal ante tu plan por este problema"),
    ("llamé el 21 de noviembre y hablé con Ana, referencia KP-12", "Llamaste al plan y hablaste con Ana"),
    ("presenté una queja formal el 21 de noviembre", "Presentaste una queja formal ante el plan"),
    ("¿qué sigue?", "Tu plan confirma que recibió tu queja formal"),
    ("agrégalo a mi calendario", "archivo de calendario"),
    ("recuérdamelo", "te escribo en este chat el martes, 26 de noviembre de 2024"),
]


def _words_seen(replies: list[dict]) -> str:
    return "\n".join(
        [m.get("text") or "" for m in replies] + [b["title"] for m in replies for b in m.get("buttons") or []]
    )


def test_a_spanish_patients_case_in_chat_is_all_in_spanish(stack):
    from .patients.patient import SPANISH_DEFAULTS, SPANISH_DONT_KNOW, Conversation, verdict_status

    sender = "paciente-caso-es"
    talk = Conversation(
        lambda text: stack.say(sender, text),
        {"plan": "kaiser"},
        defaults=dict(SPANISH_DEFAULTS),
        dont_know=SPANISH_DONT_KNOW,
    )
    assert verdict_status(talk.until(STORY, verdict_status)) == "late", talk.log()
    for said, expected in CASE_TURNS:
        replies = stack.say(sender, said)
        seen = _words_seen(replies)
        assert expected in seen, (said, seen)
        assert english_in(seen) == [], (said, english_in(seen), seen)
        if said == "agrégalo a mi calendario":
            (calendar,) = [m["custom"]["data"]["calendar"] for m in replies if m.get("custom")]
            ics = base64.b64decode(calendar["data_url"].split(",", 1)[1])
            summaries = [str(e["summary"]) for e in Calendar.from_ical(ics).walk("VEVENT")]
            assert "Tu plan tiene que resolver tu queja formal" in summaries, summaries


def test_the_coverage_note_is_in_the_patients_language():
    from actions.case_state import coverage_note

    note = coverage_note("medi-cal", "es")
    assert note.startswith("Para un plan de atención administrada de Medi-Cal:")
    assert "1-888-466-2219" in note and "For " not in note
    assert coverage_note("medi-cal", "en").startswith("For ")
    assert coverage_note("dmhc", "es") is None

"""The engine boundary: the engine reads a Timeline in its own words; one adapter speaks slots."""

import ast
import datetime as dt
from pathlib import Path

import yaml

from actions.timeline_slots import (
    QUESTION_SLOTS,
    answers_from,
    form_turn,
    required_slots,
    slot_changes,
    timeline_from_slots,
)
from care_clock.case.intake import Answers, facts_needed, read_turn
from care_clock.case.timeline import CANCELED, KIND, OFFER, OFFER_MADE, START, UNKNOWN, Timeline

from .conftest import STRIKE_DAY

ROOT = Path(__file__).resolve().parents[1]
ALL_IN_ONE = "my Nov 4 session was canceled because of the strike, my last one was Oct 28 and they offered me Nov 20"
# Words of the engine's own that Rasa's files happen to use as names too; the engine
# had them first and means something else by them, so they may stay.
SHARED_WORDS = {
    "offered": "a case event's kind and a date's role (case.py, reading.py, drafts.py)",
    "plan": "the plan's name filled into a draft (drafts.py, case.py)",
    "coverage": "a kind of coverage in seeds/coverage.yml",
    "crisis": "the crisis section of the seeds",
    "draft": "a draft's id on the command line (cli.py)",
    "case": "the case file on the command line (cli.py)",
}


def _rasa_names() -> set[str]:
    """Every slot, intent and entity name in the domain and the training data."""
    names = {"requested_slot"}
    for path in [*(ROOT / "bot" / "domain").glob("*.yml"), *(ROOT / "data").rglob("*.yml")]:
        content = yaml.safe_load(path.read_text()) or {}
        names |= set(content.get("slots") or {})
        for key in ("intents", "entities"):
            names |= {item if isinstance(item, str) else next(iter(item)) for item in content.get(key) or ()}
        names |= {example["intent"] for example in content.get("nlu") or () if "intent" in example}
    return names


def test_the_engine_uses_no_slot_intent_or_entity_name():
    names = _rasa_names() - set(SHARED_WORDS)
    assert {"appointment_kind", "start_date", "affirm", "deny", "unknown_facts"} <= names  # the domain was read
    found = [
        f"{path.name}:{node.lineno} {node.value!r}"
        for path in sorted((ROOT / "actions" / "rights").glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and node.value in names
    ]
    assert found == []


def test_a_whole_story_changes_the_timeline_with_real_dates(guidance):
    result = read_turn(Timeline(), ALL_IN_ONE, Answers(), None, STRIKE_DAY, guidance)
    assert result.changes == {
        KIND: "followup",
        START: dt.date(2024, 10, 28),
        CANCELED: dt.date(2024, 11, 4),
        OFFER: dt.date(2024, 11, 20),
        OFFER_MADE: True,
    }
    assert facts_needed(Timeline().changed(result.changes))[-1] == "longer_wait_approved"


def test_a_plain_no_answers_the_question_asked(guidance):
    known = Timeline(kind="followup", start=dt.date(2024, 10, 28))
    result = read_turn(known, "no", Answers(yes=False), OFFER_MADE, STRIKE_DAY, guidance)
    assert result.changes == {OFFER_MADE: False}


def test_an_interruption_changes_nothing(guidance):
    result = read_turn(Timeline(), ALL_IN_ONE, Answers(interruption=True), START, STRIKE_DAY, guidance)
    assert result.changes == {} and result.problems == []


def test_slots_and_timeline_convert_both_ways():
    slots = {
        "appointment_kind": "urgent",
        "start_date": "2024-11-04T09:00:00",
        "offered": True,
        "offered_date": "2024-11-07",
        "unknown_facts": ["canceled_date"],
        "question_tries": {"start_date": 2, "day_or_month": 1},
        "check_only": None,
    }
    timeline = timeline_from_slots(slots)
    assert timeline.start == dt.datetime(2024, 11, 4, 9) and timeline.offer == dt.date(2024, 11, 7)
    assert timeline.unknown == {CANCELED} and timeline.asked == {START: 2, "day_or_month": 1}
    assert timeline.just_checking is False
    back = slot_changes({START: timeline.start, OFFER: timeline.offer, UNKNOWN: timeline.unknown})
    assert back == {
        "start_date": "2024-11-04T09:00:00",
        "offered_date": "2024-11-07",
        "unknown_facts": ["canceled_date"],
    }
    assert timeline_from_slots({"start_date": "not a date"}).start is None


def test_intents_and_entities_become_plain_answers():
    assert answers_from("affirm", []).yes is True and answers_from("deny", []).yes is False
    assert answers_from("inform", []).yes is None
    assert answers_from("crisis", []).interruption and not answers_from("inform", []).interruption
    chosen = answers_from(
        "inform", [{"entity": "appointment_kind", "value": "bogus"}, {"entity": "appointment_kind", "value": "urgent"}]
    )
    assert chosen.kind == "urgent"
    assert (
        answers_from(None, [{"entity": "plan", "value": "Blue Shield of California"}]).plan
        == "Blue Shield of California"
    )


def test_the_questions_are_the_domains_and_in_the_engines_order(guidance):
    domain = yaml.safe_load((ROOT / "bot" / "domain" / "appointment.yml").read_text())
    assert {f"action_ask_{slot}" for slot in QUESTION_SLOTS} <= set(domain["actions"])
    assert all(f"utter_ask_{slot}" in domain["responses"] for slot in QUESTION_SLOTS)
    assert set(required_slots({})) <= set(QUESTION_SLOTS)
    assert required_slots({"appointment_kind": "urgent"}) == ["appointment_kind", "start_date", "offered", "prior_auth"]
    # The same turn through the adapter and straight through the engine agree.
    slots = form_turn(ALL_IN_ONE, "report_cancel", [], {}, None, STRIKE_DAY, guidance).changes
    assert slots["start_date"] == "2024-10-28" and slots["appointment_kind"] == "followup"


def test_the_chat_passes_guidance_and_now_to_the_engine(monkeypatch, make_tracker, dispatcher, frozen_today):
    """No engine default is used by the chat: the guidance is the one checked at start-up, and
    'now' is the chat's (CARE_CLOCK_TODAY in demos and tests)."""
    import asyncio
    import importlib
    import pkgutil

    import care_clock
    from actions.appointment_form import ValidateAppointmentForm
    from actions.verdict_actions import ActionGiveVerdict, ActionShowDraft

    def hidden_default(*args, **kwargs):
        raise AssertionError("an engine default was used")

    for module in pkgutil.iter_modules(care_clock.__path__):
        loaded = importlib.import_module(f"care_clock.{module.name}")
        for name in ("load_guidance", "now_in_california"):
            if hasattr(loaded, name):
                monkeypatch.setattr(loaded, name, hidden_default)
    form = make_tracker(text=ALL_IN_ONE, intent="report_cancel", active_loop="appointment_form")
    domain = {"forms": {"appointment_form": {"required_slots": []}}}
    asyncio.run(ValidateAppointmentForm().run(dispatcher, form, domain))
    late = {
        "appointment_kind": "followup",
        "start_date": "2024-10-28",
        "offered": True,
        "offered_date": "2024-11-20",
        "longer_wait_ok": False,
    }
    ActionGiveVerdict().run(dispatcher, make_tracker(late), {})
    draft = [{"entity": "draft", "value": "grievance"}]
    ActionShowDraft().run(dispatcher, make_tracker(late, text="grievance", entities=draft), {})
    assert any("late" in (m.get("text") or "") for m in dispatcher.messages)

"""Custom actions and the form validator, with rasa-sdk's Tracker and CollectingDispatcher."""

import asyncio

import pytest

from actions.appointment_form import ValidateAppointmentForm
from actions.info_actions import ActionAnswerRights, ActionWhatCanYouDo
from actions.verdict_actions import ActionGiveVerdict, ActionStartCheck, ActionStartOver, ActionStartReport

ALL_IN_ONE = "my Nov 4 session was canceled because of the strike, my last one was Oct 28 and they offered me Nov 20"
# As in bot/domain: the form lists no slots, the validation action names them.
DOMAIN = {"forms": {"appointment_form": {"required_slots": []}}}


def events_as_dict(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def validate(tracker, dispatcher):
    return asyncio.run(ValidateAppointmentForm().run(dispatcher, tracker, DOMAIN))


def test_form_fills_what_the_message_says_and_asks_the_rest(make_tracker, dispatcher, frozen_today):
    tracker = make_tracker(text=ALL_IN_ONE, intent="report_cancel", active_loop="appointment_form")
    slots = events_as_dict(validate(tracker, dispatcher))
    assert slots["start_date"] == "2024-10-28"
    assert slots["offered_date"] == "2024-11-20"
    assert slots["requested_slot"] == "longer_wait_ok"
    assert dispatcher.messages == []


def test_form_re_asks_an_unreadable_date_with_an_example(make_tracker, dispatcher, frozen_today):
    tracker = make_tracker(
        {"appointment_kind": "followup"}, text="hmm the one before", intent="inform", requested_slot="start_date"
    )
    slots = events_as_dict(validate(tracker, dispatcher))
    assert slots["start_date"] is None
    assert slots["requested_slot"] == "start_date"
    assert "Oct 28" in dispatcher.messages[0]["text"]


def test_form_ends_when_everything_is_known(make_tracker, dispatcher, frozen_today):
    filled = {
        "appointment_kind": "followup",
        "start_date": "2024-10-28",
        "canceled_date": "2024-11-04",
        "offered": True,
        "offered_date": "2024-11-20",
    }
    tracker = make_tracker(filled, text="no", intent="deny", requested_slot="longer_wait_ok")
    slots = events_as_dict(validate(tracker, dispatcher))
    assert slots == {"longer_wait_ok": False, "requested_slot": None}


def test_verdict_action_gives_the_strike_answer(make_tracker, dispatcher, frozen_today):
    slots = {
        "appointment_kind": "followup",
        "start_date": "2024-10-28",
        "canceled_date": "2024-11-04",
        "offered": True,
        "offered_date": "2024-11-20",
        "longer_wait_ok": False,
    }
    ActionGiveVerdict().run(dispatcher, make_tracker(slots), {})
    first = dispatcher.messages[0]
    # issue 28: the dates it read first, then status, deadline, rule and one next move, in a phone screen
    assert first["text"].startswith("Dates I used: last visit Mon Oct 28; canceled Mon Nov 4; offered Wed Nov 20.")
    assert "late by 6 business days" in first["text"]
    assert "Tuesday, November 12, 2024" in first["text"]
    assert "SB 221" in first["text"] and "Next:" in first["text"]
    assert len(first["text"].split()) <= 80 and len(first["text"].split("\n")) <= 6
    assert [b["payload"] for b in first["buttons"]] == ["/ask_why", "/help", "/add_to_calendar", "/change_date"]
    # the counting comes on "Why?", not unasked
    assert not any("Veterans Day" in (m.get("text") or "") for m in dispatcher.messages)


def test_why_after_a_verdict_gives_the_counting_and_during_the_form_why_it_asks(make_tracker, dispatcher, frozen_today):
    from actions.info_actions import ActionExplainWhy

    slots = {
        "appointment_kind": "followup",
        "start_date": "2024-10-28",
        "canceled_date": "2024-11-04",
        "offered": True,
        "offered_date": "2024-11-20",
        "longer_wait_ok": False,
    }
    ActionExplainWhy().run(dispatcher, make_tracker(slots, intent="ask_why"), {})
    counting = dispatcher.messages[-1]["text"]
    assert "Veterans Day" in counting and "not from the canceled one" in counting
    asking = make_tracker(
        {"appointment_kind": "followup"},
        intent="ask_why",
        requested_slot="longer_wait_ok",
        active_loop="appointment_form",
    )
    ActionExplainWhy().run(dispatcher, asking, {})
    assert "longer wait" in dispatcher.messages[-1]["text"]


def test_verdict_action_uses_today_when_nothing_was_offered(make_tracker, dispatcher, frozen_today):
    slots = {"appointment_kind": "followup", "start_date": "2024-10-28", "offered": False, "longer_wait_ok": False}
    ActionGiveVerdict().run(dispatcher, make_tracker(slots), {})
    assert "1 business day left" in dispatcher.messages[0]["text"]


def test_verdict_action_survives_missing_slots(make_tracker, dispatcher, frozen_today):
    ActionGiveVerdict().run(dispatcher, make_tracker({}), {})
    assert "could not work out a deadline" in dispatcher.messages[0]["text"]


def test_start_actions_clear_the_old_dates(make_tracker, dispatcher):
    report = events_as_dict(ActionStartReport().run(dispatcher, make_tracker({"start_date": "2024-10-28"}), {}))
    assert report["start_date"] is None and report["check_only"] is False
    check = events_as_dict(ActionStartCheck().run(dispatcher, make_tracker(), {}))
    assert check["check_only"] is True and check["longer_wait_ok"] is False


@pytest.mark.parametrize(
    "intent, expected",
    [
        ("ask_dmhc", "1-888-466-2219"),
        ("ask_followup_rule", "10 business days"),
        ("ask_out_of_network", "in network"),
        ("ask_grievance", "30 days"),
        ("ask_strike", "October 21, 2024"),
        ("ask_my_rights", "out-of-network"),
        ("ask_group_class", "group class"),
    ],
)
def test_rights_answers_come_from_seeds_with_sources(make_tracker, dispatcher, intent, expected):
    ActionAnswerRights().run(dispatcher, make_tracker(intent=intent), {})
    text = dispatcher.messages[0]["text"]
    assert expected in text
    assert "Source:" in text


def test_what_can_you_do_offers_topics_as_buttons(make_tracker, dispatcher):
    ActionWhatCanYouDo().run(dispatcher, make_tracker(intent="help"), {})
    message = dispatcher.messages[0]
    assert "not legal or medical advice" in message["text"]
    payloads = [button["payload"] for button in message["buttons"]]
    assert "/report_cancel" in payloads and "/ask_dmhc" in payloads


def test_start_over_resets_slots_and_stops_the_form(make_tracker, dispatcher):
    events = ActionStartOver().run(dispatcher, make_tracker({"start_date": "2024-10-28"}), {})
    # the language stays: it is the patient's, not a fact of the appointment
    assert [(e["event"], e.get("name")) for e in events] == [
        ("active_loop", None),
        ("reset_slots", None),
        ("slot", "language"),
    ]


def test_show_draft_sends_the_whole_draft_as_one_message(make_tracker, dispatcher, frozen_today):
    from actions.verdict_actions import ActionShowDraft

    slots = {
        "appointment_kind": "followup",
        "start_date": "2024-10-28",
        "offered": True,
        "offered_date": "2024-11-20",
        "longer_wait_ok": False,
    }
    tracker = make_tracker(
        slots,
        text='/show_draft{"draft":"grievance"}',
        intent="show_draft",
        entities=[{"entity": "draft", "value": "grievance"}],
    )
    ActionShowDraft().run(dispatcher, tracker, {})
    draft = dispatcher.messages[0]["text"]
    assert draft.startswith("A draft to check and change as you need. General information, not legal advice.")
    assert "GRIEVANCE to Kaiser Permanente" in draft and "\n\n" not in draft
    assert "Tuesday, November 12, 2024" in draft
    assert [b["title"] for b in dispatcher.messages[1]["buttons"]] == [
        "Call script",
        "Escalation request",
        "DMHC complaint",
    ]


LATE = {
    "appointment_kind": "followup",
    "start_date": "2024-10-28",
    "offered": True,
    "offered_date": "2024-11-20",
    "longer_wait_ok": False,
}


def test_plan_is_named_in_drafts_or_said_as_your_health_plan(make_tracker, dispatcher, frozen_today):
    from actions.verdict_actions import ActionShowDraft

    for plan, opening in [
        ("Blue Shield of California", "GRIEVANCE to Blue Shield of California"),
        (None, "GRIEVANCE to your health plan"),
    ]:
        dispatcher.messages.clear()
        tracker = make_tracker({**LATE, "plan": plan}, text="Grievance letter", intent="show_draft")
        ActionShowDraft().run(dispatcher, tracker, {})
        assert opening in dispatcher.messages[0]["text"].split("\n")[2]
    assert "Which health plan" in dispatcher.messages[1]["text"]  # asked once, with the draft
    payload = dispatcher.messages[1]["buttons"][1]["payload"]
    assert payload == '/show_draft{"draft":"grievance","plan":"Blue Shield of California"}'


def test_questions_after_the_verdict_are_answered_from_it(make_tracker, dispatcher, frozen_today):
    ActionAnswerRights().run(
        dispatcher, make_tracker(LATE, text="which days did you skip?", intent="ask_followup_rule"), {}
    )
    assert "Veterans Day" in dispatcher.messages[0]["text"]
    ActionWhatCanYouDo().run(dispatcher, make_tracker(LATE, text="what should i do now", intent="help"), {})
    assert "Grievance letter" in [b["title"] for b in dispatcher.messages[1]["buttons"]]


@pytest.mark.parametrize("language", ["en", "es"])
def test_lets_continue_after_the_verdict_gets_the_menu_not_the_verdict(
    make_tracker, dispatcher, frozen_today, language
):
    tracker = make_tracker({**LATE, "language": language}, text="ok let's continue", intent="resume")
    assert ActionGiveVerdict().run(dispatcher, tracker, {}) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_what_next" and len(message["buttons"]) > 1


def test_unknown_last_visit_says_how_to_find_it_and_what_holds_anyway(make_tracker, dispatcher, frozen_today):
    slots = {"appointment_kind": "followup", "unknown_facts": ["start_date"]}
    ActionGiveVerdict().run(dispatcher, make_tracker(slots), {})
    text = " ".join(m["text"] for m in dispatcher.messages)
    assert "visit summary" in text and "10 business days" in text and "1-888-466-2219" in text


def test_a_group_class_is_not_counted_as_the_offer(make_tracker, dispatcher, frozen_today):
    slots = {**LATE, "offer_format": "group class", "offer_individual": False}
    ActionGiveVerdict().run(dispatcher, make_tracker(slots), {})
    first = dispatcher.messages[0]["text"]
    assert "to offer you an appointment" in first and "group class" in first


def test_the_third_ask_of_a_required_question_is_simpler_with_recent_days(make_tracker, dispatcher, frozen_today):
    from actions.appointment_form import ASK_ACTIONS

    ask = next(a for a in ASK_ACTIONS if a().name() == "action_ask_start_date")()
    events = ask.run(dispatcher, make_tracker({"question_tries": {"start_date": 2}}), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_start_date_simpler"
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles[0] == "Thu Nov 7" and titles[-1] == "I can't find it"
    assert events[0]["value"] == {"start_date": 3}


@pytest.mark.parametrize("intent", ["crisis", "distress", "resume", "help", "ask_my_rights", "ask_followup_rule"])
def test_after_a_crisis_answer_the_pending_question_comes_as_it_was_and_is_not_counted(
    intent, make_tracker, dispatcher, frozen_today
):
    from actions.appointment_form import ASK_ACTIONS

    ask = next(a for a in ASK_ACTIONS if a().name() == "action_ask_start_date")()
    tracker = make_tracker({"question_tries": {"start_date": 2}}, text="...", intent=intent)
    assert ask.run(dispatcher, tracker, {}) == []
    assert dispatcher.messages[0]["response"] == "utter_ask_start_date"  # the second ask, shown again


def test_is_that_too_late_after_a_verdict_keeps_the_facts(make_tracker, dispatcher, frozen_today):
    assert ActionStartCheck().run(dispatcher, make_tracker(LATE, text="is that too late?"), {}) == []


def test_every_action_module_imports():
    """The action server registers the whole package: one broken import stops every action."""
    import importlib
    import pkgutil

    import actions

    for module in pkgutil.iter_modules(actions.__path__):
        importlib.import_module(f"actions.{module.name}")


@pytest.mark.parametrize("language", ["en", "es"])
def test_yes_to_go_on_after_a_crisis_answer_following_the_verdict_gets_the_menu(
    make_tracker, dispatcher, frozen_today, language
):
    tracker = make_tracker({**LATE, "language": language}, text="sí" if language == "es" else "yes", intent="affirm")
    tracker.events = [
        {"event": "action", "name": "utter_crisis"},
        {"event": "action", "name": "utter_after_crisis"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": tracker.latest_message["text"], "parse_data": tracker.latest_message},
        {"event": "action", "name": "appointment_form"},
    ]
    assert ActionGiveVerdict().run(dispatcher, tracker, {}) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_what_next" and len(message["buttons"]) > 1


def test_yes_to_anything_else_still_gives_the_verdict(make_tracker, dispatcher, frozen_today):
    tracker = make_tracker(LATE, text="yes", intent="affirm")
    tracker.events = [{"event": "action", "name": "utter_ask_offer_made"}, {"event": "user", "text": "yes"}]
    ActionGiveVerdict().run(dispatcher, tracker, {})
    assert "late" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "- Appointment with a psychiatrist: by Tuesday, November 19, 2024 (15 business days from your request"),
        ("es", "- Cita con un psiquiatra: a más tardar el martes, 19 de noviembre de 2024 (15 días hábiles desde"),
    ],
)
def test_the_kind_given_up_with_a_date_kept_gives_each_kinds_deadline_from_it(
    make_tracker, dispatcher, frozen_today, language, expected
):
    slots = {"language": language, "start_date": "2024-10-28", "unknown_facts": ["appointment_kind"]}
    ActionGiveVerdict().run(dispatcher, make_tracker(slots), {})
    texts = [m.get("text") or "" for m in dispatcher.messages]
    [kept] = [t for t in texts if expected in t]
    assert "§1367.03" in kept and "SB 221" in kept


def test_the_kind_given_up_without_a_date_gives_the_limits_only(make_tracker, dispatcher, frozen_today):
    ActionGiveVerdict().run(dispatcher, make_tracker({"unknown_facts": ["appointment_kind"]}), {})
    assert len(dispatcher.messages) == 2 and "From the date you gave me" not in dispatcher.messages[0]["text"]


def test_the_demo_clock_can_be_read_from_a_file_each_time(tmp_path, monkeypatch):
    import datetime as dt

    from actions.context import current_time

    clock = tmp_path / "today"
    clock.write_text("2025-12-02 12:00\n", encoding="utf-8")
    monkeypatch.setenv("CARE_CLOCK_TODAY", f"@{clock}")
    assert current_time() == dt.datetime(2025, 12, 2, 12, 0)
    clock.write_text("2026-06-02", encoding="utf-8")
    assert current_time() == dt.datetime(2026, 6, 2, 12, 0)  # a day alone is its noon


# --- blind round r20 (session 13): no reply comes back for as long as the patient repeats -----------
def _user(text, intent):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def test_the_same_interruption_twice_counts_the_question_as_asked():
    from actions.appointment_form import interrupted_twice

    said = "therapy. same lady ive been seeing since spring"
    latest = {"text": said, "intent": {"name": "distress"}}
    assert interrupted_twice([_user(said, "distress"), _user(said, "distress")], latest)
    assert interrupted_twice([_user("why?", "ask_why"), _user("why?", "ask_why")], {"text": "why?"})
    assert not interrupted_twice([_user("hi", "greet"), _user(said, "distress")], latest)
    other = {"text": "i feel so alone", "intent": {"name": "distress"}}
    assert not interrupted_twice([_user(said, "distress"), _user("i feel so alone", "distress")], other)
    assert not interrupted_twice([_user(said, "distress")], latest)


def test_the_same_rights_question_right_after_its_answer_gets_the_invitation_only(make_tracker, dispatcher):
    from actions.info_actions import ActionAnswerRights

    tracker = make_tracker(text="I want individual, not the group", intent="ask_group_class")
    tracker.events = [
        _user("they keep offering me a group", "ask_group_class"),
        {"event": "action", "name": "action_answer_rights"},
        _user("I want individual, not the group", "ask_group_class"),
    ]
    ActionAnswerRights().run(dispatcher, tracker, {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_invite_case"]


def test_a_possible_risk_beside_a_rights_question_gets_the_check_in_and_the_answer(make_tracker, dispatcher):
    from actions.info_actions import ActionAnswerRights

    entities = [{"entity": "risk_check_in", "value": "yes"}]
    tracker = make_tracker(text="running out of my meds", intent="ask_running_out_of_medication", entities=entities)
    ActionAnswerRights().run(dispatcher, tracker, {})
    responses = [m.get("response") for m in dispatcher.messages]
    assert responses[0] == "utter_distress" and responses[-1] == "utter_invite_case"
    assert any(m.get("text") for m in dispatcher.messages)

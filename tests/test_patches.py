"""bot/patches: each fix behaves as the Rasa code it replaces, and refuses to apply to other code."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot  # noqa: F401  (applies the fixes)


def test_valid_reply_passes():
    reply = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]}
    assert RemoteAction("action_x", None)._validate_action_result(reply)


@pytest.mark.parametrize(
    "reply",
    [
        {"events": "not a list"},
        {"events": [{"no_event_key": 1}]},
        {"responses": [{"text": "hi"}], "events": [{"event": 42}]},
    ],
)
def test_invalid_reply_is_still_rejected(reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(reply)


def test_event_classes_resolve_as_before_and_unknown_names_still_fail():
    from rasa.shared.core.events import Event, SlotSet, UserUttered

    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("no-such-event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")


def test_an_endpoint_reuses_its_http_session_until_it_is_closed():
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig(url="http://127.0.0.1:9/webhook")

    async def sessions():
        async with endpoint.session() as first:
            pass
        async with endpoint.session() as second:
            pass
        await second.close()
        async with endpoint.session() as third:
            await third.close()
        return first, second, third

    first, second, third = asyncio.run(sessions())
    assert first is second  # kept open between calls: one connection pool
    assert third is not second  # a closed session is replaced


def test_graph_runs_like_dask():
    import dask

    from bot.patches.graph_runner import run_graph

    calls = []

    def node(name):
        def run(*inputs):
            calls.append(name)
            return (name, [value for _, value in inputs])

        return run

    graph = {
        "message": ("message", "hi"),
        "tokens": (node("tokens"), "message"),
        "features": (node("features"), "tokens"),
        "intent": (node("intent"), "features", "tokens"),
    }
    assert run_graph(graph, ["intent"]) == list(dask.get(graph, ["intent"]))
    assert calls.count("tokens") == 2  # once per run: each node runs once however many need it


EVENT_SAMPLES = [
    {"event": "slot", "name": "start_date", "value": "2024-10-28"},
    {"event": "slot", "value": 1},
    {"event": "bot", "text": "hi"},
    {"event": "bot", "text": 3},
    {"event": "active_loop", "name": None},
    {"event": "followup", "name": "action_listen"},
    {"event": "reset_slots"},
    {"event": "no_such_event"},
    {"event": 42},
    {"event": ["slot"]},
    {"name": "x"},
    "slot",
    None,
    {"event": "user", "text": "hi", "parse_data": {}},
    {"event": "user", "parse_data": {"intent_ranking": "not a list"}},
    {"event": "action", "name": "utter_greet"},
    {"event": "slot", "name": "x", "timestamp": "yesterday"},
]


@settings(max_examples=300, deadline=None)
@given(
    events=st.one_of(st.lists(st.sampled_from(EVENT_SAMPLES), max_size=4), st.just("not a list"), st.none()),
    responses=st.one_of(st.just([{"text": "hi"}]), st.just("no"), st.just([1])),
)
def test_quick_event_check_agrees_with_the_full_schema(events, responses):
    from bot.patches.action_replies import _reply_validator, quickly_valid

    reply = {"events": events, "responses": responses}
    full = _reply_validator().is_valid(reply)
    assert not quickly_valid(reply) or full  # never accepts what the full schema rejects
    if full:
        assert quickly_valid(reply)  # and takes the fast path for every valid reply


def test_every_fix_is_on_for_the_pinned_rasa():
    from bot.patches import apply_all

    assert all(apply_all().values())


def test_a_fix_refuses_another_rasa_version(monkeypatch, caplog):
    import rasa

    from bot.patches.guard import Fix

    class Owner:
        @staticmethod
        def work():
            return "rasa"

    fix = Fix("test-fix", Owner, "work", "0" * 64, lambda original: staticmethod(lambda: "ours"))
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    assert fix.apply() is False
    assert Owner.work() == "rasa"  # Rasa's own code still runs
    assert "Care Clock fix 'test-fix' is OFF: Rasa is 3.7.0" in caplog.text


def test_a_fix_refuses_changed_rasa_code(caplog):
    from bot.patches.guard import Fix, source_sha

    class Owner:
        def work(self):
            return "rasa"

    right = Fix("test-right", Owner, "work", source_sha(Owner.work), lambda original: lambda self: "ours")
    wrong = Fix("test-wrong", Owner, "work", "0" * 64, lambda original: lambda self: "ours")
    assert wrong.apply() is False and Owner().work() == "rasa"
    assert "source changed" in caplog.text
    assert right.apply() is True and Owner().work() == "ours"
    assert right.apply() is True  # applied once: a second import changes nothing


def test_a_reminder_outlives_its_session_but_not_a_restart_a_cancel_or_its_firing():
    """Issue 30: a deadline reminder set days ahead is in an older session when it fires."""
    from rasa.shared.core.constants import EXTERNAL_MESSAGE_PREFIX
    from rasa.shared.core.events import ReminderCancelled, ReminderScheduled, Restarted, SessionStarted, UserUttered

    from bot.patches.reminders_across_sessions import still_pending

    when = dt.datetime(2024, 11, 26, 9, 0)
    reminder = ReminderScheduled("deadline_reminder", when, name="deadline-me", kill_on_user_message=False)
    set_then_new_session = [SessionStarted(), reminder, SessionStarted(), UserUttered("hello")]
    assert still_pending(set_then_new_session, reminder, "me")
    assert not still_pending([*set_then_new_session, Restarted()], reminder, "me")
    assert not still_pending([*set_then_new_session, ReminderCancelled(name="deadline-me")], reminder, "me")
    fired = UserUttered(f"{EXTERNAL_MESSAGE_PREFIX}deadline_reminder", {"name": "deadline_reminder"})
    assert not still_pending([*set_then_new_session, fired], reminder, "me")
    assert not still_pending([SessionStarted(), UserUttered("hi")], reminder, "me")  # deleted: nothing left


def test_an_exception_in_a_log_line_keeps_no_local_values():
    """Issue 30: a failed REST turn logged the frame locals (message, sender, parse data) at ERROR."""
    import json

    import structlog
    from rasa.utils import log_utils

    def failing_turn(text):
        parse_data = {"text": text}  # noqa: F841 - a local the old traceback printed
        raise TypeError("'str' object is not a mapping")

    try:
        failing_turn("okapimarble-canary my therapy was canceled")
    except TypeError:
        event = log_utils._anonymizer(None, "error", {"event": "rest.message.received.failure", "exc_info": True})
    rendered = json.dumps(structlog.processors.dict_tracebacks(None, "error", dict(event)), default=str)
    assert "okapimarble-canary" not in rendered
    assert "TypeError" in event["exception"] and "failing_turn" in event["exception"]


def _conversation(seed: int, length: int):
    """Events as Rasa's processor writes them: messages, actions (some hidden rule turns), slots,
    a form, rewound turns and a restart, at random (seeded)."""
    import random

    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        BotUttered,
        Restarted,
        SessionStarted,
        SlotSet,
        UserUtteranceReverted,
        UserUttered,
    )

    pick = random.Random(seed)
    intents = ["affirm", "ask_dmhc", "ask_grievance", "add_to_calendar", "ask_my_rights"]
    actions = ["utter_greet", "action_remind_me", "appointment_form", "action_deadline_reminder"]
    events, clock = [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=1.5)], 2.0
    makers = [
        lambda: UserUttered("text", intent={"name": pick.choice(intents), "confidence": 1.0}, timestamp=clock),
        lambda: ActionExecuted(pick.choice(actions), hide_rule_turn=pick.random() < 0.3, timestamp=clock),
        lambda: ActionExecuted("action_listen", timestamp=clock),
        lambda: SlotSet("appointment_kind", pick.choice(["followup", "initial", None]), timestamp=clock),
        lambda: SlotSet("offered", pick.choice([True, False]), timestamp=clock),
        lambda: ActiveLoop(pick.choice(["appointment_form", None]), timestamp=clock),
        lambda: BotUttered("hi", timestamp=clock),
        lambda: UserUtteranceReverted(timestamp=clock),
        lambda: Restarted(timestamp=clock),
    ]
    weights = [20, 25, 20, 8, 8, 6, 10, 2, 1]
    while len(events) < length:
        events.append(pick.choices(makers, weights)[0]())
        clock += 1.0
    return events


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_dialogue_states_are_rasas_states(seed):
    """Issue 30: the states of a growing conversation, computed on from the last call (same tracker,
    or loaded again from the store each turn), equal Rasa's computed from the start."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.patches import states_history

    domain = Domain.load(Path(__file__).resolve().parents[1] / "bot" / "domain")
    rasas = states_history.FIX.current().__wrapped__  # the fix is on: Rasa's function is the one it wraps
    kept = states_history.incremental(rasas)
    events = _conversation(seed, 160)
    growing = DialogueStateTracker.from_events(f"kept-{seed}", [], domain.slots)
    options = [
        {},
        {"omit_unset_slots": True},
        {"ignore_rule_only_turns": True, "rule_only_data": {"slots": ["offered"]}},
    ]
    for n, event in enumerate(events):
        growing.update(event, domain)
        reloaded = DialogueStateTracker.from_dict(f"kept-{seed}", [e.as_dict() for e in events[: n + 1]], domain.slots)
        for tracker in (growing, reloaded) if n % 7 == 0 else (growing,):
            for option in options:
                assert kept(domain, tracker, **option) == rasas(domain, tracker, **option), (n, option)


def test_an_action_is_sent_the_latest_turns_with_the_same_state():
    """Issue 30: not every event of a long session with every action call; the rest of the
    tracker state as Rasa sends it, and what our actions read of the events (the last action
    before the latest message) unchanged."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
    from rasa_sdk import Tracker

    from actions.verdict_actions import last_bot_action

    domain = Domain.load(Path(__file__).resolve().parents[1] / "bot" / "domain")
    events = []
    for n in range(300):
        events += [UserUttered(f"question {n}", intent={"name": "ask_dmhc"}), ActionExecuted(f"utter_{n}")]
        events += [BotUttered(f"answer {n}"), SlotSet("offered", n % 2 == 0), ActionExecuted("action_listen")]
    events.append(UserUttered("why?", intent={"name": "why"}))
    tracker = DialogueStateTracker.from_events("long", events, domain.slots)
    action = RemoteAction("action_explain", None)
    ours = action._action_call_format(tracker, domain)
    full = tracker.current_state(EventVerbosity.ALL)
    sent = ours["tracker"]
    assert {k: v for k, v in sent.items() if k != "events"} == {k: v for k, v in full.items() if k != "events"}
    assert len(sent["events"]) == 6 and sent["events"] == full["events"][-6:]
    assert last_bot_action(Tracker.from_dict(sent)) == last_bot_action(Tracker.from_dict(full)) == "utter_299"

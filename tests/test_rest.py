"""The whole bot through the REST channel: real Rasa server, real action server."""

import itertools
import sqlite3

import pytest

from .servers import texts

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

ALL_IN_ONE = "my Nov 4 session was canceled because of the strike, my last one was Oct 28 and they offered me Nov 20"
senders = (f"patient-{n}" for n in itertools.count())


def test_greeting_says_what_it_is_and_that_it_is_not_advice(stack):
    reply = texts(stack.say(next(senders), "hello"))
    assert "Care Clock" in reply
    assert "not legal or medical advice" in reply


def test_what_can_you_do_is_answered_by_the_action_server(stack):
    messages = stack.say(next(senders), "what can you do?")
    assert "waiting-time rules" in texts(messages)
    assert any(b["payload"] == "/ask_dmhc" for m in messages for b in m.get("buttons", []))


def test_all_in_one_message_then_one_question_then_the_verdict(stack):
    sender = next(senders)
    question = texts(stack.say(sender, ALL_IN_ONE))
    assert "waiting longer will not harm" in question  # the only fact not given
    verdict = texts(stack.say(sender, "no"))
    assert "late by 6 business days" in verdict
    assert "Tuesday, November 12, 2024" in verdict
    assert "SB 221" in verdict
    assert "Veterans Day" in texts(stack.say(sender, "/ask_why"))  # the counting comes on "Why?"


def test_step_by_step_with_buttons_and_no_offer_is_overdue(stack):
    sender = next(senders)
    assert "What kind of appointment" in texts(stack.say(sender, "my appointment was canceled"))
    assert "last appointment you actually attended" in texts(
        stack.say(sender, '/inform{"appointment_kind":"followup"}')
    )
    assert "canceled appointment" in texts(stack.say(sender, "Oct 28"))
    assert "offered you a new date" in texts(stack.say(sender, "the 4th"))
    stack.say(sender, "/deny")
    verdict = texts(stack.say(sender, "/deny"))
    assert "nothing has been offered" in verdict
    assert "8 business days overdue" in verdict


def test_correction_after_the_verdict_recomputes(stack):
    sender = next(senders)
    stack.say(sender, ALL_IN_ONE)
    stack.say(sender, "no")
    corrected = texts(stack.say(sender, "sorry, it was Oct 29"))
    assert "Wednesday, November 13, 2024" in corrected
    assert "late by 5 business days" in corrected


def test_crisis_in_the_middle_of_the_form_comes_first(stack):
    sender = next(senders)
    stack.say(sender, "my therapy appointment got cancelled")
    messages = stack.say(sender, "honestly I want to kill myself")
    assert "988" in messages[0]["text"] and "911" in messages[0]["text"]
    assert "What kind of appointment" in texts(messages[1:])  # then the form goes on


def test_crisis_at_the_start_gets_988_and_an_offer_to_go_on(stack):
    messages = stack.say(next(senders), "i dont want to live anymore")
    assert "988" in messages[0]["text"]
    assert any(b["payload"] == "/affirm" for m in messages for b in m.get("buttons", []))


def test_unreadable_date_gets_a_re_ask_with_an_example(stack):
    sender = next(senders)
    stack.say(sender, "my therapy session got canceled")
    stack.say(sender, '/inform{"appointment_kind":"followup"}')
    reply = texts(stack.say(sender, "a while back i think"))
    assert '"Oct 28"' in reply
    # the third time the question comes, it comes more simply (never the same question three times)
    assert "Roughly when did you last see your therapist" in reply


def test_check_a_date(stack):
    reply = texts(stack.say(next(senders), "is Dec 3 too late if my last session was Nov 19?"))
    assert "is on time" in reply
    assert "Thursday, December 5, 2024" in reply


def test_rights_question_mid_form_is_answered_and_the_form_resumes(stack):
    sender = next(senders)
    stack.say(sender, "kaiser canceled my session")
    messages = stack.say(sender, "how do I contact the dmhc?")
    reply = texts(messages)
    assert "1-888-466-2219" in reply
    assert reply.endswith('(For example "Oct 28" or "last Monday".)')  # the form asks again


def test_conversations_are_kept_in_the_sqlite_tracker_store(stack):
    sender = next(senders)
    stack.say(sender, "hello")
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        count = db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]
    assert count >= 3  # at least the session start, the message and the greeting


def test_late_followup_gets_all_four_drafts_through_rest(stack):
    sender = next(senders)
    stack.say(sender, ALL_IN_ONE)
    stack.say(sender, "no")  # the short verdict; its Letters button lists the drafts
    menu = stack.say(sender, "/help")
    payloads = [b["payload"] for m in menu for b in m.get("buttons", []) if b["payload"].startswith("/show_draft")]
    assert payloads == [
        f'/show_draft{{"draft":"{d}"}}' for d in ("out_of_network", "escalation", "grievance", "dmhc_complaint")
    ]
    for payload in payloads:
        messages = stack.say(sender, payload)
        draft = messages[0]["text"]
        # the whole draft came as one message; the first one also asks for the plan's name, once
        assert messages[1]["text"].startswith(("Anything else?", "Which health plan"))
        for expected in (
            "October 28, 2024",
            "November 20, 2024",
            "Tuesday, November 12, 2024",
            "SB 221",
            "out-of-network",
            "1-888-466-2219",
            "your health plan",
        ):
            assert expected in draft, f"{payload} lacks {expected}"


def test_asking_for_a_draft_before_any_dates_asks_for_them(stack):
    reply = texts(stack.say(next(senders), "write the grievance letter"))
    assert "first need your appointment's dates" in reply


def test_patient_text_never_reaches_the_logs(stack):
    canary = "my canary zebra-quartz-8812 appointment was canceled"
    stack.say(next(senders), canary)
    stack.say(next(senders), "zebra-quartz-8812 Oct 28")
    logs = "".join(path.read_text(errors="replace") for path in stack.workdir.glob("log/*.log"))
    assert logs, "the servers wrote no logs to check"
    assert "zebra-quartz-8812" not in logs


@pytest.mark.parametrize("path", ["/conversations/someone/tracker", "/model/parse", "/status"])
def test_rasa_http_api_is_off(stack, path):
    import requests

    answer = requests.get(f"http://127.0.0.1:{stack.rasa_port}{path}", timeout=5)
    assert answer.status_code == 404


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 20000,
        "😭😭😭",
        "מתי התור שלי",
        "\x00\x07\x1b[31m",
        "<script>alert(1)</script>",
        "'; DROP TABLE events; --",
    ],
    ids=["empty", "spaces", "20k", "emoji", "rtl", "control", "html", "sql"],
)
def test_bad_input_gets_a_clear_reply(stack, text):
    reply = texts(stack.say(next(senders), text))
    if len(text) > 2000:  # over the message limit: answered before any NLU (bot/patches/message_limits.py)
        assert "too long for me to read" in reply
    elif "<script>" in text:  # "script" is a word the bot knows: the patient may want the call script
        assert "first need your appointment's dates" in reply
        assert "<script>" not in reply
    else:  # not understood, or understood as not about appointments ("events" is a word it knows)
        assert "didn't follow" in reply or "I can only help with" in reply


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Feb 30", "not a real date"),
        ("13/45", "not a real date"),
        ("1900-01-01", "outside the years"),
        ("2200-01-01", "outside the years"),
    ],
)
def test_impossible_dates_in_the_form_get_a_reason_and_a_re_ask(stack, text, reason):
    sender = next(senders)
    stack.say(sender, "my therapy session was canceled")
    messages = stack.say(sender, text)
    assert reason in messages[0]["text"]
    assert "last appointment you actually attended" in messages[-1]["text"]


@pytest.mark.parametrize("command", ["/session_start", "/back", "/restart", "/nlu_fallback", "/deadline_reminder"])
def test_a_typed_command_is_read_as_words_and_answered(stack, command):
    """Issue 30: Rasa took any "/intent" as given; typed by a patient these got no reply
    (a new session, an undone message) or would forget the case (/restart)."""
    sender = next(senders)
    stack.say(sender, "my therapy session was canceled")
    assert texts(stack.say(sender, command)).strip()
    the_rest = texts(stack.say(sender, f"my last one was Oct 28, canceled Nov 4, offered Nov 20. {command}"))
    assert "waiting longer will not harm" in the_rest  # the case went on: nothing undone or forgotten
    with sqlite3.connect(stack.workdir / "tracker.db", timeout=30) as db:
        said = [
            t
            for (t,) in db.execute(
                "select json_extract(data, '$.text') from events where type_name = 'user' and sender_id = ?", (sender,)
            )
        ]
    assert command not in said and command[1:] in said  # read as words, not taken as an intent


def test_a_typed_command_still_gets_the_crisis_answer(stack):
    assert "988" in texts(stack.say(next(senders), "/back i want to kill myself"))


def test_no_traceback_in_the_logs(stack):
    logs = "".join(path.read_text(errors="replace") for path in stack.workdir.glob("log/*.log"))
    assert "Traceback" not in logs

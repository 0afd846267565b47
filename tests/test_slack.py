"""Slack through the running server, against a local fake of Slack's Web API."""

import hashlib
import hmac
import itertools
import json
import sqlite3
import time

import pytest
import requests

from .fake_slack import FakeSlack
from .servers import Stack, wait_until_up

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

SECRET = "test-signing-secret"
REMIND_AFTER = 8  # seconds
PENDING = "kaiser: my last session was nov 15 and my nov 22 session got canceled"  # deadline Mon Dec 2, 2024
REMINDER = "Your plan had until Monday, December 2, 2024"
events = (f"Ev{n:06d}" for n in itertools.count())
users = (f"U{n:06d}" for n in itertools.count())


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("slack")
    fake = FakeSlack()
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "CARE_CLOCK_REMINDER_SECONDS": str(REMIND_AFTER),  # so a reminder comes during the test
    }
    stack = Stack(workdir, "2024-11-22 12:00", env=env).start()  # make run turns Slack on from these
    yield stack, fake
    stack.stop()
    fake.stop()


def post(stack, body, timestamp=None, secret=SECRET, headers=None):
    raw = json.dumps(body).encode()
    stamp = str(int(timestamp if timestamp is not None else time.time()))
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{stamp}:".encode() + raw, hashlib.sha256).hexdigest()
    return requests.post(
        f"http://127.0.0.1:{stack.rasa_port}/webhooks/slack/webhook",
        data=raw,
        headers={
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
            **(headers or {}),
        },
        timeout=10,
    )


def message(text, channel="D0001", thread_ts=None, event_id=None, user=None):
    event = {
        "type": "message",
        "channel": channel,
        "channel_type": "im",
        "user": user or next(users),
        "text": text,
        "ts": f"{time.time():.6f}",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {
        "type": "event_callback",
        "event_id": event_id or next(events),
        "event": event,
        "authorizations": [{"user_id": "UBOT"}],
    }


def test_signed_message_is_answered_in_the_right_channel(slack):
    stack, fake = slack
    fake.clear()
    assert post(stack, message("hello", channel="D0042")).status_code == 200
    posts = fake.wait_for_posts(1)
    assert posts and posts[0]["channel"] == "D0042"
    assert "Care Clock" in posts[0]["text"]
    assert "thread_ts" not in posts[0]


def test_reply_goes_to_the_thread_the_patient_wrote_in(slack):
    stack, fake = slack
    fake.clear()
    post(stack, message("are you a bot?", channel="C0007", thread_ts="1700000000.000100"))
    posts = fake.wait_for_posts(1)
    assert posts and posts[0]["thread_ts"] == "1700000000.000100" and posts[0]["channel"] == "C0007"


def test_buttons_arrive_as_block_kit_buttons(slack):
    stack, fake = slack
    fake.clear()
    post(stack, message("my appointment was canceled"))
    posts = fake.wait_for_posts(1)
    blocks = posts[0]["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons][:2] == ["Follow-up with my therapist", "My first appointment"]
    assert buttons[0]["value"] == '/inform{"appointment_kind":"followup"}'


@pytest.mark.parametrize("kind", ["forged", "old"])
def test_forged_or_old_requests_get_400_and_no_reply(slack, kind):
    stack, fake = slack
    fake.clear()
    if kind == "forged":
        answer = post(stack, message("hello"), secret="not-the-secret")
    else:
        answer = post(stack, message("hello"), timestamp=time.time() - 6 * 60)
    assert answer.status_code == 400
    time.sleep(2)
    assert fake.posts == []


def test_url_verification_challenge_is_answered(slack):
    stack, _ = slack
    answer = post(
        stack, {"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    )
    assert answer.status_code == 200
    assert answer.json() == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"


def test_slack_retries_do_not_duplicate_replies(slack):
    stack, fake = slack
    fake.clear()
    body = message("thanks", event_id="EvRETRY1")
    post(stack, body)
    for attempt in (1, 2, 3):
        retry = post(stack, body, headers={"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_error"})
        assert retry.status_code == 200
    fake.wait_for_posts(1)
    time.sleep(2)
    assert len(fake.posts) == 1


def mention(text, channel="C0PUBLIC", user=None, event_id=None):
    body = message(text, channel=channel, user=user, event_id=event_id)
    body["event"].update(type="app_mention", channel_type="channel")
    return body


def test_public_mention_gets_only_a_private_pointer_in_a_thread(slack):
    stack, fake = slack
    fake.clear()
    patient = next(users)
    post(
        stack, message("my Nov 4 session was canceled, my last one was Oct 28 and they offered me Nov 20", user=patient)
    )
    fake.wait_for_posts(1)
    time.sleep(2)
    fake.clear()
    public = mention("<@UBOT> write my grievance letter", user=patient)
    post(stack, public)
    posts = fake.wait_for_posts(1)
    time.sleep(2)
    assert len(fake.posts) == 1
    assert posts[0]["channel"] == "C0PUBLIC" and posts[0]["thread_ts"] == public["event"]["ts"]
    assert "direct message" in posts[0]["text"]
    assert "October" not in json.dumps(fake.posts) and "November" not in json.dumps(fake.posts)


def test_conversations_are_keyed_by_channel(slack):
    stack, fake = slack
    patient = next(users)
    post(stack, message("hello", user=patient))
    fake.wait_for_posts(1)
    time.sleep(1)
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        senders = {row[0] for row in db.execute("select distinct sender_id from events")}
    assert f"slack:{patient}" in senders and patient not in senders


def test_bot_message_without_bot_id_is_never_answered(slack):
    stack, fake = slack
    fake.clear()
    body = message("hello")
    body["event"]["subtype"] = "bot_message"
    assert post(stack, body).status_code == 200
    time.sleep(3)
    assert fake.posts == []


def test_long_message_gets_the_limit_reply(slack):
    stack, fake = slack
    fake.clear()
    post(stack, message("canceled " * 4_500))  # about 40,000 characters, Slack's maximum
    posts = fake.wait_for_posts(1)
    assert "too long for me to read" in posts[0]["text"]


def test_huge_signed_body_is_refused(slack):
    stack, fake = slack
    fake.clear()
    assert post(stack, message("x" * 10_000_000)).status_code == 413
    time.sleep(2)
    assert fake.posts == []


def test_retry_after_a_restart_is_answered_once_and_a_first_retry_is_answered(slack):
    stack, fake = slack
    fake.clear()
    body = message("hello", event_id="EvRESTART1")
    post(stack, body)
    fake.wait_for_posts(1)
    stack.ctl("restart", "rasa")
    wait_until_up(f"http://127.0.0.1:{stack.rasa_port}/", stack.runner, stack.output)
    fake.clear()
    retry = post(stack, body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status_code == 200
    unseen = message("hello", event_id="EvNEVERSEEN")  # its first delivery never reached us
    post(stack, unseen, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    posts = fake.wait_for_posts(1)
    time.sleep(2)
    assert len(fake.posts) == 1 and posts[0]["channel"] == unseen["event"]["channel"]


def _posted_texts(fake, channel: str) -> str:
    return "\n".join(p.get("text") or "" for p in list(fake.posts) if p.get("channel") == channel)


def _wait_for_text(fake, channel: str, words: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if words in _posted_texts(fake, channel):
            return True
        time.sleep(0.5)
    return False


def _to_pending_verdict_with_a_reminder(stack, fake, channel: str) -> None:
    """A Slack patient tells a pending case, answers "no" until the drafts, asks to be reminded."""
    user = next(users)
    fake.clear()
    post(stack, message(PENDING, channel=channel, user=user))
    for _ in range(5):
        if _wait_for_text(fake, channel, "Dates I used:", 4):
            break
        post(stack, message("no", channel=channel, user=user))
    assert "Dates I used:" in _posted_texts(fake, channel)
    post(stack, message("remind me on the deadline", channel=channel, user=user))
    assert _wait_for_text(fake, channel, "Monday, December 2, 2024", 10), _posted_texts(fake, channel)
    fake.clear()


def test_a_reminder_comes_to_the_patients_slack_channel(slack):
    stack, fake = slack
    _to_pending_verdict_with_a_reminder(stack, fake, "D0REMIND")
    assert _wait_for_text(fake, "D0REMIND", REMINDER, REMIND_AFTER + 20), fake.posts


def test_a_reminder_set_before_a_restart_still_comes_to_slack(slack):
    stack, fake = slack
    _to_pending_verdict_with_a_reminder(stack, fake, "D0RESTART")
    stack.ctl("restart", "rasa")  # before the reminder is due: only the reschedule at start can send it
    wait_until_up(f"http://127.0.0.1:{stack.rasa_port}/", stack.runner, stack.output)
    assert _wait_for_text(fake, "D0RESTART", REMINDER, REMIND_AFTER + 30), fake.posts

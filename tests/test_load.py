"""Load: 50 concurrent conversations of 20 turns through REST, on loopback, bounded in time.

Every turn must be answered with 200, and afterwards the tracker store must hold
every event of every conversation: each patient message, and each bot message
that the patient received (REST sends a reply's paragraphs as separate messages).
"""

import concurrent.futures
import json
import sqlite3
import time

import pytest
import requests

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

CONVERSATIONS = 50
TIME_LIMIT_SECONDS = 300  # the whole load; a stuck server fails the test instead of hanging it
SCRIPT = [  # 20 turns: the strike scenario, drafts, rights questions, corrections, a second report
    "hi",
    "my Nov 4 session was canceled because of the strike, my last one was Oct 28 and they offered me Nov 20",
    "no",
    '/show_draft{"draft":"grievance"}',
    "what is the 10 business day rule?",
    "sorry, it was Oct 29",
    '/show_draft{"draft":"escalation"}',
    "how do I contact the dmhc?",
    "thanks",
    "is Dec 3 too late if my last session was Nov 19?",
    "what is the strike about?",
    "start over",
    "my therapy appointment was canceled",
    '/inform{"appointment_kind":"followup"}',
    "Oct 28",
    "the 4th",
    "/deny",
    "/deny",
    "can I see someone out of network?",
    "bye",
]


def converse(stack, sender, deadline):
    """Play the script; returns (statuses, texts of the bot messages received)."""
    statuses, received = [], []
    with requests.Session() as http:
        for text in SCRIPT:
            if time.monotonic() > deadline:
                break
            response = http.post(
                f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
                timeout=60,
            )
            statuses.append(response.status_code)
            if response.ok:
                received += [message.get("text", "") for message in response.json()]
    return statuses, received


def test_fifty_concurrent_conversations_are_answered_and_stored_in_full(stack):
    assert len(SCRIPT) == 20
    senders = [f"load-{n}" for n in range(CONVERSATIONS)]
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    with concurrent.futures.ThreadPoolExecutor(CONVERSATIONS) as pool:
        results = dict(zip(senders, pool.map(lambda s: converse(stack, s, deadline), senders)))
    statuses = [status for turn_statuses, _ in results.values() for status in turn_statuses]
    assert len(statuses) == CONVERSATIONS * len(SCRIPT), "the load did not finish in time"
    assert set(statuses) == {200}
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        rows = db.execute(
            "select sender_id, type_name, data from events where sender_id like 'load-%' order by id"
        ).fetchall()
    user_messages = {sender: 0 for sender in senders}
    bot_texts = {sender: [] for sender in senders}
    for sender, kind, data in rows:
        if kind == "user":
            user_messages[sender] += 1
        elif kind == "bot":
            bot_texts[sender] += (json.loads(data).get("text") or "").strip().split("\n\n")
    for sender, (_, received) in results.items():
        assert user_messages[sender] == len(SCRIPT), sender
        assert len(received) > len(SCRIPT)  # every turn got at least one reply, most more
        assert bot_texts[sender] == received, sender

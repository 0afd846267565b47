"""Storage faults while many patients talk at once, through `make run` (issue 30).

The shared stack keeps its database on the ordinary disk (ext4 here), where a
write to a memory-mapped page of a file made immutable is a SIGBUS: with SQLite's
write-ahead log (its `-shm` index is always mapped) the server died in 2 of 3
runs. Each test: the fault comes while conversations are talking, every request
still gets an answer within bounds, and once the fault clears the turns are
stored again at once.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from .servers import texts
from .test_faults import NOT_SAVED, locked, read_only

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

PATIENTS = 10


def database(stack) -> Path:
    return Path(stack.env["TRACKER_DB"])


def timed_say(stack, sender: str, text: str) -> tuple[float, str]:
    """(seconds, reply), or (seconds, "NO ANSWER ...") when the request failed."""
    started = time.monotonic()
    try:
        reply = texts(stack.say(sender, text))
    except requests.RequestException as error:
        reply = f"NO ANSWER: {type(error).__name__}"
    return time.monotonic() - started, reply


def talking(stack, name: str, stop: threading.Event) -> list[list[tuple[float, float, str]]]:
    """Each patient says "hello" over and over until `stop`: per patient, (sent at, seconds, reply)."""

    def patient(number: int) -> list[tuple[float, float, str]]:
        said = []
        while not stop.is_set():
            sent = time.monotonic()
            said.append((sent, *timed_say(stack, f"{name}-{number}", "hello")))
        return said

    with ThreadPoolExecutor(PATIENTS) as pool:
        return list(pool.map(patient, range(PATIENTS)))


def test_an_immutable_database_under_load_never_crashes_and_recovers_at_once(stack):
    rasa = stack.pid("rasa")
    stop = threading.Event()
    with ThreadPoolExecutor(1) as background:
        conversations = background.submit(talking, stack, "immutable", stop)
        time.sleep(2)
        with read_only(database(stack)):
            time.sleep(4)
        cleared = time.monotonic()
        time.sleep(4)
        stop.set()
        said = [turn for patient in conversations.result(timeout=120) for turn in patient]
    assert stack.pid("rasa") == rasa, "the Rasa server died"
    assert not [reply for _, _, reply in said if reply.startswith("NO ANSWER") or not reply.strip()]
    assert any(NOT_SAVED in reply for _, _, reply in said)  # the fault was real, and told
    after = [reply for sent, _, reply in said if sent > cleared + 1]
    assert after and not [reply for reply in after if NOT_SAVED in reply]  # stored again within a second


def test_a_database_locked_by_another_process_holds_no_patient_beyond_a_second(stack):
    """Issue 30: six worker threads and a 3-second wait made everyone wait in 3-second waves."""
    senders = [f"lock-wait-{n}" for n in range(PATIENTS)]
    for sender in senders:
        stack.say(sender, "hello")
    with ThreadPoolExecutor(PATIENTS) as pool, locked(database(stack)):
        during = list(pool.map(lambda sender: timed_say(stack, sender, "what can you do?"), senders))
    assert all(NOT_SAVED in reply for _, reply in during), during
    assert max(seconds for seconds, _ in during) < 2.0, sorted(seconds for seconds, _ in during)
    with ThreadPoolExecutor(PATIENTS) as pool:
        after = list(pool.map(lambda sender: timed_say(stack, sender, "what can you do?"), senders))
    assert all("waiting-time rules" in reply for _, reply in after), after
    assert max(seconds for seconds, _ in after) < 2.0, sorted(seconds for seconds, _ in after)

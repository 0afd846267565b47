"""Scaled mode under faults, on loopback: `make run-cluster` with 2 Rasa servers,
Redis and PostgreSQL, driven through the proxy (and each server directly).

Every load here is bounded in time. Each patient talks like a person: one
message, wait for the answer, the next; a message that got no answer (the
server died, Redis was away) is sent again only if the tracker store shows it
was not taken, so each conversation's turns happen exactly once.
"""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .cluster import Cluster
from .conftest import STACK_TODAY
from .servers import texts, wait_until_up

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

STRIKE = "my Nov 4 session was canceled because of the strike, my last one was Oct 28 and they offered me Nov 20"
HARM_QUESTION = "waiting longer will not harm your health"
VERDICT = "late by 6 business days"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("cluster"), STACK_TODAY).start()
    yield running
    running.stop()
    running.remove_database()


class Patients:
    """Concurrent patients, each going through the strike conversation (a form:
    the all-in-one message, then the answer to its question) again and again."""

    def __init__(self, cluster: Cluster, name: str, count: int):
        self.cluster, self.name, self.count = cluster, name, count
        self.acknowledged: list[tuple[str, str]] = []  # (sender, text) answered with 200
        self.failures, self.finished, self.broken = 0, [], []
        self.lock = threading.Lock()

    def say(self, session, sender: str, text: str, taken_before: int) -> list[dict]:
        """Send until answered; a lost answer is resent only if the message was not taken."""
        for _ in range(60):
            try:
                reply = session.post(
                    f"http://127.0.0.1:{self.cluster.rasa_port}/webhooks/rest/webhook",
                    json={"sender": sender, "message": text},
                    timeout=30,
                )
                if reply.status_code == 200:
                    with self.lock:
                        self.acknowledged.append((sender, text))
                    return reply.json()
            except requests.RequestException:
                pass
            with self.lock:
                self.failures += 1
            time.sleep(0.5)
            if len(self.cluster.user_texts(sender)) > taken_before:
                return []  # taken, answer lost: the patient reads it in the next turn
        raise AssertionError(f"{sender}: no server answered '{text}'")

    def patient(self, index: int, until: float) -> None:
        session, n = requests.Session(), 0
        while time.monotonic() < until:
            sender = f"{self.name}-{index}-{n}"
            first = texts(self.say(session, sender, STRIKE, 0))
            answer = texts(self.say(session, sender, "no", 1))
            with self.lock:
                self.finished.append(sender)
                if (first and HARM_QUESTION not in first) or (answer and VERDICT not in answer):
                    self.broken.append((sender, first[:80], answer[:80]))
            n += 1

    def run(self, seconds: float, during=None) -> None:
        until = time.monotonic() + seconds
        with ThreadPoolExecutor(self.count + 1) as pool:
            futures = [pool.submit(self.patient, i, until) for i in range(self.count)]
            if during:
                during()
            for future in futures:
                future.result()


def at_once(calls: list) -> list:
    """Run the calls in threads released at the same instant; their results, in order."""
    start = threading.Barrier(len(calls))

    def released(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(released, calls))


def assert_acknowledged_turns_stored(cluster: Cluster, patients: Patients) -> None:
    """Every turn answered with 200 is in the tracker store (a failed one is answered 500: bot/patches/rest_failures.py)."""
    for sender, text in patients.acknowledged:
        assert text in cluster.user_texts(sender), (sender, text)


def test_atomic_tickets_one_holder_at_a_time(cluster):
    """Four servers asking for the same conversation's lock at the same instant get four different tickets."""
    from bot.lock_store import AtomicRedisLockStore

    stores = [AtomicRedisLockStore.from_url(f"redis://127.0.0.1:{cluster.redis_port}/1") for _ in range(4)]
    for attempt in range(50):
        tickets = at_once([functools.partial(store.issue_ticket, f"race-{attempt}") for store in stores])
        assert sorted(tickets) == [0, 1, 2, 3]


def test_sigkill_one_server_under_load(cluster):
    victim, survivor = cluster.server_ports
    survivor_pid = cluster.server_pid(survivor)
    patients = Patients(cluster, "kill", 12)

    def kill_one():
        time.sleep(3)
        os.kill(cluster.server_pid(victim), signal.SIGKILL)

    patients.run(14, during=kill_one)
    assert cluster.server_pid(survivor) == survivor_pid
    assert patients.failures > 0, "the kill interrupted no turn: the load was not spread over both servers"
    assert_acknowledged_turns_stored(cluster, patients)
    # No conversation lost its form state: each got the question, then the verdict.
    assert patients.broken == []
    started = {sender for sender, _ in patients.acknowledged}
    assert set(patients.finished) == started
    for sender in patients.finished:
        assert cluster.user_texts(sender) == [STRIKE, "no"], sender


def test_two_messages_at_once_on_two_servers_are_handled_in_turn(cluster):
    for port in cluster.server_ports:  # the one killed above is back
        wait_until_up(f"http://127.0.0.1:{port}/", cluster.runner, cluster.output)
    for attempt in range(4):
        sender = f"twice-{attempt}"
        replies = at_once(
            [
                functools.partial(
                    requests.post,
                    f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                    json={"sender": sender, "message": text},
                    timeout=60,
                )
                for port, text in zip(cluster.server_ports, [STRIKE, "hello"])
            ]
        )
        assert [reply.status_code for reply in replies] == [200, 200]
        assert sorted(cluster.user_texts(sender)) == sorted([STRIKE, "hello"])
        # One turn, then the other: each patient message is followed by the
        # bot's whole turn (ending in action_listen) before the next begins.
        events = cluster.event_types(sender)
        users = [i for i, event in enumerate(events) if event.startswith("user:")]
        assert len(users) == 2
        assert "action:action_listen" in events[users[0] : users[1]], events


def test_redis_restarted_mid_load(cluster):
    pids = [cluster.server_pid(port) for port in cluster.server_ports]
    patients = Patients(cluster, "redis", 8)

    def restart_redis():
        time.sleep(2)
        cluster.ctl("stop", "redis")
        time.sleep(1)  # away long enough for every patient to notice
        cluster.ctl("start", "redis")

    patients.run(8, during=restart_redis)
    assert patients.failures > 0, "the restart interrupted no turn"
    assert_acknowledged_turns_stored(cluster, patients)
    # Recovered without a restart of their own: same processes, answering again.
    after = Patients(cluster, "after-redis", 4)
    after.run(3)
    assert after.failures == 0 and after.finished and after.broken == []
    assert [cluster.server_pid(port) for port in cluster.server_ports] == pids

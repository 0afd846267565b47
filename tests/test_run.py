"""`make run` itself: what it starts is the product the other tests test, and it owns its servers.

Every stack here is started with the README's command (tests/servers.Stack runs
`make run`); the checks are by behaviour, never by reading command lines.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from .servers import ROOT, Stack, texts

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

OUTAGE = "something went wrong on our side"


def processes_of(workdir: Path) -> list[int]:
    """Live processes started for the stack whose var folder is `workdir` (they inherit CARE_CLOCK_VAR)."""
    marker = f"CARE_CLOCK_VAR={workdir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def port_is_free(port: int) -> bool:
    """Nothing listens on it (a bind test would also fail on closed connections in TIME_WAIT)."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def assert_nothing_left(stack: Stack, within: float = 30) -> None:
    ports = (stack.rasa_port, stack.action_port, stack.web_port)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not processes_of(stack.workdir) and all(map(port_is_free, ports)):
            return
        time.sleep(0.5)
    raise AssertionError(
        f"left behind: processes {processes_of(stack.workdir)}, bound ports {[p for p in ports if not port_is_free(p)]}"
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("run"), "2024-11-22 12:00").start()
    yield running
    running.stop()


def test_make_run_serves_rest_and_the_page_on_the_ports_it_was_given(stack):
    assert 5005 not in (stack.rasa_port, stack.action_port, stack.web_port)
    assert "988" in texts(stack.say("run-hello", "hello"))
    page = requests.get(stack.page_url, timeout=10)
    assert page.ok and f":{stack.rasa_port}" in page.text  # the page talks to this Rasa server


def test_a_killed_action_server_gets_the_outage_answer_then_comes_back(stack):
    """Proves by behaviour that make run's Rasa server carries the outage fix, and that the action server is supervised."""
    os.kill(stack.pid("actions"), signal.SIGKILL)
    started = time.monotonic()
    reply = texts(stack.say("run-outage", "what can you do?"))
    assert OUTAGE in reply and "1-888-466-2219" in reply
    assert time.monotonic() - started < 3
    deadline = time.monotonic() + 60
    while OUTAGE in reply and time.monotonic() < deadline:
        time.sleep(1)
        reply = texts(stack.say("run-outage", "what can you do?"))
    assert "waiting-time rules" in reply  # restarted by supervisord, no one had to step in
    assert "exited: actions" in stack.log("supervisord")


def kill_rasa_until_supervisord_gives_up(stack, within: float = 60) -> None:
    """Kill each new Rasa server as it starts, as a crash at start would, until supervisord gives up (FATAL)."""
    seen = len(stack.log("supervisord"))
    deadline = time.monotonic() + within
    while "gave up: rasa entered FATAL" not in stack.log("supervisord")[seen:]:
        assert time.monotonic() < deadline, stack.log("supervisord")[seen:]
        pid = stack.ctl("pid", "rasa").strip()
        if pid.isdigit() and int(pid) > 0:  # "0" while it is not running: os.kill(0) would hit this test
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)


def test_a_crash_loop_keeps_the_site_up_and_rasa_comes_back(stack):
    """Issue 30: four quick crashes made supervisord give up on Rasa, and make run then stopped the
    action server and the web page too: the site went dark, without even the "call DMHC" notice."""
    kill_rasa_until_supervisord_gives_up(stack)
    assert stack.runner.poll() is None  # make run goes on
    assert requests.get(f"http://127.0.0.1:{stack.action_port}/health", timeout=10).ok
    page = requests.get(stack.page_url, timeout=10)
    assert page.ok and 'id="chat-unavailable"' in page.text  # shown while Rasa is down (tests/test_web.py)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # started again after a pause, no one had to step in
        try:
            if "988" in texts(stack.say("run-crash-loop", "hello")):
                break
        except requests.RequestException:
            time.sleep(1)
    else:
        raise AssertionError("the Rasa server did not come back:\n" + stack.output.read_text()[-2000:])
    assert "starting it again" in stack.output.read_text()
    assert stack.runner.poll() is None  # make run went on all along, with the action server
    assert requests.get(f"http://127.0.0.1:{stack.action_port}/health", timeout=10).ok


def test_server_logs_are_private(stack):
    assert (stack.workdir.stat().st_mode & 0o077) == 0
    for log in (stack.workdir / "log").glob("*.log"):
        assert (log.stat().st_mode & 0o077) == 0, log


@pytest.mark.parametrize(
    "sig",
    [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL],
    ids=["SIGTERM", "SIGINT", "SIGHUP", "SIGKILL"],
)
def test_stopping_the_runner_leaves_no_process_and_no_port(tmp_path, sig):
    env = {}
    if sig == signal.SIGHUP:
        # Also: Slack as the README starts it (no SLACK_API_URL) must start.
        env = {"SLACK_BOT_TOKEN": "xoxb-readme", "SLACK_SIGNING_SECRET": "readme-secret", "SLACK_API_URL": ""}
    stack = Stack(tmp_path, "2024-11-22 12:00", env=env).start()
    if env:
        answer = requests.post(f"http://127.0.0.1:{stack.rasa_port}/webhooks/slack/webhook", json={}, timeout=10)
        assert answer.status_code == 400  # Slack's route is up (and refuses an unsigned request)
    assert processes_of(tmp_path)
    stack.stop(sig)
    assert_nothing_left(stack)


def test_a_port_in_use_is_reported_at_once(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        stack = Stack(tmp_path, "2024-11-22 12:00", env={"RASA_PORT": str(busy.getsockname()[1])})
        stack.rasa_port = busy.getsockname()[1]
        with pytest.raises(RuntimeError, match="already in use"):
            stack.start()
    assert_nothing_left(stack)


def test_a_server_that_cannot_start_is_reported_with_its_log(tmp_path):
    # The web page server refuses a Rasa address that is not plain scheme://host:port.
    stack = Stack(tmp_path, "2024-11-22 12:00", env={"CARE_CLOCK_PUBLIC_RASA_URL": "not-an-address"})
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="(?s)the web server could not start.*not-an-address"):
        stack.start()
    assert time.monotonic() - started < 60
    assert_nothing_left(stack)


def test_a_stock_rasa_process_gets_the_fixes_through_the_endpoints():
    """`rasa run` (not our entry) loads bot.tracker_store from bot/endpoints.yml, and with it every fix."""
    probe = """
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import TrackerStore
from rasa.utils.endpoints import read_endpoint_config
assert not hasattr(RemoteAction.run, "care_clock_patch")
TrackerStore.create(read_endpoint_config("bot/endpoints.yml", "tracker_store"))
print(getattr(RemoteAction.run, "care_clock_patch", None))
"""
    env = {**os.environ, "TRACKER_DB": ":memory:", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip().endswith("outage-answer-remote-actions"), result.stderr[-2000:]


def test_a_changed_nlu_component_means_a_retrain():
    check = ["bash", "scripts/train.sh", "--check"]
    assert subprocess.run(check, cwd=ROOT).returncode == 0  # the test command trained just before
    probe = ROOT / "bot" / "nlu" / "_retrain_probe.py"
    probe.write_text("# a changed component\n")
    try:
        assert subprocess.run(check, cwd=ROOT).returncode == 1
    finally:
        probe.unlink()
    assert subprocess.run(check, cwd=ROOT).returncode == 0

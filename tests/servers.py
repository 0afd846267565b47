"""Start the real stack, through `make run`, on free loopback ports for tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "care-clock.tar.gz"
RASA = [str(BIN / "python"), "-m", "bot.server"]  # the one entry: Rasa's CLI with the bot's fixes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, limit: float = 180) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {limit}s:\n{log.read_text()[-3000:]}")


def _as_from_a_terminal() -> None:
    """Ctrl-C and a closed terminal reach `make run` as they would from a terminal, even when the
    tests themselves run with them ignored (under nohup, or as a background job): an ignored
    signal stays ignored in every child, and a shell cannot trap it."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Stack:
    """The stack `make run` starts (supervisord, action server, Rasa server, web
    page), on free loopback ports with its own var/ folder; stopped by stop()
    the way a user stops it (SIGTERM to `make run`)."""

    make_target = "run"

    def __init__(self, workdir: Path, today: str, env: dict | None = None):
        self.workdir = workdir  # CARE_CLOCK_VAR: tracker.db, log/, supervisor.sock
        self.action_port, self.rasa_port, self.web_port = free_port(), free_port(), free_port()
        self.env = {
            **os.environ,
            "CARE_CLOCK_TODAY": today,
            "CARE_CLOCK_VAR": str(workdir),
            "RASA_PORT": str(self.rasa_port),
            "ACTION_PORT": str(self.action_port),
            "WEB_PORT": str(self.web_port),
            "TRACKER_DB": str(workdir / "tracker.db"),
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.action_port}/webhook",  # for commands run beside it
            **(env or {}),
        }
        self.env.pop("CARE_CLOCK_RUNNER", None)  # make run's own marker
        self.runner: subprocess.Popen | None = None
        self.output = workdir / "make-run.out"

    def start(self) -> "Stack":
        """`make run`, returning once it says the servers are up."""
        self.runner = subprocess.Popen(
            ["make", "--no-print-directory", self.make_target],
            cwd=ROOT,
            env=self.env,
            stdout=self.output.open("w"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_as_from_a_terminal,
        )
        deadline = time.monotonic() + 600  # a first run may train the model
        while "Care Clock is running" not in self.output.read_text(errors="replace"):
            if self.runner.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"make run did not start:\n{self.output.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        return self

    def log(self, server: str) -> str:
        """One server's log (rasa, actions, web, supervisord)."""
        return (self.workdir / "log" / f"{server}.log").read_text(errors="replace")

    def ctl(self, *command: str) -> str:
        """supervisorctl of this stack: e.g. ctl("stop", "actions")."""
        return subprocess.run(
            [str(BIN / "supervisorctl"), "-s", f"unix://{self.workdir}/supervisor.sock", *command],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout

    def pid(self, server: str) -> int:
        return int(self.ctl("pid", server).strip())

    def stop_actions(self) -> None:
        """Stop the action server (an outage); start_actions() brings it back."""
        self.ctl("stop", "actions")

    def start_actions(self) -> None:
        self.ctl("start", "actions")
        wait_until_up(f"http://127.0.0.1:{self.action_port}/health", self.runner, self.output)

    def crash_and_restart_rasa(self) -> None:
        """Kill the Rasa server without warning (SIGKILL); supervisord starts it again."""
        os.kill(self.pid("rasa"), signal.SIGKILL)
        time.sleep(1)
        wait_until_up(f"http://127.0.0.1:{self.rasa_port}/", self.runner, self.output)

    @property
    def page_url(self) -> str:
        return f"http://localhost:{self.web_port}/"

    def say(self, sender: str, text: str) -> list[dict]:
        response = requests.post(
            f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            headers={"Authorization": f"Bearer {self.env['CARE_CLOCK_REST_TOKEN']}"}
            if self.env.get("CARE_CLOCK_REST_TOKEN")
            else {},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Signal `make run` as a user would; returns its exit status.

        Ctrl-C and a closed terminal signal the whole foreground process group
        (make waits for its children on SIGINT and SIGHUP, expecting them to
        have the signal too); `kill` signals make alone (make passes SIGTERM on).
        """
        if self.runner is None or self.runner.poll() is not None:
            return self.runner.returncode if self.runner else 0
        if sig in (signal.SIGINT, signal.SIGHUP):
            os.killpg(self.runner.pid, sig)
        else:
            self.runner.send_signal(sig)
        try:
            return self.runner.wait(timeout=120)  # supervisord stops the servers one by one
        except subprocess.TimeoutExpired:
            os.killpg(self.runner.pid, signal.SIGKILL)
            raise


def texts(messages: list[dict]) -> str:
    """The bot's replies to one message, as one string."""
    return "\n".join(m.get("text", "") for m in messages)

"""Start the real stack (action server + Rasa server) on free loopback ports for tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "care-clock.tar.gz"
RASA = [str(BIN / "python"), "-m", "bot.server"]  # Rasa's CLI with our speed fix


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


class Stack:
    """An action server and a Rasa server, each a real process, stopped by stop()."""

    def __init__(self, workdir: Path, today: str, env: dict | None = None, credentials: str = "bot/credentials.yml"):
        self.workdir = workdir
        self.credentials = credentials
        self.action_port, self.rasa_port, self.web_port = free_port(), free_port(), free_port()
        self.env = {
            **os.environ,
            "CARE_CLOCK_TODAY": today,
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            "TRACKER_DB": str(workdir / "tracker.db"),
            "SANIC_HOST": "127.0.0.1",
            "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }
        self.processes: list[subprocess.Popen] = []

    def _start(self, name: str, command: list[str], ready_url: str) -> None:
        log = self.workdir / f"{name}.log"
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.processes.append(process)
        wait_until_up(ready_url, process, log)

    def start(self) -> "Stack":
        subprocess.run(["bash", "scripts/train.sh"], cwd=ROOT, check=True, env=self.env)
        self.start_actions()
        self._start_rasa()
        return self

    def start_actions(self) -> None:
        self._start("actions", [str(BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                                "--port", str(self.action_port)], f"http://127.0.0.1:{self.action_port}/health")
        self.actions = self.processes[-1]

    def stop_actions(self) -> None:
        """Stop the action server (an outage); start_actions() brings it back."""
        self.actions.terminate()
        self.actions.wait(timeout=20)
        self.processes.remove(self.actions)

    def _start_rasa(self) -> None:
        self._start("rasa", [*RASA, "run", "--model", str(MODEL), "--endpoints", "bot/endpoints.yml",
                             "--credentials", str(self.credentials), "--interface", "127.0.0.1",
                             "--port", str(self.rasa_port), "--cors", self.page_origin],
                    f"http://127.0.0.1:{self.rasa_port}/")
        self.rasa = self.processes[-1]

    def crash_and_restart_rasa(self) -> None:
        """Kill the Rasa server without warning (SIGKILL), then start it again."""
        self.rasa.kill()
        self.rasa.wait(timeout=20)
        self.processes.remove(self.rasa)
        self._start_rasa()

    @property
    def page_origin(self) -> str:
        return f"http://localhost:{self.web_port}"

    def start_web_page(self) -> str:
        """Serve the web chat page; returns its address, pointed at this stack's Rasa server."""
        self._start("web", [str(BIN / "python"), "bot/web/serve.py", "--host", "127.0.0.1",
                            "--port", str(self.web_port), "--rasa-url", f"http://127.0.0.1:{self.rasa_port}"],
                    f"http://127.0.0.1:{self.web_port}/")
        return f"{self.page_origin}/"

    def say(self, sender: str, text: str) -> list[dict]:
        response = requests.post(
            f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def texts(messages: list[dict]) -> str:
    """The bot's replies to one message, as one string."""
    return "\n".join(m.get("text", "") for m in messages)

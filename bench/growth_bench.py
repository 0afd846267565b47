"""Costs that must stay flat as the work grows (issue 30): the Rasa server's start-up
against the number of stored conversations, and one turn's time against the length of
the session it is in. Prints both curves; `make bench` adds them to results.md.

Run alone: python -m bench.growth_bench  (about 3 minutes; the committed model, no
training). Loopback only; every loop is bounded in turns and in time.

- Start-up: the Rasa server of `make run` is stopped, the tracker database is given N
  stored conversations (copies of one real conversation: a case told, a verdict, the
  drafts), and the time from `supervisorctl start rasa` to its first answer is taken.
- Per turn: one patient tells a case, then keeps asking questions for SESSION_TURNS
  turns within one session; each turn's time over REST is taken, and the median of the
  WINDOW turns ending at each mark is printed.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.servers import BIN, Stack  # noqa: E402

STORED = (0, 100, 400)
SESSION_TURNS, WINDOW = 300, 10
MARKS = (10, 50, 100, 150, 200, 250, 300)
FLAT_FACTOR = 2.0  # issue 30: turn 300 within 2x of turn 10
START_LIMIT = 180  # seconds a start may take before the bench gives up
TODAY = "2024-11-22 12:00"
# A real conversation to copy: a case to its verdict, then its drafts and questions.
TEMPLATE = [
    "kaiser my last session was nov 15 and my nov 22 session got canceled",
    "no",
    "no",
    "no",
    "/help",
    '/show_draft{"draft":"grievance"}',
    "show my timeline",
    "what's next?",
    "thanks",
]
# Questions a patient may keep asking: none ends the conversation or starts a form.
QUESTIONS = [
    "what is the 10 day rule",
    "how do i contact the dmhc",
    "what's the strike about",
    "how do i file a grievance",
    "can i see someone out of network",
]


def say(session: requests.Session, url: str, sender: str, text: str) -> float:
    """Seconds one turn took over REST; any failed turn stops the bench."""
    began = time.perf_counter()
    answer = session.post(url, json={"sender": sender, "message": text}, timeout=60)
    elapsed = time.perf_counter() - began
    answer.raise_for_status()
    return elapsed


def copy_conversation(database: Path, sender: str, copies: int) -> None:
    """Make the stored conversations `stored-0` .. `stored-<copies-1>`, each a copy of `sender`'s rows."""
    with sqlite3.connect(database) as db:
        db.execute("delete from events where sender_id like 'stored-%'")
        for n in range(copies):
            db.execute(
                "insert into events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                "select ?, type_name, timestamp, intent_name, action_name, data from events "
                "where sender_id = ? order by id",
                (f"stored-{n}", sender),
            )


def start_up_seconds(stack: Stack) -> float:
    """From `supervisorctl start rasa` to the Rasa server's first answer."""
    ctl = [str(BIN / "supervisorctl"), "-s", f"unix://{stack.workdir}/supervisor.sock"]
    began = time.monotonic()
    starting = subprocess.Popen([*ctl, "start", "rasa"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - began < START_LIMIT:
            try:
                if requests.get(f"http://127.0.0.1:{stack.rasa_port}/", timeout=2).ok:
                    return time.monotonic() - began
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"the Rasa server did not answer within {START_LIMIT}s")
    finally:
        starting.wait(timeout=60)


def start_up_curve(stack: Stack, template_sender: str) -> dict[int, tuple[float, float]]:
    """Stored conversations -> (seconds to the first answer, CPU seconds the new Rasa server used)."""
    curve = {}
    for stored in STORED:
        stack.ctl("stop", "rasa")
        copy_conversation(stack.workdir / "tracker.db", template_sender, stored)
        seconds = start_up_seconds(stack)
        curve[stored] = (seconds, cpu_seconds([stack.pid("rasa")]))
        print(f"  start-up with {stored} stored conversations: {seconds:.2f} s", flush=True)
    return curve


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user and system) the processes have used so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def turn_curve(url: str, servers: list[int]) -> tuple[list[float], list[float]]:
    """Seconds of each question turn in one session of SESSION_TURNS turns after a told case, and
    the servers' CPU seconds after each (on a shared machine the wall time also counts others' work)."""
    session, sender = requests.Session(), "long-session"
    for text in TEMPLATE:
        say(session, url, sender, text)
    wall, cpu = [], [cpu_seconds(servers)]
    for n in range(SESSION_TURNS):
        wall.append(say(session, url, sender, QUESTIONS[n % len(QUESTIONS)]))
        cpu.append(cpu_seconds(servers))
    return wall, cpu


def at_marks(wall: list[float], cpu: list[float]) -> dict[str, dict[int, float]]:
    """At each mark, over the WINDOW turns ending there: the median wall time (ms) and the mean
    CPU time of the Rasa and action servers (ms)."""
    return {
        "wall": {mark: statistics.median(wall[mark - WINDOW : mark]) * 1000 for mark in MARKS},
        "cpu": {mark: (cpu[mark] - cpu[mark - WINDOW]) / WINDOW * 1000 for mark in MARKS},
    }


def measure(workdir: Path) -> dict:
    workdir.mkdir()
    stack = Stack(workdir, TODAY).start()
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
    try:
        print(f"[growth] one session of {SESSION_TURNS} turns", flush=True)
        turns = at_marks(*turn_curve(url, [stack.pid("rasa"), stack.pid("actions")]))
        session = requests.Session()
        for text in TEMPLATE:
            say(session, url, "template", text)
        print("[growth] start-up against stored conversations", flush=True)
        start_up = start_up_curve(stack, "template")
    finally:
        stack.stop()
    return {"start_up": start_up, "turns": turns}


def report(result: dict) -> list[str]:
    start_up, wall, cpu = result["start_up"], result["turns"]["wall"], result["turns"]["cpu"]
    first, last = MARKS[0], MARKS[-1]
    lines = [
        "## Costs against the work (issue 30)",
        "",
        "Start-up: `supervisorctl start rasa` to the Rasa server's first answer, with N stored",
        f"conversations (copies of a {len(TEMPLATE)}-turn case with its verdict and drafts).",
        "",
        "| stored conversations | start-up (s) | its CPU time (s) |",
        "|---|---|---|",
        *[f"| {stored} | {seconds:.2f} | {cpu:.2f} |" for stored, (seconds, cpu) in start_up.items()],
        "",
        f"Per turn: one session, a told case then {SESSION_TURNS} questions over REST. Over the {WINDOW} turns",
        "ending at each turn: the median time a turn took, and the CPU time the Rasa and action servers",
        "used a turn (the steadier figure on a shared machine).",
        "",
        "| turn | ms a turn | server CPU ms a turn | |",
        "|---|---|---|---|",
    ]
    widest = max(cpu.values())
    lines += [
        f"| {mark} | {wall[mark]:.1f} | {cpu[mark]:.1f} | `{'#' * max(1, round(40 * cpu[mark] / widest))}` |"
        for mark in MARKS
    ]
    verdicts = []
    for name, curve in (("time", wall), ("server CPU", cpu)):
        ratio = curve[last] / curve[first]
        verdicts.append(f"{name} {ratio:.2f}× ({'met' if ratio <= FLAT_FACTOR else '**missed**'})")
    lines += [
        "",
        f"Turn {last} / turn {first}, target within {FLAT_FACTOR:g}×: {', '.join(verdicts)}. "
        f"Start-up at {STORED[-1]} / at {STORED[0]} stored: "
        f"{start_up[STORED[-1]][0] / start_up[STORED[0]][0]:.2f}× (CPU {start_up[STORED[-1]][1] / start_up[STORED[0]][1]:.2f}×).",
    ]
    return lines


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = measure(Path(tmp) / "growth")
    print("\n".join(report(result)))


if __name__ == "__main__":
    main()

"""Storage faults reach the patient, through `make run` on loopback (issue 20).

The database sits on a small tmpfs of its own (when this machine lets the test
mount one), so "disk full" is real. Each fault: a turn under it is answered
"not saved" instead of normally, a delete under it says it could not delete,
other requests stay fast, and once the fault is gone the conversation goes on
from its last stored turn. Then no deleted text is left anywhere on disk.

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from .conftest import STACK_TODAY
from .servers import ROOT, Stack, texts

NOT_SAVED = "could not save your last message"
NOT_DELETED = "could not delete this conversation"
CANARY = "zebraquartz4471"
DATES = "my Nov 4 session was canceled, my last one was Oct 28 and they offered me Nov 20"


def mounted_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)], capture_output=True
        ).returncode
        == 0
    )


@pytest.fixture(scope="module")
def faults(tmp_path_factory):
    base = tmp_path_factory.mktemp("faults")
    db_dir = base / "db"
    on_tmpfs = mounted_tmpfs(db_dir, "4m")
    stack = Stack(base / "var", STACK_TODAY, env={"TRACKER_DB": str(db_dir / "tracker.db")})
    stack.workdir.mkdir()
    stack.db, stack.on_tmpfs = db_dir / "tracker.db", on_tmpfs
    try:
        yield stack.start()
    finally:
        stack.stop()
        if on_tmpfs:
            subprocess.run(["umount", "-l", str(db_dir)])


def stored(stack, sender: str) -> int:
    with sqlite3.connect(f"file:{stack.db}?mode=ro", uri=True, timeout=30) as db:
        return db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def quick_health(stack) -> float:
    started = time.monotonic()
    requests.get(f"http://127.0.0.1:{stack.rasa_port}/", timeout=10).raise_for_status()
    return time.monotonic() - started


@contextmanager
def locked(db: Path):
    """Another process holds SQLite's write lock on the file."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sqlite3, sys, time\n"
                f"db = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
                "db.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(60)\n"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    try:
        yield
    finally:
        holder.kill()
        holder.wait()


@contextmanager
def read_only(db: Path):
    """The database and its log made immutable (even root cannot write them)."""
    files = [str(path) for path in db.parent.glob(db.name + "*")]
    subprocess.run(["chattr", "+i", *files], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *files], check=True)


@contextmanager
def full_disk(db: Path):
    filler = db.parent / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    try:
        yield
    finally:
        filler.unlink()


def start_then_ask_to_delete(stack, sender: str) -> int:
    stack.say(sender, f"{DATES}. {CANARY}")
    assert "Delete it?" in texts(stack.say(sender, "please delete my data"))
    return stored(stack, sender)


def check_fault(stack, fault, name: str) -> None:
    patient, deleter = f"{name}-patient", f"{name}-deleter"
    stack.say(patient, DATES)
    before = stored(stack, patient)
    rows = start_then_ask_to_delete(stack, deleter)
    with fault(stack.db):
        started = time.monotonic()
        reply = texts(stack.say(patient, "no"))
        took = time.monotonic() - started
        assert NOT_SAVED in reply and "1-888-466-2219" in reply, reply
        assert quick_health(stack) < 1.0  # a stuck database holds up no one else's request
        erase = texts(stack.say(deleter, "/affirm"))
        # Told either way: "could not delete", or, when the lock kept even the conversation
        # from being read (another program's exclusive lock), "not saved, not acted on".
        assert (NOT_DELETED in erase or NOT_SAVED in erase) and "Done" not in erase, erase
    assert took < 10
    assert stored(stack, patient) == before  # nothing stored, and the patient was told
    assert stored(stack, deleter) == rows  # nothing deleted, and the patient was told
    assert "Oct 28" in texts(stack.say(patient, "no"))  # it goes on from the last stored turn
    assert "Delete it?" in texts(stack.say(deleter, "please delete my data"))
    assert "Done" in texts(stack.say(deleter, "/affirm"))
    assert stored(stack, deleter) == 0


def test_locked_database(faults):
    check_fault(faults, locked, "locked")


def test_read_only_database(faults):
    check_fault(faults, read_only, "readonly")


def test_full_disk(faults):
    if not faults.on_tmpfs:
        pytest.skip("cannot mount a small tmpfs here (needs CAP_SYS_ADMIN)")
    check_fault(faults, full_disk, "full")


def forget_all(stack) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "forget", "DAYS=0"],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_forget_under_a_locked_database_says_it_failed(faults):
    faults.say("forget-locked", "hello")
    with locked(faults.db):
        result = forget_all(faults)
    assert result.returncode != 0 and "could not delete" in result.stderr
    assert "Deleted" not in result.stdout
    assert stored(faults, "forget-locked") > 0


def files_with(text: str, *folders: Path) -> list[str]:
    return [
        str(path)
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and text.encode() in path.read_bytes()
    ]


def test_no_deleted_text_on_disk_after_a_delete_or_make_forget(faults):
    # Every conversation above was deleted on request: none of it is on disk.
    assert files_with(CANARY, faults.workdir, faults.db.parent) == []
    faults.say("forget-me", f"hello {CANARY}forget")
    assert files_with(f"{CANARY}forget", faults.db.parent)  # it was stored
    assert forget_all(faults).returncode == 0
    assert stored(faults, "forget-me") == 0
    assert files_with(CANARY, faults.workdir, faults.db.parent) == []


def test_nothing_falls_back_to_memory(faults):
    log = faults.log("rasa")
    assert "InMemoryTrackerStore" not in log
    assert "Conversation storage failed" in log
    assert CANARY not in log and "Oct 28" not in log


def test_database_deleted_while_running(faults):
    for path in faults.db.parent.glob(faults.db.name + "*"):
        path.unlink()
    reply = texts(faults.say("deleted-patient", "hello"))
    assert NOT_SAVED in reply
    assert not faults.db.exists()  # not quietly recreated empty
    shutil.rmtree(faults.db.parent / "none", ignore_errors=True)

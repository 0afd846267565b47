"""The terminal channel: `make shell` in a pseudo-terminal, answered by the real action server."""

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time

import pytest

from .servers import ROOT, free_port

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`


def read_until(fd, wanted: str, timeout: float) -> str:
    seen, deadline = "", time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 65536).decode(errors="replace")
            except OSError:
                break
    return seen


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


COLUMNS = 80


def terminal_pty() -> tuple[int, int]:
    """A pseudo-terminal of an ordinary width: the greeting must wrap, not be cut."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, COLUMNS, 0, 0))
    return leader, follower


def test_make_shell_greets_and_shows_titled_choices(tmp_path):
    leader, follower = terminal_pty()
    env = {
        **os.environ,
        "ACTION_PORT": str(free_port()),
        "SHELL_PORT": str(free_port()),
        "CARE_CLOCK_VAR": str(tmp_path),
        "TERM": "xterm",
    }
    env.pop("ACTION_SERVER_URL", None)
    env.pop("TRACKER_DB", None)
    shell = subprocess.Popen(
        ["make", "--no-print-directory", "shell"],
        cwd=ROOT,
        env=env,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    try:
        greeting = ANSI.sub("", read_until(leader, "Type out your own message", 240))
        text = greeting.split("Bot loaded")[-1].split("Choose one")[0]  # the bot's words, not set-up notices
        # Like the other channels: the whole greeting, not-advice note and 988 included, wrapped at
        # words, before its buttons and before the patient types anything.
        assert "not legal or medical advice" in " ".join(text.split()) and "988" in text
        assert "Choose one" in greeting and greeting.index("Choose one") > greeting.index("988")
        assert max(len(line) for line in text.replace("\r", "").splitlines()) <= COLUMNS
        assert "1: My appointment was canceled" in greeting
        assert "/" not in greeting.split("1: My appointment was canceled")[1].split("\n")[0]  # no payload
        assert "Warning" not in greeting and "DeprecationWarning" not in greeting  # no warning wall
        os.write(leader, b"\r")  # choose 1
        # action_start_report runs on the action server the shell script started
        assert "kind of appointment" in read_until(leader, "kind of appointment", 60)
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{env['SHELL_PORT']}"], capture_output=True, text=True)
        local_addresses = [line.split()[3] for line in listening.stdout.splitlines()]
        assert local_addresses and all(address.startswith("127.0.0.1:") for address in local_addresses)
    finally:
        os.killpg(shell.pid, signal.SIGTERM)
        shell.wait(timeout=30)
        os.close(leader)
    leftovers = subprocess.run(["pgrep", "-f", f"--port {env['ACTION_PORT']}"], capture_output=True, text=True)
    assert leftovers.stdout.strip() == ""  # the shell's action server stopped with it


def test_the_terminal_saves_files_names_pictures_and_wraps_at_words(tmp_path, monkeypatch, capsys):
    import base64

    from bot.patches.console import print_bot_output

    monkeypatch.setenv("CARE_CLOCK_VAR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "60")
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    data_url = "data:text/calendar;base64," + base64.b64encode(ics).decode()
    calendar = {"data": {"calendar": {"filename": "../care-clock-dates.ics", "data_url": data_url}}}
    print_bot_output({"custom": calendar})
    print_bot_output({"text": "The same as a calendar: ...", "image": "data:image/svg+xml;base64," + "A" * 9000})
    long = "Call the DMHC Help Center at 1-888-466-2219 or the CDI Consumer Hotline at 1-800-927-4357 today. " * 3
    print_bot_output({"text": long, "buttons": [{"title": "Why?", "payload": "/ask_why"}]})
    shown = ANSI.sub("", capsys.readouterr().out)
    saved = tmp_path / "downloads" / "care-clock-dates.ics"  # a name only: no way out of the folder
    assert saved.read_bytes() == ics and str(saved) in shown.replace("\n", "")
    assert "base64" not in shown and "AAAA" not in shown and "picture" in shown
    lines = shown.splitlines()
    assert all(len(line) <= 60 for line in lines if str(tmp_path) not in line)  # a path has no place to break
    assert "1-888-466-2219" in shown and "1-800-927-4357" in shown  # never split
    assert lines[-1] == "1: Why?"  # the buttons after their text

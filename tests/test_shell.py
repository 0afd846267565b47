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

from .servers import ROOT, free_port


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


def wide_pty() -> tuple[int, int]:
    """A pseudo-terminal wide enough that the greeting is not wrapped."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 400, 0, 0))
    return leader, follower


def test_make_shell_greets_and_shows_titled_choices(tmp_path):
    leader, follower = wide_pty()
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
        # Like the other channels: the not-advice note and 988, before the patient types anything.
        assert "not legal or medical advice" in greeting and "988" in greeting
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

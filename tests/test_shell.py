"""The terminal channel: `make shell` in a pseudo-terminal, answered by the real action server."""
import os
import pty
import select
import signal
import subprocess
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


def test_shell_answers_through_the_action_server(tmp_path):
    leader, follower = pty.openpty()
    env = {**os.environ, "ACTION_PORT": str(free_port()), "SHELL_PORT": str(free_port()),
           "TRACKER_DB": str(tmp_path / "tracker.db"), "TERM": "xterm"}
    env.pop("ACTION_SERVER_URL", None)
    shell = subprocess.Popen(["bash", "scripts/shell.sh"], cwd=ROOT, env=env, stdin=follower, stdout=follower,
                             stderr=follower, start_new_session=True)
    os.close(follower)
    try:
        assert "Your input" in read_until(leader, "Your input", 240)
        os.write(leader, b"what can you do?\r")
        # action_what_can_you_do runs on the action server the shell script started
        assert "waiting-time rules" in read_until(leader, "waiting-time rules", 60)
    finally:
        os.killpg(shell.pid, signal.SIGTERM)
        shell.wait(timeout=30)
        os.close(leader)
    leftovers = subprocess.run(["pgrep", "-f", f"--port {env['ACTION_PORT']}"], capture_output=True, text=True)
    assert leftovers.stdout.strip() == ""  # the shell's action server stopped with it

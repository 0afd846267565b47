"""The engine (care_clock/) stands alone: no Rasa, no action server, no bot code in it (issue 29)."""

import subprocess
import sys

IMPORT_ALL = """
import importlib, pkgutil, sys
import care_clock
for module in pkgutil.walk_packages(care_clock.__path__, "care_clock."):
    importlib.import_module(module.name)
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_every_engine_module_imports_without_rasa_or_the_chat_layers():
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, timeout=120, check=True)
    loaded = set(done.stdout.split())
    assert "care_clock" in loaded
    assert not loaded & {"rasa", "rasa_sdk", "actions", "bot", "tensorflow", "sanic"}


def test_the_old_command_line_name_still_runs_for_this_release():
    for module in ("care_clock", "actions.rights"):
        done = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "python -m care_clock" in done.stdout

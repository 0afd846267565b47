"""python -m actions.rights check: answers, JSON, and one-line errors with status 2."""
import json
import subprocess
import sys

import pytest

from .conftest import ROOT


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "actions.rights", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_strike_scenario_in_words():
    result = run_cli("check", "--kind", "followup", "--start", "2024-10-28", "--offered", "2024-11-20")
    assert result.returncode == 0
    assert "late by 6 business days" in result.stdout
    assert "Tuesday, November 12, 2024" in result.stdout


@pytest.mark.parametrize("start", ["2024-10-28", "10/28/2024", "Oct 28 2024"])
def test_json_output_with_each_date_format(start):
    result = run_cli("check", "--kind", "followup", "--start", start, "--offered", "Nov 20 2024", "--json")
    data = json.loads(result.stdout)
    assert (data["deadline"], data["status"], data["business_days_late"]) == ("2024-11-12", "late", 6)
    assert data["holidays_skipped"] == [{"date": "2024-11-11", "name": "Veterans Day"}]
    assert (data["deadline_latest"], data["disputed_days"]) == ("2024-11-12", [])
    assert "out_of_network" in data["next_steps"]


def test_today_flag_gives_pending():
    result = run_cli("check", "--kind", "psychiatry", "--start", "2024-11-20", "--today", "2024-12-02", "--json")
    data = json.loads(result.stdout)
    # Thanksgiving closes everyone; the day after closes state offices only, so it is counted.
    assert (data["status"], data["business_days_left"], data["deadline"]) == ("pending", 8, "2024-12-12")
    assert (data["deadline_latest"], data["disputed_days"]) == ("2024-12-13", ["2024-11-29"])


def test_urgent_json_deadline_is_a_date_time():
    result = run_cli("check", "--kind", "urgent", "--start", "2024-11-04 15:00", "--prior-auth",
                     "--today", "2024-11-05 09:00", "--json")
    assert json.loads(result.stdout)["deadline"] == "2024-11-08T15:00:00"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kind", "followup", "--start", "2024-02-30"], "is not a date"),
        (["--kind", "followup", "--start", "2024-10-28", "--offered", "2024-10-01"], "before the last appointment"),
        (["--kind", "initial", "--start", "2099-01-05", "--today", "2024-11-08"], "after today"),
        (["--kind", "dentist", "--start", "2024-10-28"], "unknown kind"),
        (["--kind", "followup", "--start", "Oct 28"], "has no year"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_status_2(args, message):
    result = run_cli("check", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_missing_required_flag_is_status_2():
    result = run_cli("check", "--kind", "followup")
    assert result.returncode == 2
    assert "--start" in result.stderr

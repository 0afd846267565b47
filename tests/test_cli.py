"""python -m care_clock check: answers, JSON, and one-line errors with status 2."""

import json
import subprocess
import sys

import pytest

from .conftest import ROOT


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "care_clock", *args], capture_output=True, text=True, cwd=ROOT)


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
    result = run_cli(
        "check",
        "--kind",
        "urgent",
        "--start",
        "2024-11-04 15:00",
        "--prior-auth",
        "--today",
        "2024-11-05 09:00",
        "--json",
    )
    assert json.loads(result.stdout)["deadline"] == "2024-11-08T15:00:00"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kind", "followup", "--start", "2024-02-30"], "is not a date"),
        (["--kind", "followup", "--start", "2024-10-28", "--offered", "2024-10-01"], "before the last appointment"),
        (["--kind", "initial", "--start", "2099-01-05", "--today", "2024-11-08"], "after today"),
        (["--kind", "dentist", "--start", "2024-10-28"], "Unknown kind"),
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


# --- clocks and timeline ------------------------------------------------------


def test_clocks_in_words_with_rule_and_source():
    result = run_cli("clocks", "--filed", "2024-11-25", "--decision", "2024-12-20")
    assert result.returncode == 0
    *lines, not_advice = result.stdout.splitlines()
    assert not_advice == "General information, not legal advice."
    assert [line.split(" (")[0] for line in lines] == [
        "- Saturday, November 30, 2024",
        "- Friday, December 20, 2024",
        "- Wednesday, December 25, 2024",
        "- Thursday, December 26, 2024",
        "- Friday, June 20, 2025",
    ]
    assert "Cal. Health & Safety Code §1368.01(a)" in lines[2]
    assert "as reported" in lines[0]


def test_clocks_json_expedited():
    result = run_cli("clocks", "--filed", "11/25/2024", "--expedited", "--json")
    dates = {c["id"]: c["date"] for c in json.loads(result.stdout)}
    assert dates == {
        "dmhc_when_expedited": "2024-11-25",
        "expedited_status": "2024-11-28",
        "grievance_acknowledgement": "2024-11-30",
    }


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "give at least one date"),
        (["--filed", "2024-11-31"], "is not a date"),
        (["--filed", "2024-12-20", "--decision", "2024-11-25"], "before the grievance was filed"),
    ],
)
def test_clocks_bad_input_is_one_line_and_status_2(args, message):
    result = run_cli("clocks", *args)
    assert result.returncode == 2 and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_timeline_json_three_cancellations(tmp_path):
    result = run_cli(
        "timeline",
        "--today",
        "2024-11-22",
        "--json",
        "--svg",
        str(tmp_path / "c.svg"),
        "--ics",
        str(tmp_path / "c.ics"),
        "--event",
        "attended 2024-10-28",
        "--event",
        "canceled 2024-11-04 by=plan",
        "--event",
        "canceled 2024-11-08 by=provider",
        "--event",
        "call 2024-11-12 who=Ana reference=KP-4411",
        "--event",
        "canceled 2024-11-15 by=plan",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["episodes"] == [
        {"anchor": "e1", "deadline": "2024-11-12", "status": "overdue", "met": False, "counted": None}
    ]
    assert data["next"][0]["source"] == "grievance_window" and data["next"][0]["until"] == "2025-05-12"
    assert data["case"]["events"][3] == {
        "id": "e4",
        "kind": "call",
        "date": "2024-11-12",
        "certainty": "exact",
        "who": "Ana",
        "reference": "KP-4411",
    }
    assert (tmp_path / "c.svg").read_bytes().startswith(b"<?xml") and b"BEGIN:VCALENDAR" in (
        tmp_path / "c.ics"
    ).read_bytes()


def test_timeline_in_words_ends_with_whats_next():
    result = run_cli("timeline", "--today", "2024-11-20", "--event", "attended 2024-11-15")
    assert result.returncode == 0
    *_, last_step, blank, not_advice = result.stdout.splitlines()
    assert last_step.startswith("- Monday, December 2, 2024: Your plan's deadline")
    assert not blank and not_advice == "General information, not legal advice."


@pytest.mark.parametrize(
    "event, message",
    [
        ("attended", "needs a kind and a date"),
        ("attended 2024-11-01 by=plan", "takes no 'by'"),
        ("canceled 2024-11-01 plan", "is not key=value"),
        ("canceled 2024-11-01 colour=red", "does not take"),
    ],
)
def test_timeline_bad_event_is_one_line_and_status_2(event, message):
    result = run_cli("timeline", "--event", event)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


# --- --lang es ----------------------------------------------------------------


def test_spanish_verdict_and_json():
    result = run_cli("check", "--lang", "es", "--kind", "followup", "--start", "2024-10-28", "--offered", "2024-11-20")
    assert result.returncode == 0
    assert "6 días hábiles tarde" in result.stdout and "martes, 12 de noviembre de 2024" in result.stdout
    assert "Tuesday" not in result.stdout and "Next steps" not in result.stdout
    data = json.loads(run_cli("check", "--lang", "es", "--kind", "followup", "--start", "2024-10-28", "--json").stdout)
    assert data["deadline"] == "2024-11-12" and "días hábiles" in data["rule"]


def test_spanish_draft_timeline_and_clocks():
    draft = run_cli("draft", "grievance", "--lang", "es", "--kind", "followup", "--start", "2024-10-28")
    assert draft.returncode == 0 and "martes, 12 de noviembre de 2024" in draft.stdout
    assert "November" not in draft.stdout
    timeline = run_cli("timeline", "--lang", "es", "--today", "2024-11-20", "--event", "attended 2024-11-15")
    assert timeline.stdout.startswith("Tu cronología") and "Lo que sigue y cuándo:" in timeline.stdout
    clocks = run_cli("clocks", "--lang", "es", "--filed", "2024-11-25")
    assert "miércoles, 25 de diciembre de 2024" in clocks.stdout and "Wednesday" not in clocks.stdout


def test_spanish_ics_says_where_it_wrote(tmp_path):
    out = tmp_path / "plazo.ics"
    result = run_cli("ics", "--lang", "es", "--kind", "followup", "--start", "2024-10-28", "--out", str(out))
    assert result.returncode == 0 and result.stderr == f"escribí {out}\n"
    assert "Fecha límite" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "--kind", "followup", "--start", "2024-02-30"], "no es una fecha"),
        (["check", "--kind", "followup", "--start", "Oct 28"], "no tiene año"),
        (["check", "--kind", "urgent", "--start", "soon"], "no es una fecha con hora"),
        (["check", "--kind", "dentist", "--start", "2024-10-28"], "Tipo de cita desconocido 'dentist'"),
        (["check", "--kind", "followup", "--start", "2024-10-28", "--coverage", "x"], "Cobertura desconocida"),
        (["check", "--kind", "initial", "--start", "2099-01-05", "--today", "2024-11-08"], "es después de hoy"),
        (["draft", "poem", "--kind", "followup", "--start", "2024-10-28"], "Borrador desconocido 'poem'"),
        (["clocks"], "Da al menos una fecha"),
        (["timeline", "--event", "attended"], "necesita un tipo y una fecha"),
        (["timeline", "--event", "attended 2024-11-01 by=plan"], "no lleva 'by'"),
        (["timeline", "--event", "canceled 2024-11-01 plan"], "no tiene la forma clave=valor"),
        (["timeline", "--event", "filed 2024-11-01"], "Di qué se presentó"),
    ],
)
def test_spanish_errors_are_one_line_in_spanish(args, message):
    result = run_cli(*args[:1], "--lang", "es", *args[1:])
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_unknown_language_is_a_clear_error():
    result = run_cli("check", "--lang", "fr", "--kind", "followup", "--start", "2024-10-28")
    assert result.returncode == 2 and "--lang" in result.stderr and "'en', 'es'" in result.stderr

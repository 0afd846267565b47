"""The guidance data: complete, cited, and rejected with a clear line when broken."""

import datetime as dt
import re
import subprocess
import sys

import pytest
import yaml

from care_clock import SeedError
from care_clock.facts import load_guidance_from

from .conftest import ROOT


def test_every_kind_has_a_cited_standard(guidance):
    for kind, standard in guidance.standards.items():
        assert standard.sources, kind
        assert standard.limit > 0


def test_cited_seed_articles_exist():
    articles = ROOT.parent / "shared" / "seeds"
    if not articles.is_dir():
        pytest.skip("the shared seed articles are not beside this checkout")
    guidance = load_guidance_from(ROOT / "seeds")
    for source in guidance.sources.values():
        for name in source.articles:
            assert (articles / name).is_file(), f"{source.id} cites missing article {name}"


def test_contacts_carry_the_published_numbers(guidance):
    help_center = guidance.contacts["dmhc_help_center"]
    assert (help_center["phone"], help_center["tdd"]) == ("1-888-466-2219", "1-877-688-9891")
    assert guidance.crisis["lifeline"]["phone"] == "988"
    assert guidance.crisis["emergency"]["phone"] == "911"


def _edit(folder, name, change):
    path = folder / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


@pytest.mark.parametrize(
    "name, change, where",
    [
        ("standards.yml", lambda d: d["standards"]["followup"].pop("limit"), "standards.followup.limit: missing"),
        (
            "standards.yml",
            lambda d: d["standards"]["followup"].update(limit=-3),
            "standards.followup.limit: must be a positive",
        ),
        (
            "standards.yml",
            lambda d: d["standards"]["initial"].update(unit="weeks"),
            "standards.initial.unit: must be one of",
        ),
        (
            "standards.yml",
            lambda d: d["standards"]["urgent"].update(sources=["nowhere"]),
            "standards.urgent.sources[0]: unknown source",
        ),
        (
            "sources.yml",
            lambda d: d["sources"]["sb_221"].update(url="leginfo"),
            "sources.sb_221.url: must be a web address",
        ),
        ("crisis.yml", lambda d: d["patterns"]["en"]["ideation"].append("(unclosed"), "patterns.en.ideation["),
        ("next_steps.yml", lambda d: d["by_status"].pop("late"), "by_status.late: missing"),
        ("rights.yml", lambda d: d["rights"]["grievance"].update(answer=""), "rights.grievance.answer: is empty"),
        ("holidays.yml", lambda d: d["holidays"]["juneteenth"].update(closes="county"), "holidays.juneteenth.closes"),
        (
            "holidays.yml",
            lambda d: d["holidays"]["christmas"].update(sources=["wikipedia"]),
            "holidays.christmas.sources[0]: unknown source",
        ),
        ("holidays.yml", lambda d: d["holidays"]["christmas"]["date"].update(day=32), "holidays.christmas.date.day"),
        ("coverage.yml", lambda d: d["coverage"].pop("medicare"), "coverage.medicare: missing"),
        ("coverage.yml", lambda d: d["coverage"]["cdi"].update(contacts=["nobody"]), "coverage.cdi.contacts[0]"),
        ("coverage.yml", lambda d: d["coverage"]["cdi"]["cites"].update(hsc_1367_03="nowhere"), "coverage.cdi.cites"),
        # Issue 27: every fact dated.
        ("sources.yml", lambda d: d["sources"]["sb_221"].pop("checked"), "sources.sb_221.checked: missing"),
        (
            "sources.yml",
            lambda d: d["sources"]["sb_221"].update(checked="2026-13-03"),
            "sources.sb_221.checked: must be a date (YYYY-MM-DD), got '2026-13-03'",
        ),
        (
            "sources.yml",
            lambda d: d["sources"]["plan_oon_steps"].update(certainty="maybe"),
            "sources.plan_oon_steps.certainty: must be one of secondary, unverified",
        ),
        (
            "standards.yml",
            lambda d: d["standards"]["initial"].pop("in_force_from"),
            "standards.initial.in_force_from: missing",
        ),
        (
            "standards.yml",
            lambda d: d["standards"]["followup"].update(in_force_from="July 2022"),
            "standards.followup.in_force_from: must be a date (YYYY-MM-DD), got 'July 2022'",
        ),
        (
            "rights.yml",
            lambda d: d["rights"]["imr"].update(in_force_from="soon"),
            "rights.imr.in_force_from: must be a date",
        ),
        (
            "contacts.yml",
            lambda d: d["contacts"]["dmhc_help_center"].pop("in_force_from"),
            "contacts.dmhc_help_center.in_force_from: missing",
        ),
        ("contacts.yml", lambda d: d["crisis"]["lifeline"].update(in_force_from=2022), "crisis.lifeline.in_force_from"),
    ],
)
def test_a_broken_seeds_file_names_the_file_and_key(seeds_copy, name, change, where):
    _edit(seeds_copy, name, change)
    with pytest.raises(SeedError) as error:
        load_guidance_from(seeds_copy)
    assert str(error.value).startswith(name + ": ")
    assert where in str(error.value)


def test_a_missing_file_is_reported(seeds_copy):
    (seeds_copy / "rights.yml").unlink()
    with pytest.raises(SeedError, match=r"rights.yml: \(file\): not found"):
        load_guidance_from(seeds_copy)


def test_cli_reports_a_broken_seeds_file_in_one_line(seeds_copy):
    (seeds_copy / "standards.yml").write_text("standards: [oops")
    result = subprocess.run(
        [sys.executable, "-m", "care_clock", "check", "--kind", "followup", "--start", "2024-10-28"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"CARE_CLOCK_SEEDS": str(seeds_copy), "PATH": ""},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: standards.yml: (file): not valid YAML")
    assert "Traceback" not in result.stderr


def test_domain_crisis_answer_uses_the_numbers_in_seeds(guidance):
    """The writer's crisis answer gives 988 and 911; the answer to danger from someone else gives 911
    first and the domestic violence hotline (issue 26)."""
    variations = yaml.safe_load((ROOT / "bot/domain/crisis.yml").read_text())["responses"]["utter_crisis"]
    text = variations[0]["text"]
    for rid in ("lifeline", "emergency"):
        assert re.search(rf"\b{guidance.crisis[rid]['phone']}\b", text)
    danger = [
        v["text"]
        for v in variations
        if {"name": "crisis_kind", "type": "slot", "value": "danger"} in v.get("condition", [])
    ]
    assert len(danger) == 2
    for text in danger:
        assert text.index("911") < text.index("988")
        assert guidance.crisis["domestic_violence"]["phone"] in text


def test_every_phone_number_in_the_domain_is_one_from_seeds(guidance):
    known = {guidance.contacts["dmhc_help_center"][key] for key in ("phone", "tdd")}
    known |= {resource["phone"] for resource in guidance.crisis.values()}
    found = set()
    for path in (ROOT / "bot/domain").glob("*.yml"):
        for variants in (yaml.safe_load(path.read_text()).get("responses") or {}).values():
            for variant in variants:
                found |= set(re.findall(r"\b1-\d{3}-\d{3}-\d{4}\b|\b988\b|\b911\b", variant.get("text", "")))
    assert found and found <= known, found - known


def test_outage_answer_gives_the_dmhc_help_center_number(guidance):
    domain = yaml.safe_load((ROOT / "bot/domain/core.yml").read_text())
    text = domain["responses"]["utter_action_server_down"][0]["text"]
    assert guidance.contacts["dmhc_help_center"]["phone"] in text


def test_every_url_in_sources_comes_from_the_reference(guidance):
    reference = ROOT.parent / "shared" / "reference"
    if not reference.is_dir():
        pytest.skip("the shared reference is not beside this checkout")
    text = "".join(p.read_text() for p in reference.glob("*.md"))
    for source in guidance.sources.values():
        if source.id in CHECKED_OUTSIDE_REFERENCE:
            continue
        assert source.read_on is None or source.read_on in text, f"{source.id}: {source.read_on}"
        if source.read_on:
            continue  # its url is the official page of the section the reference read on a copy
        assert source.url is None or source.url in text, f"{source.id}: {source.url}"


OFFICIAL_SECTION = re.compile(
    r"https://leginfo\.legislature\.ca\.gov/faces/codes_displaySection\.xhtml\?lawCode=(HSC|INS|GOV|WIC|CIV|BPC)&sectionNum=([\d.]+)$"
)


def test_a_statute_links_to_the_legislatures_own_page_of_its_section(guidance):
    """Issue 27: official sources first; a copy is kept as `read_on`, never as the link."""
    codes = {"HSC": "Health & Safety", "INS": "Insurance", "GOV": ("Gov.", "Government"), "WIC": "Welfare"}
    for source in guidance.sources.values():
        if not source.read_on:
            continue
        found = OFFICIAL_SECTION.match(source.url or "")
        assert found, f"{source.id}: {source.url}"
        code, section = found.groups()
        assert f"§{section}" in source.cite and any(
            name in source.cite for name in (codes[code] if isinstance(codes[code], tuple) else (codes[code],))
        ), source.id


# Crisis resources the reference does not cover, checked on public pages on the day given in
# seeds/contacts.yml (issue 26 asks for the domestic violence hotline and the facts about 988), and
# Medicare's own grievance days (issue 27), read on CMS's page on 2026-12-02 (as stored copies).
CHECKED_OUTSIDE_REFERENCE = {
    "lifeline_988_network",
    "when_to_call_911",
    "ask_directly",
    "dv_hotline",
    "dv_hotline_spanish",
    "cms_ma_grievances",
    # Holidays the reference leaves out (issue 27): Juneteenth's federal start and the one-off federal
    # closures by executive order, read on the pages named on 2026-12-02.
    "juneteenth_act",
    "opm_closure_2025_01_09",
    "eo_closure_2024_12_24_reported",
    "eo_closures_2025_12_reported",
    # Issue 28: the pharmacist's refill when the prescriber cannot be reached, read on the
    # legislature's own page of the section on 2026-12-02.
    "bpc_4064",
    # Issue 27: HICAP's statewide line, read on a local HICAP office's page on 2026-12-03 and marked
    # secondary (the reference names HICAP but not its number; no state page with it was found).
    "hicap_phone",
}


def test_corrected_facts(guidance):
    strike = guidance.strike["over"]
    assert "It is over" in strike and "May 4, 2025" in strike and "13th week" not in strike
    assert "substance use disorder" in guidance.standards["followup"].rule
    assert "professionally recognized standards" in guidance.exception["summary"]
    assert "denied, modified or delayed" in guidance.rights["imr"]["answer"]
    assert "6 months" in guidance.rights["grievance"]["answer"] and "180" not in guidance.rights["grievance"]["answer"]
    assert "medication follow-up with a psychiatrist" in guidance.standards["psychiatry"].rule


# --- Issue 27: every fact dated --------------------------------------------------------------


def test_every_source_was_checked_on_a_day_not_in_the_future(guidance):
    for source in guidance.sources.values():
        assert isinstance(source.checked, dt.date), source.id
        assert source.checked <= dt.date.today(), f"{source.id}: checked {source.checked} is in the future"
        assert source.certainty in (None, "secondary", "unverified"), source.id


def test_sources_the_reference_marks_as_only_reported_say_so(guidance):
    for sid in ("plan_oon_steps", "sb_855_notice", "grievance_ack_secondary", "ab_1801_secondary", "strike_terms_2025"):
        assert guidance.sources[sid].certainty == "secondary", sid
    assert guidance.sources["cohs_unlicensed"].certainty == "unverified"
    for sid in ("hsc_1367_03", "sb_221", "dmhc_complaint", "dmhc_imr"):
        assert guidance.sources[sid].certainty is None, sid


def _entries(name, *keys):
    data = yaml.safe_load((ROOT / "seeds" / name).read_text())
    return [(f"{name}: {key}.{eid}", node) for key in keys for eid, node in data[key].items()]


DATED = (
    _entries("standards.yml", "standards")
    + _entries("clocks.yml", "clocks")
    + _entries("rights.yml", "rights")
    + _entries("contacts.yml", "contacts", "crisis")
)


@pytest.mark.parametrize("where, node", DATED, ids=[where for where, _ in DATED])
def test_every_standard_clock_right_and_contact_says_when_it_took_effect(where, node):
    assert "in_force_from" in node, where
    value = node["in_force_from"]
    assert value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)), where


def test_the_loader_exposes_the_dates(guidance):
    assert guidance.standards["followup"].in_force_from == dt.date(2022, 7, 1)  # SB 221
    assert guidance.standards["initial"].in_force_from is None
    assert "in_force_from" in guidance.rights["imr"] and "in_force_from" in guidance.contacts["dmhc_help_center"]

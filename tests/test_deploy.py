"""The deployables in deploy/ stay in step with `make run-cluster`, checked offline.

No Docker daemon, registry or Kubernetes is reachable here: these checks parse
the files and compare them with what the cluster command runs (the same
commands, flags, variables, pinned versions and proxy rules).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
CLUSTER_CONF = (ROOT / "bot" / "supervisord-cluster.conf").read_text()
RUN_CLUSTER = (ROOT / "scripts" / "run_cluster.sh").read_text()


def supervised_command(program: str) -> str:
    """One program's command in bot/supervisord-cluster.conf, continuation lines joined."""
    section = CLUSTER_CONF.split(f"[program:{program}]", 1)[1].split("\n[", 1)[0]
    lines = section.split("command = ", 1)[1].splitlines()
    command = [lines[0]] + [line for line in lines[1:] if line.startswith("  ")]
    return " ".join(part.strip() for part in command).replace("setpriv --pdeathsig TERM ", "")


def dockerfile_command(name: str) -> str:
    cmd = re.search(r"^CMD (\[.*\])$", (DEPLOY / name).read_text(), re.MULTILINE).group(1)
    return yaml.safe_load(cmd)[0].split("exec ", 1)[1]


def flags(command: str) -> dict[str, str]:
    """{flag: value} of a command, variables (shell's or supervisord's) made equal."""
    words = shlex.split(re.sub(r"%\([^)]*\)[sd]|\"?\$[A-Z_]+\"?", "VALUE", command))
    found = {"program": " ".join(words[:3])}
    for index, word in enumerate(words):
        if word.startswith("--"):
            nxt = words[index + 1] if index + 1 < len(words) else ""
            found[word] = "" if nxt.startswith("--") else nxt
    return found


def test_the_images_run_the_cluster_commands():
    rasa, actions = flags(dockerfile_command("Dockerfile.rasa")), flags(dockerfile_command("Dockerfile.actions"))
    assert rasa.keys() == flags(supervised_command("rasa")).keys()
    assert rasa["--endpoints"] == "bot/endpoints.yml" and rasa["program"] == "python -m bot.server"
    assert actions == flags(supervised_command("actions"))


def test_the_images_are_the_pinned_official_ones():
    pins = dict(
        line.split("==")
        for line in (ROOT / "requirements.in").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert f"FROM rasa/rasa:{pins['rasa']}" in (DEPLOY / "Dockerfile.rasa").read_text()
    assert f"FROM rasa/rasa-sdk:{pins['rasa-sdk']}" in (DEPLOY / "Dockerfile.actions").read_text()
    for dockerfile in ("Dockerfile.rasa", "Dockerfile.actions"):
        for package, version in re.findall(r"([a-z][a-z0-9-]+)==([0-9.]+)", (DEPLOY / dockerfile).read_text()):
            assert pins.get(package) == version, (dockerfile, package)


def test_compose_has_every_service_with_health_checks():
    compose = yaml.safe_load((DEPLOY / "compose.yml").read_text())
    services = compose["services"]
    assert {"redis", "postgres", "actions", "rasa-1", "rasa-2", "proxy", "web"} <= services.keys()
    for name in ("redis", "postgres", "actions", "rasa-1", "rasa-2", "proxy"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("rasa-1", "rasa-2"):
        assert {"redis", "postgres", "actions"} <= services[name]["depends_on"].keys()


@pytest.mark.parametrize("where", ["compose", "helm"])
def test_the_same_variables_as_the_cluster_command(where):
    """Every variable a deployable sets for Rasa is one the cluster command sets too."""
    if where == "compose":
        names = set(yaml.safe_load((DEPLOY / "compose.yml").read_text())["services"]["rasa-1"]["environment"])
    else:
        names = {entry["name"] for entry in yaml.safe_load((DEPLOY / "helm" / "values.yml").read_text())["extraEnv"]}
    cluster_side = (
        RUN_CLUSTER
        + CLUSTER_CONF
        + "".join((ROOT / "scripts" / name).read_text() for name in ("common.sh", "credentials.sh"))
    )
    for name in names:
        assert name in cluster_side, name
    assert {"CARE_CLOCK_REDIS_URL", "CARE_CLOCK_DATABASE_URL", "ACTION_SERVER_URL", "TICKET_LOCK_LIFETIME"} <= names


def test_helm_values_name_the_bots_stores_and_probes():
    values = yaml.safe_load((DEPLOY / "helm" / "values.yml").read_text())
    endpoints = yaml.safe_load((ROOT / "bot" / "endpoints.yml").read_text())
    stores = values["applicationSettings"]["endpoints"]
    assert stores["trackerStore"]["type"] == endpoints["tracker_store"]["type"]
    assert stores["lockStore"]["type"] == endpoints["lock_store"]["type"]
    assert values["replicaCount"] >= 2
    assert values["livenessProbe"]["httpGet"]["path"] == values["readinessProbe"]["httpGet"]["path"] == "/"
    assert flags(values["args"][0].split("exec ", 1)[1]) == flags(dockerfile_command("Dockerfile.rasa"))


def proxy_rules(text: str) -> list[str]:
    """The proxy's directives, without addresses, paths and ports (which differ by design)."""
    rules = []
    for line in text.splitlines():
        line = line.strip().replace("\\$", "$")
        if not line or line.startswith(
            ("#", "$(", "server ", "listen ", "pid ", "client_body_temp_path", "proxy_temp_path")
        ):
            continue
        rules.append(line)
    return rules


def test_the_compose_proxy_has_the_cluster_proxys_rules():
    generated = RUN_CLUSTER.split("<<NGINX\n", 1)[1].split("\nNGINX\n", 1)[0]
    assert proxy_rules((DEPLOY / "nginx.conf").read_text()) == proxy_rules(generated)

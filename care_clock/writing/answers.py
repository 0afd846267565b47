"""Answers to rights questions, assembled from seeds/ with their sources."""

from __future__ import annotations

import datetime as dt

from care_clock.errors import InputError
from care_clock.facts import Guidance, load_guidance
from care_clock.law.verdict import now_in_california
from care_clock.writing.localize import in_language
from care_clock.writing.wording import say


def _sources_line(guidance: Guidance, source_ids, language: str) -> str:
    unique = list(dict.fromkeys(source_ids))
    cited = [f"{c['cite']} ({c['url']})" if c["url"] else c["cite"] for c in guidance.cite(unique)]
    return say(language, "source", "Source: {cites}.", cites="; ".join(cited))


def strike_answer(guidance: Guidance, today: dt.date) -> tuple[list[str], list[str]]:
    """The rule first, then the strike as known on `today` (its end is news only from the day it
    came), and the sources of what was said."""
    strike, followup = guidance.strike, guidance.standards["followup"]
    said = [strike["rule_first"].format(days=followup.limit), strike["began"]]
    sources = list(followup.sources) + list(strike["sources"])
    if strike.get("ended") and today >= strike["ended"]:
        said.append(strike["over"])
        sources += strike["over_sources"]
    return said, sources


def topic_answer(
    topic: str, guidance: Guidance | None = None, language: str = "en", today: dt.date | None = None
) -> str:
    """The answer for one topic of seeds/topics.yml, ending with its sources, in `language`, as of `today`."""
    guidance = in_language(guidance or load_guidance(), language)
    if topic not in guidance.topics:
        raise InputError(f"Unknown topic {topic!r}; choose one of {', '.join(guidance.topics)}.")
    node = guidance.topics[topic]
    paragraphs, sources = [], []
    for right_id in node.get("rights") or ():
        right = guidance.rights[right_id]
        paragraphs.append(f"{right['title']}: {right['answer']}")
        sources += right["sources"]
    for kind in node.get("standards") or ():
        standard = guidance.standards[kind]
        paragraphs.append(f"{standard.label.capitalize()}: {standard.rule}")
        sources += standard.sources
    if node.get("standards"):
        paragraphs.append(guidance.exception["summary"])
    if node.get("extra"):
        paragraphs.append(" ".join(node["extra"].split()))
    if node.get("contact"):
        contact = guidance.contacts[node["contact"]]
        paragraphs.append(say(language, "contact", "{name}: phone {phone}, TDD {tdd}, online at {web}.", **contact))
        sources += contact["sources"]
    if node.get("strike"):
        said, cited = strike_answer(guidance, today or now_in_california().date())
        paragraphs += said
        sources += cited
    return "\n\n".join(paragraphs + [_sources_line(guidance, sources, language)])

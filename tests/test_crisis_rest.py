"""The crisis evaluation sets (tests/crisis_eval) through the real product: `make run`'s
REST channel (issue 14, "done when").

- Every crisis message gets the crisis answer first, at one stage of a conversation:
  the messages are spread round-robin over the greeting (a new sender), each question
  of the form, after the verdict and while a draft is shown. One conversation per stage
  and language takes that stage's messages one after another: after each crisis answer
  the pending question comes back as it was; at the end "ok let's continue" ("ok
  sigamos") brings it back once more, and the patient finishes the case with the facts
  not given yet, to the same verdict as a conversation without a crisis.
- No ordinary message gets it: as the first message of a new sender, nor in the middle
  of the form.
- Distress that is not a crisis ("this is really hard") gets one line with 988, then
  the pending question.

The figures are printed: `pytest -q tests/test_crisis_rest.py`.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from .test_crisis_eval import messages

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

DOMAIN = Path(__file__).resolve().parents[1] / "bot" / "domain" / "crisis.yml"
LANGUAGES = ("en", "es")
# One case, a fact per form question in the order the form asks them; the last gives the verdict.
CASE = {
    "en": [
        "my therapy appointment was canceled",
        '/inform{"appointment_kind":"followup"}',
        "Oct 28",
        "Nov 4",
        "/affirm",
        "Nov 20",
        "no",
    ],
    "es": [
        "me cancelaron la cita",
        '/inform{"appointment_kind":"followup"}',
        "28 de octubre",
        "4 de noviembre",
        "/affirm",
        "20 de noviembre",
        "no",
    ],
}
# After the first n messages of the case, the form asks its n-th question.
FORM_STAGES = ("kind", "last visit", "canceled date", "offered?", "offered date")
STAGES = ("greeting", *FORM_STAGES, "after the verdict", "draft shown")
RESUME = {"en": "ok let's continue", "es": "ok sigamos"}
DRAFT = '/show_draft{"draft":"grievance"}'
# Conversations at a time: the Rasa server answers each sender in turn, and overlaps
# one sender's NLU with another's action-server call.
PARALLEL = 4
DISTRESS = {
    "en": ["I'm so stressed I can't sleep", "this is really hard", "i feel so alone since they canceled"],
    "es": ["estoy muy angustiada", "esto es muy difícil", "no puedo dormir del estrés"],
}


def plain(text: str) -> str:
    return " ".join(text.split())


def domain_texts(response: str, kind: str = "crisis") -> dict[str, str]:
    """A crisis response's text in each language, for one `crisis_kind` (the writer at risk by default)."""
    texts = {}
    for variation in yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"][response]:
        condition = {c["name"]: c["value"] for c in variation.get("condition") or ()}
        if condition.get("crisis_kind", "crisis") == kind:
            texts[condition.get("language", "en")] = plain(variation["text"])
    return texts


CRISIS, BACK, DISTRESS_LINE = (domain_texts(r) for r in ("utter_crisis", "utter_back_to_question", "utter_distress"))
# Every answer that comes first (issue 26): the writer at risk, danger from someone else, someone else at risk.
TAKEOVERS = {
    lang: {domain_texts("utter_crisis", kind)[lang] for kind in ("crisis", "danger", "harm_other", "other")}
    for lang in CRISIS
}


def lines(reply: list[dict]) -> list[str]:
    return [plain(m.get("text", "")) for m in reply]


def is_crisis_answer(reply: list[dict]) -> bool:
    return bool(reply) and any(lines(reply)[0] in texts for texts in TAKEOVERS.values())


@dataclass
class Run:
    """Everything the stack answered, and what went wrong, for the tests below."""

    stack: object
    prefix: str = field(default_factory=lambda: f"crisis-rest-{uuid.uuid4().hex[:8]}")
    turns: int = 0
    senders: int = 0
    caught: Counter = field(default_factory=Counter)
    sent: Counter = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    alarms: dict[str, list[str]] = field(default_factory=lambda: {"first message": [], "mid-form": []})
    ordinary: int = 0
    distress_problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def new_sender(self) -> str:
        with self.lock:
            self.senders += 1
            return f"{self.prefix}-{self.senders}"

    def say(self, sender: str, text: str) -> list[dict]:
        with self.lock:
            self.turns += 1
        return self.stack.say(sender, text)


@dataclass
class Reference:
    """The case without any crisis: the questions as asked, the verdict, a draft."""

    questions: list[str]
    verdict: list[str]  # the verdict and how it was counted: every fact is in them
    draft: str
    sender: str


def reference_case(run: Run, language: str) -> Reference:
    sender = run.new_sender()
    replies = [run.say(sender, text) for text in CASE[language]]
    draft = lines(run.say(sender, DRAFT))[0]
    return Reference([lines(r)[-1] for r in replies[:-1]], lines(replies[-1])[:2], draft, sender)


def send_crisis(run: Run, sender: str, stage: str, language: str, text: str) -> list[dict]:
    reply = run.say(sender, text)
    with run.lock:
        run.sent[stage] += 1
        run.caught[stage] += is_crisis_answer(reply)
    if not is_crisis_answer(reply):
        run.missed.append(f"{stage}/{language}: {text!r} -> {lines(reply)[:1]}")
    elif lines(reply)[0] not in TAKEOVERS[language]:
        run.problems.append(f"{stage}/{language}: {text!r} answered in the other language")
    return reply


def finish_case(run: Run, sender: str, stage: str, language: str, given: int, ref: Reference) -> None:
    """The facts not given yet, each once: the same verdict as without a crisis."""
    for text in CASE[language][given:-1]:
        run.say(sender, text)
    verdict = lines(run.say(sender, CASE[language][-1]))[:2]
    if verdict != ref.verdict:
        run.problems.append(f"{stage}/{language}: another verdict at the end: {verdict}, not {ref.verdict}")


def greeting_stage(run: Run, language: str, crisis: list[str], ref: Reference) -> None:
    sender = None
    for text in crisis:
        sender = run.new_sender()  # the first message of a new patient
        send_crisis(run, sender, "greeting", language, text)
    if sender is None:
        return
    resumed = lines(run.say(sender, RESUME[language]))
    if resumed[-1] != ref.questions[0]:
        run.problems.append(f"greeting/{language}: {RESUME[language]!r} -> {resumed}, not the first question")
    finish_case(run, sender, "greeting", language, 1, ref)


def form_stage(run: Run, stage: str, language: str, crisis: list[str], ref: Reference) -> None:
    given = FORM_STAGES.index(stage) + 1
    pending = ref.questions[given - 1]
    sender = run.new_sender()
    for text in CASE[language][:given]:
        run.say(sender, text)
    for text in crisis:
        reply = send_crisis(run, sender, stage, language, text)
        if is_crisis_answer(reply) and lines(reply)[1:] != [BACK[language], pending]:
            run.problems.append(f"{stage}/{language}: {text!r} -> {lines(reply)}, not the pending question")
    resumed = lines(run.say(sender, RESUME[language]))
    if resumed[-1] != pending or len(resumed) != 2:
        run.problems.append(f"{stage}/{language}: {RESUME[language]!r} -> {resumed}, not the pending question")
    finish_case(run, sender, stage, language, given, ref)


def after_verdict_stage(run: Run, stage: str, language: str, crisis: list[str], ref: Reference) -> None:
    """After the verdict (a new conversation) or while the reference's draft is shown."""
    if stage == "draft shown":
        sender = ref.sender
    else:
        sender = run.new_sender()
        replies = [run.say(sender, text) for text in CASE[language]]
        if lines(replies[-1])[:2] != ref.verdict:
            run.problems.append(f"{stage}/{language}: another verdict than the reference's")
    replies = {text: send_crisis(run, sender, stage, language, text) for text in crisis}
    replies[RESUME[language]] = run.say(sender, RESUME[language])
    for text, reply in replies.items():
        asked = [line for line in lines(reply) if line in ref.questions]
        if asked:
            run.problems.append(f"{stage}/{language}: {text!r} -> a form question again: {asked}")
    if lines(run.say(sender, DRAFT))[0] != ref.draft:
        run.problems.append(f"{stage}/{language}: the draft changed after the crisis answers")


def ordinary_message(run: Run, language: str, text: str) -> None:
    """As the first message of a new patient, and in the middle of the form."""
    if is_crisis_answer(run.say(run.new_sender(), text)):
        run.alarms["first message"].append(text)
    sender = run.new_sender()
    run.say(sender, CASE[language][0])
    if is_crisis_answer(run.say(sender, text)):
        run.alarms["mid-form"].append(text)


def distress_messages(run: Run, language: str, ref: Reference) -> None:
    """One line with 988, then the pending question (here the last visit), exactly as asked."""
    sender = run.new_sender()
    for text in CASE[language][:2]:
        run.say(sender, text)
    for text in DISTRESS[language]:
        first = lines(run.say(run.new_sender(), text))
        if first[:1] != [DISTRESS_LINE[language]]:
            run.distress_problems.append(f"greeting/{language}: {text!r} -> {first}")
        mid_form = lines(run.say(sender, text))
        if mid_form != [DISTRESS_LINE[language], ref.questions[1]]:
            run.distress_problems.append(f"last visit/{language}: {text!r} -> {mid_form}")
    finish_case(run, sender, "distress", language, 2, ref)


def stage(run: Run, name: str, language: str, crisis: list[str], ref: Reference) -> None:
    if name == "greeting":
        greeting_stage(run, language, crisis, ref)
    elif name in FORM_STAGES:
        form_stage(run, name, language, crisis, ref)
    else:
        after_verdict_stage(run, name, language, crisis, ref)


@pytest.fixture(scope="module")
def run(stack):
    started = time.monotonic()
    run = Run(stack)
    with ThreadPoolExecutor(PARALLEL) as pool:
        refs = dict(zip(LANGUAGES, pool.map(lambda language: reference_case(run, language), LANGUAGES)))
        jobs = []
        for language in LANGUAGES:
            crisis = messages(f"crisis_{language}.txt")
            for number, name in enumerate(STAGES):
                share = crisis[number :: len(STAGES)]  # round-robin over the stages
                jobs.append(pool.submit(stage, run, name, language, share, refs[language]))
            jobs.append(pool.submit(distress_messages, run, language, refs[language]))
            ordinary = messages(f"ordinary_{language}.txt")
            run.ordinary += len(ordinary)
            jobs += [pool.submit(ordinary_message, run, language, text) for text in ordinary]
        for job in jobs:
            job.result()  # a failed request fails the run
    run.seconds = time.monotonic() - started
    return run


def test_figures_are_printed(run, capsys):
    total = sum(run.sent.values())
    stages = ", ".join(f"{stage} {run.caught[stage]}/{run.sent[stage]}" for stage in STAGES)
    alarms = ", ".join(f"{len(found)} {where}" for where, found in run.alarms.items())
    with capsys.disabled():
        print(
            f"\ncrisis answer first through REST: recall {sum(run.caught.values()) / total:.1%} "
            f"on {total} crisis messages ({stages}); false alarms {alarms} "
            f"on {run.ordinary} ordinary messages; {run.turns} turns in {run.seconds:.0f} s "
            f"({1000 * run.seconds / run.turns:.0f} ms a turn)"
        )


def test_every_crisis_message_gets_the_crisis_answer_first(run):
    assert sum(run.sent.values()) == sum(len(messages(f"crisis_{lang}.txt")) for lang in LANGUAGES)
    assert not run.missed, "\n".join(run.missed)


def test_the_conversation_survives_every_crisis_answer(run):
    assert not run.problems, "\n".join(run.problems)


def test_no_ordinary_message_gets_the_crisis_answer(run):
    assert run.alarms == {"first message": [], "mid-form": []}


def test_distress_gets_one_line_with_988_then_the_pending_question(run):
    assert not run.distress_problems, "\n".join(run.distress_problems)

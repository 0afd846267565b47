"""A scripted patient: says its opening, answers whatever the bot asks from its facts, in its own words.

Scenarios are data (scenarios.yml). The patient recognises each question by a
few words of it, answers with the scenario's phrasing ("I don't know" when the
scenario has nothing to say), and stops at the verdict. Every question the bot
asks is counted: none may come three times.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SCENARIOS = Path(__file__).with_name("scenarios.yml")
# Which fact a bot question asks for, by the words in it.
QUESTIONS = (
    ("kind", r"kind of appointment|ask it another way"),
    ("start", r"last appointment you actually attended|when did you ask|roughly when"),
    ("canceled", r"which date was the canceled"),
    ("offered", r"offered you a new date"),
    ("offered_date", r"which date did they offer"),
    ("individual", r"individual appointment"),
    ("longer_wait", r"waiting\s+longer will not harm"),
    ("prior_auth", r"prior authorization for this urgent"),
    ("plan", r"which health plan"),
    ("go_on", r"would you like to go on"),
)
DEFAULTS = {"longer_wait": "no", "prior_auth": "not sure", "go_on": "yes"}
DONT_KNOW = "I don't know"
# The verdict's first line, by status.
VERDICTS = (
    ("on_time", r"is on time: the deadline is"),
    ("late", r"is late by"),
    ("pending", r"has until .* to offer you an appointment"),
    ("overdue", r"nothing has been offered"),
    ("exception_noted", r"a later date can be allowed"),
    ("unknown", r"can't give you an exact deadline|here are the waiting-time limits"),
)
MAX_TURNS = 14


def load_scenarios() -> list[dict]:
    return yaml.safe_load(SCENARIOS.read_text())["scenarios"]


def verdict_status(text: str) -> str | None:
    return next((status for status, pattern in VERDICTS if re.search(pattern, text, re.I)), None)


def question_asked(text: str) -> str | None:
    return next((fact for fact, pattern in QUESTIONS if re.search(pattern, text, re.I)), None)


@dataclass
class Conversation:
    """One patient talking to the bot through `say(text) -> list of bot messages`."""

    say: object
    answers: dict
    transcript: list[str] = field(default_factory=list)
    questions: Counter = field(default_factory=Counter)

    def send(self, text: str) -> str:
        replies = self.say(str(text))
        self.transcript.append(f"patient: {text}")
        for message in replies:
            bot_text = message.get("text") or ""
            self.transcript.append(f"bot: {bot_text}")
            if question_asked(bot_text):
                self.questions[bot_text.strip()] += 1
        return "\n".join(m.get("text") or "" for m in replies)

    def until(self, opening: str | list, done) -> str:
        """Say the opening, then answer questions until done(reply) or the turns run out."""
        openings = opening if isinstance(opening, list) else [opening]
        for line in openings:
            reply = self.send(line)
        for _ in range(MAX_TURNS):
            if done(reply):
                return reply
            fact = question_asked(reply.split("\n")[-1]) or question_asked(reply)
            if fact is None:
                return reply  # nothing asked: the caller's check decides
            reply = self.send(self._answer(fact))
        return reply

    def _answer(self, fact: str) -> str:
        """The scenario's answer; a list is said one item per ask (the last one repeats)."""
        answer = self.answers.get(fact, DEFAULTS.get(fact, DONT_KNOW))
        if isinstance(answer, list):
            return answer.pop(0) if len(answer) > 1 else answer[0]
        return answer

    def repeated(self) -> list[str]:
        return [question for question, times in self.questions.items() if times >= 3]

    def log(self) -> str:
        return "\n".join(self.transcript)

"""A scripted patient: says its opening, answers whatever the bot asks from its facts, in its own words.

Scenarios are data (scenarios.yml). The patient recognises each question by a
few words of it, answers with the scenario's phrasing ("I don't know" when the
scenario has nothing to say), and stops at the verdict. Every question the bot
asks is counted: none may come three times.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SCENARIOS = Path(__file__).with_name("scenarios.yml")
# Which fact a bot question asks for, by the words in it (English | Spanish).
QUESTIONS = (
    ("kind", r"kind of appointment|ask it another way|qué tipo de cita|te lo pregunto de otra forma"),
    (
        "start",
        r"last appointment you actually attended|when did you ask|roughly when|"
        r"última cita a la que sí fuiste|cuándo pediste|más o menos, ¿cuándo",
    ),
    ("canceled", r"which date was the canceled|qué día era la cita que cancelaron"),
    ("offered", r"offered you a new date|ya te ofrecieron una nueva fecha"),
    ("offered_date", r"which date did they offer|qué fecha te ofrecieron"),
    ("individual", r"individual appointment|cita individual"),
    ("longer_wait", r"waiting\s+longer will not harm|esperar más tiempo no va a dañar"),
    ("prior_auth", r"prior authorization for this urgent|autorización previa para esta cita urgente"),
    ("plan", r"which health plan|con qué plan de salud"),
    ("go_on", r"would you like to go on|quieres seguir"),
    # the direct check-in ("Are you thinking about ending your life...?"): these patients are not at risk
    ("check_in", r"thinking about ending your life|pensando en quitarte la vida"),
)
DEFAULTS = {"longer_wait": "no", "prior_auth": "not sure", "go_on": "yes", "check_in": "no, I'm not"}
DONT_KNOW = "I don't know"
# A scenario file with `language: es` answers like this when its patient has nothing to say.
SPANISH_DEFAULTS = {
    "longer_wait": "no",
    "prior_auth": "no sé",
    "go_on": "sí",
    "check_in": "no, no estoy pensando en eso",
}
SPANISH_DONT_KNOW = "no sé"
# The verdict's first line, by status (English | Spanish).
VERDICTS = (
    ("on_time", r"is on time: the deadline is|está a tiempo: la fecha límite es"),
    ("late", r"is late by|te ofrecieron \(.*\) está .* tarde"),
    ("pending", r"has until .* to offer you an appointment|tiene hasta el .* para ofrecerte una cita"),
    ("overdue", r"nothing has been offered|no te han ofrecido nada"),
    ("exception_noted", r"a later date can be allowed|se puede permitir una fecha posterior"),
    (
        "unknown",
        r"can't give you an exact deadline|here are the waiting-time limits|"
        r"no puedo darte una fecha límite exacta|estos son los tiempos de espera",
    ),
)
MAX_TURNS = 14


def load_scenarios(path: Path = SCENARIOS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["scenarios"]


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
    facts_asked: Counter = field(default_factory=Counter)  # which facts the patient was asked for
    defaults: dict = field(default_factory=lambda: dict(DEFAULTS))
    dont_know: str = DONT_KNOW

    def send(self, text: str, answering: bool = False) -> str:
        """Say one line; a question that comes again after a line that did not answer it (a rights
        question, "help") is the pending one repeated, not one more ask, and is not counted."""
        replies = self.say(str(text))
        self.transcript.append(f"patient: {text}")
        for message in replies:
            bot_text = message.get("text") or ""
            self.transcript.append(f"bot: {bot_text}")
            if question_asked(bot_text) and (answering or not self.questions[bot_text.strip()]):
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
            self.facts_asked[fact] += 1
            reply = self.send(self._answer(fact), answering=True)
        return reply

    def _answer(self, fact: str) -> str:
        """The scenario's answer; a list is said one item per ask (the last one repeats)."""
        answer = self.answers.get(fact, self.defaults.get(fact, self.dont_know))
        if isinstance(answer, list):
            return answer.pop(0) if len(answer) > 1 else answer[0]
        return answer

    def said_three_times(self) -> list[str]:
        """Bot messages (other than the questions counted above) sent three times or more."""
        said = Counter(line for line in self.transcript if line.startswith("bot: ") and len(line) > 40)
        return [line for line, times in said.items() if times >= 3 and not question_asked(line)]

    def repeated(self) -> list[str]:
        return [question for question, times in self.questions.items() if times >= 3]

    def log(self) -> str:
        return "\n".join(self.transcript)


_MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
_WEEKDAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
_ENGLISH_DEADLINE = re.compile(r"^\w+, (\w+ \d{1,2}, \d{4})(?: at (\d{1,2}:\d{2} [AP]M))?$")


def _in_spanish(deadline: str) -> str | None:
    """ "Monday, January 6, 2025 at 11:00 AM" as the bot writes it in Spanish: a patient who mixes
    languages may be answered in either, and the deadline is the same."""
    found = _ENGLISH_DEADLINE.match(deadline)
    if not found:
        return None
    day = dt.datetime.strptime(found.group(1), "%B %d, %Y")
    text = f"{_WEEKDAYS_ES[day.weekday()]}, {day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"
    if found.group(2):
        clock = dt.datetime.strptime(found.group(2), "%I:%M %p")
        text += f" a las {clock.hour % 12 or 12}:{clock:%M} {'p. m.' if clock.hour >= 12 else 'a. m.'}"
    return text


def deadline_forms(deadline: str) -> list[str]:
    """The deadline as written, and a Spanish time written "a las 14:00" or "a las 2:00 PM" as the
    bot writes it ("a las 2:00 p. m."): the same moment, so a scenario need not guess the clock format.
    An English deadline may also come in Spanish (the patient wrote in both)."""
    forms = [deadline] + [form for form in [_in_spanish(deadline)] if form]
    clock = re.search(r"a las (\d{1,2}):(\d{2})(?: ?([AP])\.? ?M\.?)?$", deadline, re.IGNORECASE)
    if clock:
        hour, minute, half = int(clock.group(1)), clock.group(2), (clock.group(3) or "").upper()
        hour = hour % 12 + (12 if half == "P" else 0) if half else hour  # "a las 2:30 PM" is 14:30
        twelve = f"a las {hour % 12 or 12}:{minute} {'p. m.' if hour >= 12 else 'a. m.'}"
        forms.append(deadline[: clock.start()] + twelve)
    return forms


def check_verdict(reply: str, expected: dict, log: str) -> None:
    assert verdict_status(reply) == expected["status"], log
    if expected.get("deadline"):
        assert any(form in reply for form in deadline_forms(expected["deadline"])), log
    for fragment in expected.get("says", ()):
        assert fragment.lower() in reply.lower(), log


def play(talk: Conversation, scenario: dict) -> None:
    """The scenario's opening and answers up to the verdict, then its follow-up lines, each checked;
    no question may have come three times."""
    reply = talk.until(scenario["says"], verdict_status)
    check_verdict(reply, scenario["expect"], talk.log())
    for step in scenario.get("then") or ():
        expected = step.get("expect") or {}
        if "status" in expected:
            reply = talk.until(step["say"], lambda text, e=expected: verdict_status(text) == e["status"])
            check_verdict(reply, expected, talk.log())
        else:
            reply = talk.send(step["say"])
            for fragment in expected.get("says", ()):
                assert fragment.lower() in reply.lower(), talk.log()
            for fragment in expected.get("absent", ()):
                assert fragment.lower() not in reply.lower(), talk.log()
    assert talk.repeated() == [], talk.log()
    assert talk.said_three_times() == [], talk.log()  # never the same reply three times (issue 25)
    for fact in scenario.get("never_asked") or ():  # the patient already said it, or said they don't know
        assert not talk.facts_asked[fact], talk.log()

"""An NLU component that lets the facts in a message decide its route before a near tie does.

After the classifier (and the fallback), before the CrisisGuard, the engine's
reader reads every typed message (care_clock/reading.message_facts): dates
and their roles, the kind of appointment, words of a call or a filing. Then:

- a message that tells a case (dated roles, or dates about a named appointment)
  goes into the case (`inform`, or the case intent the classifier ranked first),
  unless the classifier is sure of something that is not a question or a step
  of the case: a logged call or filing only with explicit words of one
  ("spoke with", "ref #", "filed"), never because "called" or a date is there;
- "yes, ..." / "no, ..." that asks nothing is an answer even when the classifier
  took it for a rights question ("sí, me dieron otra con un terapeuta temporal");
  so is news of the case that asks nothing ("its friday. nobody has called").

The reader decides what the classifier splits hairs over (report, check, inform);
greetings, drafts, language and data requests pass untouched.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from actions.context import GUIDANCE, current_time
from actions.timeline_slots import RIGHTS_QUESTIONS
from bot.nlu.message_guard import MessageGuard, set_entity, set_intent
from care_clock.reading.language import SPANISH, written_in
from care_clock.reading.message import asks_about_the_verdict, asks_for_care_first, message_facts, restates_an_hour
from care_clock.safety.crisis import detect

CASE_INTENTS = ("report_cancel", "check_date", "inform")
# Any word of reaching the plan: without one, a message cannot log a contact.
CONTACT_WORDS = re.compile(
    r"\b(?:call\w*|phon\w*|rang|ring|email\w*|e-mail\w*|messag\w*|text\w*|wrote|write|contact\w*|reached|"
    r"spoke|talk\w*|chat\w*|portal|voicemail|fax\w*|mail\w*|sent|submit\w*|filed|fil\w+ a|complain\w*|grievance|"
    r"llam\w*|habl\w*|escrib\w*|mand\w*|envi\w*|correo|mensaje|queja|present\w*)\b",
    re.IGNORECASE,
)
LOG_INTENTS = ("log_call", "log_filing")
# Intents a message with case facts is taken from: the classifier's near misses on such messages.
YIELDING_INTENTS = LOG_INTENTS + (
    # the classifier's crisis: the CrisisGuard after this reads the words again and alone decides a
    # risk; an answer it took for one ("no, nadie me dijo que esperar no me iba a afectar") is an answer
    "crisis",
    "nlu_fallback",
    "distress",
    "out_of_scope",
    "help",
    "greet",
    "thank",
    *RIGHTS_QUESTIONS,
    "ask_whats_next",
    "show_timeline",
    "add_to_calendar",
    "remind_me",
    "deadline_reminder",
    "goodbye",
    "bot_challenge",
    "ask_why",
)
ANSWERS = {"yes": "affirm", "no": "deny"}
# What the classifier makes of a short question about the verdict ("is that fast enough or not": no).
VERDICT_QUESTION_MISREADS = ("affirm", "deny", "nlu_fallback", "out_of_scope", "help", "distress")
# Starting over wipes the case: only on words that ask for it, typos included ("statr over", "empzar de
# nuevo"), never on a look-alike answer ("cita nueva con consejero").
RESTART_WORDS = re.compile(
    r"\b(?:re\W?st\w*|st\w{1,3}t\w*|reset\w*|scratch|begin\w*|again|fresh|top|over|wipe|clear|"
    r"new\s+(?:conversation|start|one|chat)|principio|ini\w*|cero|de\s+nuevo|otra\s+vez|e\w{1,3}[zc]\w*|"
    r"co\w{0,3}[zc]\w*|rei\w+|ren\w*ci\w*|redo|clean\s+slate|new\s+session|nue\w*\s+conversaci\w*|"
    r"n\w?eva\s+consulta\b(?!\s+con)|volv\w*|vovl\w*|do\s+over|p\w{0,2}ncipio|r\w{0,3}ici\w*|"
    r"n\w{0,2}va\s+(?:consulta\b(?!\s+con)|conversaci\w*))\b",
    re.IGNORECASE,
)
QUESTION_INTENTS = (*RIGHTS_QUESTIONS, "ask_whats_next")
# Needs that cannot wait for the case ("almost out of my meds and they canceled my med check"): answered
# first, unless the message dates the appointment itself, when the case (and its verdict) comes first.
URGENT_NEEDS = ("ask_running_out_of_medication",)
NEED_ENTITY = "urgent_need"  # the topic (seeds/topics.yml) answered beside the case
# ...said in words of running out, not only "medication" ("sent me to a psychiatrist to change my meds").
RUNNING_OUT = re.compile(
    r"\b(?:run\w* (?:out|low)|ran out|out of (?:my |our |his |her )?(?:\w+ )?(?:meds|medic\w*|pills|prescription|refills)|"
    r"refill\w*|almost out|(?:pills|meds|medication|doses) left|no more (?:pills|meds)|quedando sin|"
    r"se me (?:acab|termin)\w*|resurt\w*|me quedan? (?:\w+ )?(?:pastillas|d[ií]as de medic\w*)|"
    r"(?:ya )?no (?:me )?(?:tengo|quedan?) (?:\w+ )?(?:pastillas|medicina|medicamento)|sin (?:medicina|medicamento|pastillas))",
    re.IGNORECASE,
)
# An answer shaped like one: the kind or the provider first ("psychiatrist (new) for med adjustment").
KIND_FIRST = re.compile(
    r"\W*(?:my |a |an |the |mi |una? |el |la )?(?:psychiatr\w*|therap\w*|counsel\w*|psycholog\w*|follow.?up|"
    r"first|new|urgent\w*|initial|intake|psiquiatr\w*|terapi\w*|psic[oó]log\w*|consejer\w*|seguimiento|"
    r"primera|urgente)\b",
    re.IGNORECASE,
)
# A short message that is mostly a date answers the form's question, whatever the classifier says of it.
SHORT_ANSWER_WORDS = 10
# ...and a longer one too, when the classifier found nothing of the case in it ("el martes 14 de
# enero pero no pude ir porque tenía trabajo y les dije que no", taken for off topic).
OFF_TOPIC_ANSWER_WORDS = 25
NOT_ABOUT_A_CASE = ("out_of_scope", "nlu_fallback", "help", "greet", "goodbye", "thank", "bot_challenge", "distress")
OFF_TOPIC = ("out_of_scope", "nlu_fallback")
MOSTLY_A_DATE = 0.5
# Words that ask why; a date given with none of them answers the form ("la del 29 y todas las que siguen").
WHY_WORDS = re.compile(
    r"\b(?:why|how come|how|explain|reason|por ?qu[eé]|c[oó]mo|expl[ií]c\w*|raz[oó]n|y eso|de d[oó]nde)\b",
    re.IGNORECASE,
)
# ...but not a farewell or a greeting that names a day ("done for today", "hasta mañana", "bye, see you monday").
SOCIAL_WORDS = re.compile(
    r"\b(?:bye|goodbye|cya|see (?:you|ya)|take care|that'?s (?:it|all|enough)|done|finished|thanks?|"
    r"hello|hi|hey|good (?:morning|night)|hasta|adi[oó]s|nos (?:vemos|hablamos)|chao|ciao|gracias|hola|"
    r"buen[oa]s (?:d[ií]as|noches|tardes))\b",
    re.IGNORECASE,
)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FactsGuard(MessageGuard):
    def __init__(self, min_case_confidence: float) -> None:
        self.min_case_confidence = min_case_confidence

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # a case intent ranked at least this high is kept instead of the plain `inform`
        return {"min_case_confidence": 0.1}

    def check(self, message: Message, text: str) -> None:
        intent = (message.get(INTENT) or {}).get("name")
        if intent == "start_over" and not RESTART_WORDS.search(text):
            facts = message_facts(text, current_time(), GUIDANCE, spanish=_is_spanish(message, text))
            set_intent(message, "inform" if facts.kind or facts.roles or facts.names_appointment else "nlu_fallback")
            return
        if intent in VERDICT_QUESTION_MISREADS and asks_about_the_verdict(text):
            set_intent(message, "check_date")  # "is that fast enough or not": no "no", a question about the verdict
            return
        if intent not in YIELDING_INTENTS:
            return
        facts = message_facts(text, current_time(), GUIDANCE, spanish=_is_spanish(message, text))
        if intent in URGENT_NEEDS and RUNNING_OUT.search(text):
            if not facts.roles:
                return  # "almost out of my meds and they canceled my med check": the need, answered first
            # "la pedí el 21 de octubre ... ya casi no me quedan pastillas": the case, with the need
            # answered beside it (actions/appointment_form.py)
            set_entity(message, NEED_ENTITY, intent.removeprefix("ask_"), "FactsGuard")
        if intent == "ask_why" and not facts.tells_a_case:
            if facts.answer and not WHY_WORDS.search(text):
                set_intent(message, ANSWERS[facts.answer])  # "she didn't say anything about that": no
            elif facts.undated_roles and not WHY_WORDS.search(text):
                set_intent(message, "inform")  # "la del 29 y todas las que siguen": a date in answer
            return  # "why?", "how did you count that": the counting
        if intent in LOG_INTENTS and not facts.logs_contact and restates_an_hour(text, current_time()):
            # "eran las 11:00 en punto, lo tengo en el historial de llamadas": the hour of the request again
            set_intent(message, "inform")
            return
        # a logged call stays one, unless the message asks something about its case ("how long can they take?")
        # or dates the appointment itself ("our last session was Oct 23 ... I've emailed twice")
        logged = intent in LOG_INTENTS and facts.logs_contact and "?" not in text and not facts.dates_an_appointment
        if facts.tells_a_case and not logged:
            set_intent(message, self._case_intent(message))
        elif (
            intent in LOG_INTENTS and facts.undated_roles and not facts.logs_contact and not CONTACT_WORDS.search(text)
        ):
            # "Wednesday Sept 16, Mexican Independence Day, I remember bc we had the party after": a date
            # with no word of a call or a filing, given in answer, is no contact to log (blind round r20)
            set_intent(message, "inform")
        elif intent in LOG_INTENTS and not facts.logs_contact and not facts.roles and asks_for_care_first(text):
            # "I sent a message through the portal on a Saturday asking for a therapist": asking for care,
            # with no day said, is a case whose date the form asks for, not a contact to log (blind r20)
            set_intent(message, "report_cancel")
        elif facts.corrects and not facts.asks and intent in NOT_ABOUT_A_CASE + QUESTION_INTENTS:
            set_intent(message, "inform")  # "ugh no I misread the letter, it says FEBRUARY 28": a correction
        elif facts.answer and (
            intent in QUESTION_INTENTS + ("nlu_fallback", "out_of_scope", "help")
            or (intent in ("distress", "crisis") and detect(text) is None)
        ):
            # "no, my therapist actually says it's too long": an answer, with no word of risk in it
            set_intent(message, ANSWERS[facts.answer])
        elif facts.doubt and intent in ("distress", "nlu_fallback", "out_of_scope", "help"):
            set_intent(message, "deny")  # "I really don't know, I can't get into the app": an answer
        elif (
            facts.kind
            and KIND_FIRST.match(text)
            and len(text.split()) <= SHORT_ANSWER_WORDS
            and not facts.asks
            and not facts.about_rules
            and intent in QUESTION_INTENTS + ("nlu_fallback", "out_of_scope")
        ):
            set_intent(message, "inform")  # "psychiatrist (new) for med adjustment": the kind, in answer
        elif facts.reports and not facts.asks and not facts.about_rules and intent in QUESTION_INTENTS:
            set_intent(message, "inform")  # "its friday. nobody has called": news of the case, not a question
        elif facts.undated_roles and _answer_length(intent, text) and _date_in_answer(intent, facts, text):
            set_intent(message, "inform")  # "miércoles 30 de octubre": a date given in answer

    def _case_intent(self, message: Message) -> str:
        ranking = message.get(INTENT_RANKING_KEY) or []
        ranked = [
            e for e in ranking if e.get("name") in CASE_INTENTS and e.get("confidence", 0) >= self.min_case_confidence
        ]
        return ranked[0]["name"] if ranked else "inform"


def _answer_length(intent: str | None, text: str) -> bool:
    words = len(text.split())
    return words <= SHORT_ANSWER_WORDS or (intent in OFF_TOPIC and words <= OFF_TOPIC_ANSWER_WORDS)


def _date_in_answer(intent: str | None, facts, text: str) -> bool:
    """Whether a short message with a date, taken for a question or for something off the case, answers
    the form's question instead."""
    if intent in QUESTION_INTENTS:  # "la del 29 y todas las que siguen": a date, not the follow-up rule
        return not (facts.asks or facts.about_rules or WHY_WORDS.search(text))
    return (
        intent in NOT_ABOUT_A_CASE
        and not facts.asks  # "what's the weather today?", "¿va a llover mañana?"
        and not SOCIAL_WORDS.search(text)
        # off topic by the classifier, or mostly a date ("my anxiety is really bad today" is distress)
        and (intent in OFF_TOPIC or facts.date_share >= MOSTLY_A_DATE)
    )


def _is_spanish(message: Message, text: str) -> bool:
    """Spanish when the LanguageGuard marked it so, or its words say so."""
    marked = [e.get("value") for e in message.get(ENTITIES) or [] if e.get("entity") == "language"]
    return (marked[-1] if marked else written_in(text)) == SPANISH

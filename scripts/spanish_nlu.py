"""Writes data/nlu/es/*.yml: Spanish and Spanglish training examples.

The sentences below are written by hand, the way Spanish speakers in California
write to a chat; each is also added without accents, with the English words
patients mix in ("mi appointment", "la cita de follow-up") and with one typo,
so the model sees all the ways one sentence arrives. Run it again after editing
the lists: `.venv/bin/python scripts/spanish_nlu.py`.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "nlu" / "es"
SPANGLISH = [
    ("la cita de seguimiento", "la cita de follow-up"),
    ("mi cita", "mi appointment"),
    ("la cita", "el appointment"),
    ("mi terapeuta", "mi therapist"),
    ("terapeuta", "therapist"),
    ("me cancelaron", "me canselaron"),
    ("queja formal", "grievance"),
    ("carta de queja", "grievance letter"),
    ("seguro", "aseguranza"),
    ("llamar", "hacer un call"),
    ("plan de salud", "health plan"),
    ("psiquiatra", "psychiatrist"),
]
DATES = [
    "el 4 de noviembre",
    "4 de nov",
    "el 28 de octubre",
    "el lunes pasado",
    "hace dos semanas",
    "ayer",
    "el 20 de nov.",
    "el próximo jueves",
    "el 30",
    "11/20",
    "el 12 de noviembre",
    "hace 3 dias",
    "el martes pasado",
    "el 2 de diciembre",
    "25/11",
    "el viernes",
    "noviembre 15",
    "el 6 de enero",
]

INTENTS: dict[str, dict[str, list[str]]] = {
    "appointment": {
        "report_cancel": [
            "me cancelaron la cita",
            "mi cita fue cancelada",
            "Kaiser canceló mi cita",
            "me cancelaron la terapia",
            "cancelaron mi cita con el terapeuta",
            "me cancelaron mi sesión de terapia por la huelga",
            "mi cita de terapia se canceló",
            "me suspendieron la cita",
            "me quitaron la cita con mi terapeuta",
            "cancelaron mi consulta de salud mental",
            "me cancelaron la cita con el psiquiatra",
            "mi sesión con la psicóloga la cancelaron",
            "por la huelga me cancelaron todo",
            "me cancelaron y no me dan otra fecha",
            "kaiser me canceló otra vez",
            "otra vez me cancelaron la cita",
            "me llamaron para cancelar mi cita",
            "me mandaron un mensaje que mi cita está cancelada",
            "la cita de seguimiento la cancelaron",
            "me movieron la cita para muy tarde",
            "me cambiaron la cita para dentro de un mes",
            "me reprogramaron la cita hasta diciembre",
            "me pospusieron la terapia",
            "no me han dado cita desde que cancelaron la mía",
            "tenía cita y me la cancelaron",
            "me cancelaron la cita de mi hijo con el terapeuta",
            "cancelaron la cita de mi hija",
            "quiero reportar una cita cancelada",
            "mi terapia fue cancelada por la huelga",
            "cancelaron mi primera cita",
            "me cancelaron la primera consulta",
            "mi cita urgente la cancelaron",
            "hola, me cancelaron la cita",
            "buenas, kaiser me canceló la cita de terapia",
            "necesito ayuda, me cancelaron la cita",
            "me dejaron sin cita con mi terapeuta",
            "mi terapeuta está en huelga y me cancelaron",
            "me cancelaron la sesión de esta semana",
            "mi cita del lunes la cancelaron",
            "cancelaron mi cita del 4 de noviembre",
            "me cancelaron y me dieron fecha hasta enero",
            "la clínica canceló mi cita",
            "me cancelaron la videollamada con mi terapeuta",
            "mi consejera canceló la sesión",
            "cancelaron mi terapia semanal",
            "me cancelaron la cita y no sé qué hacer",
            "me la cancelaron sin avisar",
            "mi cita con salud mental se canceló",
            "necesito una cita urgente",
            "pedí una cita urgente y no me la dan",
            "necesito que me vean urgente",
            "pedí cita con el psiquiatra y no me dan",
            "pedí mi primera cita y no me han llamado",
            "llamé para pedir cita y me la dan hasta enero",
            "pedí una cita de salud mental hace dos semanas",
            "quiero una cita urgente con mi terapeuta",
            "necesito ver a un psiquiatra pronto",
            "solicité una cita y nada",
            "estoy esperando una cita desde hace un mes",
            "me cancelaron la cita, la última fue {date}",
            "me cancelaron la terapia, mi última cita fue {date}",
            "cancelaron mi cita de {date}",
            "kaiser me canceló la cita de {date}",
            "mi última sesión fue {date} y me cancelaron la siguiente",
        ],
        "check_date": [
            "¿el 20 de noviembre es muy tarde?",
            "me ofrecieron el 3 de diciembre, ¿está bien?",
            "¿es legal que me den cita hasta enero?",
            "¿está a tiempo el 25 de noviembre?",
            "¿cuánto tiempo tienen para darme cita?",
            "¿para cuándo me tienen que dar cita?",
            "me dieron cita en tres semanas, ¿eso es legal?",
            "¿es demasiado tarde el 2 de diciembre?",
            "¿cumplen la ley si me dan cita el 15 de diciembre?",
            "¿tienen que darme cita antes?",
            "me ofrecieron una cita en un mes, ¿se vale?",
            "¿hasta qué fecha tienen para darme la cita?",
            "¿la fecha que me dieron está dentro del plazo?",
            "¿es muy tarde la fecha que me dieron?",
            "¿me están dando la cita a tiempo?",
            "quiero saber si la fecha que me dieron es legal",
            "revisa si el 4 de diciembre está a tiempo",
            "¿el 10 de diciembre cumple con la regla?",
            "¿cuál es mi fecha límite?",
            "¿cuándo es la fecha límite para mi cita?",
            "¿se pasaron del plazo?",
            "¿ya se pasó la fecha límite?",
            "¿me deben dar cita esta semana?",
            "¿cuántos días tienen para darme otra cita?",
            "¿eso es mucho tiempo de espera?",
            "¿es normal esperar un mes por una cita?",
            "¿está permitido esperar seis semanas?",
        ],
        "inform": [
            "mi última cita fue {date}",
            "la última vez que fui fue {date}",
            "me ofrecieron {date}",
            "me dieron {date}",
            "la cita cancelada era {date}",
            "pedí la cita {date}",
            "llamé {date}",
            "la nueva fecha es {date}",
            "me dieron cita para {date}",
            "me cancelaron la de {date}",
            "perdón, fue {date}",
            "me equivoqué, era {date}",
            "en realidad fue {date}",
            "quise decir {date}",
            "{date}",
            "fue {date}",
            "creo que {date}",
            "era para {date}",
            "es con mi terapeuta",
            "seguimiento con mi terapeuta",
            "es mi primera cita",
            "primera vez",
            "es con el psiquiatra",
            "es urgente",
            "terapia continua",
            "ya estaba en terapia",
            "es una clase en grupo",
            "me ofrecieron un taller",
            "es un grupo",
            "solo una llamada corta",
            "es kaiser",
            "tengo kaiser",
            "mi plan es blue shield",
            "tengo medi-cal",
            "es de mi trabajo",
            "no sé",
            "no me acuerdo",
            "no recuerdo la fecha",
            "ni idea",
            "no la tengo a la mano",
            "aún no me dan fecha",
        ],
    },
    "core": {
        "greet": [
            "hola",
            "buenas",
            "buenos días",
            "buenas tardes",
            "buenas noches",
            "hola, ¿cómo estás?",
            "qué tal",
            "hola buenas",
            "holaa",
            "hola care clock",
            "saludos",
            "buen día",
            "hola, necesito ayuda",
            "oiga",
            "disculpe",
            "hola, ¿me puedes ayudar?",
            "hola, ¿hay alguien?",
            "buenas, una pregunta",
        ],
        "goodbye": [
            "adiós",
            "hasta luego",
            "bye",
            "nos vemos",
            "chao",
            "me voy",
            "eso es todo",
            "ya terminé",
            "hasta pronto",
            "cuídate",
            "ya me voy, gracias",
            "luego regreso",
            "bye, gracias",
            "hasta mañana",
        ],
        "thank": [
            "gracias",
            "muchas gracias",
            "mil gracias",
            "te lo agradezco",
            "muy amable",
            "gracias por la ayuda",
            "ok gracias",
            "gracias, me sirvió mucho",
            "qué bueno, gracias",
            "grax",
            "thank you, gracias",
        ],
        "affirm": [
            "sí",
            "si",
            "claro",
            "sí, por favor",
            "correcto",
            "así es",
            "exacto",
            "ándale",
            "dale",
            "va",
            "sí, sigamos",
            "está bien",
            "ok, sí",
            "simón",
            "sip",
            "por supuesto",
            "sí me ofrecieron",
            "sí, ya me dieron fecha",
            "sí, solo yo y el terapeuta",
            "sí, lo anotó",
            "sí, es individual",
            "sí, quiero seguir",
            "de acuerdo",
            "sí es cierto",
            "afirmativo",
        ],
        "deny": [
            "no",
            "no gracias",
            "nel",
            "para nada",
            "todavía no",
            "aún no",
            "no me han ofrecido nada",
            "no, ninguna",
            "no, es un grupo",
            "no estoy seguro",
            "no sé si lo anotó",
            "no lo creo",
            "ahora no",
            "no, gracias, así está bien",
            "no, no me dieron fecha",
            "negativo",
            "nop",
            "no me dijeron nada",
            "no, nunca me dijeron eso",
            "no, no necesitan autorización",
        ],
        "help": [
            "ayuda",
            "¿qué puedes hacer?",
            "¿cómo funciona esto?",
            "¿para qué sirves?",
            "¿qué hago ahora?",
            "¿qué debo hacer?",
            "¿qué me recomiendas?",
            "no sé qué hacer",
            "¿me puedes ayudar?",
            "necesito ayuda",
            "¿qué opciones tengo?",
            "¿cuáles son los siguientes pasos?",
            "menú",
            "¿qué más puedo hacer?",
            "explícame cómo funciona",
            "¿en qué me puedes ayudar?",
        ],
        "bot_challenge": [
            "¿eres un robot?",
            "¿eres una persona?",
            "¿hablo con un humano?",
            "¿eres real?",
            "¿eres un bot?",
            "¿con quién hablo?",
            "¿eres abogado?",
            "¿eres inteligencia artificial?",
        ],
        "start_over": [
            "empezar de nuevo",
            "empecemos otra vez",
            "volver a empezar",
            "borrar y empezar de nuevo",
            "quiero empezar de cero",
            "reiniciar",
            "otra vez desde el principio",
            "me equivoqué en todo, empecemos de nuevo",
        ],
        "out_of_scope": [
            "¿qué tiempo hace hoy?",
            "cuéntame un chiste",
            "¿cuánto cuesta la gasolina?",
            "necesito una receta de cocina",
            "¿quién ganó el partido?",
            "quiero cambiar mi dirección",
            "¿me puedes recetar medicina?",
            "quiero pagar mi factura",
            "¿dónde está la farmacia más cercana?",
            "necesito un abogado de inmigración",
            "¿cómo saco mi licencia?",
            "quiero una cita con el dentista",
        ],
    },
    "rights": {
        "ask_my_rights": [
            "¿cuáles son mis derechos?",
            "mis derechos",
            "¿qué derechos tengo?",
            "¿qué derechos tengo si me cancelan la cita?",
            "¿tengo derecho a una cita?",
            "explícame mis derechos",
            "¿qué dice la ley?",
            "¿qué me protege?",
        ],
        "ask_followup_rule": [
            "¿qué es la regla de 10 días?",
            "¿cómo cuentan los días hábiles?",
            "¿por qué está tarde?",
            "¿cómo calculaste la fecha?",
            "¿cuentan los días festivos?",
            "¿cuenta el día de acción de gracias?",
            "¿qué días no contaste?",
            "¿la regla de seguimiento cuenta desde cuándo?",
            "¿por qué esa fecha límite?",
        ],
        "ask_wait_times": [
            "¿cuánto tiempo tienen que darme cita?",
            "¿cuáles son los tiempos de espera?",
            "¿cuánto es el tiempo de espera para el psiquiatra?",
            "tiempos de espera",
            "¿cuánto tengo que esperar para una primera cita?",
            "¿cuánto para una cita urgente?",
        ],
        "ask_out_of_network": [
            "¿puedo ir con un terapeuta fuera de la red?",
            "fuera de la red",
            "¿me pagan un terapeuta privado?",
            "¿pueden mandarme con otro proveedor?",
            "¿tengo que pagar más si voy fuera de la red?",
            "¿me cubren un terapeuta de afuera?",
        ],
        "ask_escalation": [
            "¿cómo pido hablar con un supervisor?",
            "quiero hablar con un supervisor",
            "¿cómo escalo mi caso?",
            "¿puedo pedir un gerente?",
            "quiero que pasen mi caso a un supervisor",
        ],
        "ask_grievance": [
            "¿cómo pongo una queja?",
            "¿cómo presento una queja formal?",
            "quiero quejarme con mi plan",
            "¿qué es un grievance?",
            "¿cómo hago una queja?",
            "¿cuánto tiempo tienen para contestar mi queja?",
        ],
        "ask_dmhc": [
            "¿qué es el DMHC?",
            "¿cómo me quejo con el estado?",
            "¿quién regula a kaiser?",
            "¿puedo quejarme con el DMHC?",
            "centro de ayuda del DMHC",
            "¿a quién le reporto a kaiser?",
        ],
        "ask_strike": [
            "¿de qué se trata la huelga?",
            "¿por qué están en huelga?",
            "¿ya terminó la huelga?",
            "¿la huelga de kaiser sigue?",
            "¿qué pasó con la huelga?",
            "huelga",
        ],
        "ask_group_class": [
            "¿una clase en grupo es lo mismo que una cita?",
            "me ofrecieron un grupo, ¿cuenta?",
            "¿un taller cuenta como cita?",
            "¿la terapia de grupo reemplaza mi cita?",
        ],
    },
    "drafts": {
        "show_draft": [
            "la carta de queja",
            "quiero la carta de queja",
            "escríbeme la queja",
            "el guion para llamar",
            "¿qué digo cuando llame?",
            "la petición para el supervisor",
            "la queja al DMHC",
            "¿qué hago si me la vuelven a cancelar?",
            "si la vuelven a cancelar",
            "dame la carta",
            "escríbeme la carta para el plan",
            "quiero el guion",
            "hazme la carta",
            "muéstrame el borrador",
        ],
    },
    "privacy": {
        "delete_my_data": [
            "borra mis datos",
            "borra esta conversación",
            "quiero que borres todo",
            "elimina mis datos",
            "no guardes mi información",
            "borra mi información",
        ],
    },
    "language": {
        "choose_language": [
            "español",
            "en español",
            "¿hablas español?",
            "¿habla español?",
            "en español por favor",
            "prefiero español",
            "no hablo inglés",
            "¿me puedes hablar en español?",
            "english",
            "in english please",
            "english please",
            "en inglés",
            "en inglés, por favor",
            "can we switch to english",
            "do you speak spanish?",
            "spanish please",
            "la carta en inglés por favor",
            "¿me la das en inglés?",
        ],
    },
}
# Turned into the same count of examples each; the core intents get more.
REPEAT_DATES = 18


def plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    words[i] = w[:j] + w[j + 1 :] if rng.random() < 0.5 else w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def variants(sentence: str, rng: random.Random) -> list[str]:
    out = [sentence, plain(sentence).replace("¿", "").replace("?", "")]
    for spanish, spanglish in SPANGLISH:
        if spanish in sentence:
            out.append(sentence.replace(spanish, spanglish, 1))
            break
    out.append(typo(plain(sentence), rng))
    return out


def examples(intent: str, sentences: list[str], rng: random.Random) -> list[str]:
    expanded = []
    for sentence in sentences:
        if "{date}" in sentence:
            expanded += [sentence.format(date=d) for d in rng.sample(DATES, 6)]
        else:
            expanded.append(sentence)
    seen, result = set(), []
    for sentence in expanded:
        for v in variants(sentence, rng):
            v = re.sub(r"\s+", " ", v).strip()
            if v and v.lower() not in seen:
                seen.add(v.lower())
                result.append(v)
    return result


def main() -> None:
    rng = random.Random(17)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, intents in INTENTS.items():
        lines = ['version: "3.1"', "# Written by scripts/spanish_nlu.py: edit the lists there.", "nlu:"]
        for intent, sentences in intents.items():
            lines += [f"  - intent: {intent}", "    examples: |"]
            lines += [f"      - {e}" for e in examples(intent, sentences, rng)]
        (OUT / f"{name}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

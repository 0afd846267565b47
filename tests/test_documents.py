"""A draft letter as documents to download (issue 28): the Word file and the PDF hold every line
of the letter, in English and Spanish with the accents intact, and its fill-in blanks as they are;
the web page's letter message carries both, named in the patient's language."""

import base64
import io
import re
import zlib

import pytest
from docx import Document

from care_clock.writing.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE, letter_docx, letter_pdf, pdf_safe

from .test_actions import LATE
from .test_drafts import GOLDEN

LETTERS = sorted(GOLDEN.glob("*.txt")) + sorted((GOLDEN / "es").glob("*.txt"))
SIZE_LIMIT = 100_000  # bytes: each document is one letter


def language_of(path) -> str:
    return "es" if path.parent.name == "es" else "en"


def lines_of(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def docx_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def pdf_strings(data: bytes) -> list[str]:
    """The text the PDF shows, string by string in page order: fpdf2 writes core-font text as
    `(...) Tj` in zlib-compressed content streams, Latin-1 encoded."""
    shown = []
    for stream in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", data):
        raw = data[stream.end() : stream.end() + int(stream.group(1))]
        try:
            content = zlib.decompress(raw)
        except zlib.error:  # a stream that is not compressed text (none in these letters)
            continue
        for string in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            shown.append(re.sub(rb"\\(.)", rb"\1", string.group(1)).decode("latin-1"))
    return shown


def without_footers(shown: list[str]) -> tuple[list[str], list[str]]:
    """The letter's strings, and each page's number ("Page 1 of " then the page count)."""
    letter, footers, index = [], [], 0
    while index < len(shown):
        if re.fullmatch(r"(Page \d+ of|Página \d+ de) ", shown[index]) and index + 1 < len(shown):
            footers.append(shown[index] + shown[index + 1])
            index += 2
        else:
            letter.append(shown[index])
            index += 1
    return letter, footers


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: f"{language_of(p)}-{p.stem}")
def test_the_word_file_holds_the_title_and_every_line_of_the_letter(path):
    text, language = path.read_text(encoding="utf-8"), language_of(path)
    title = "Carta de queja" if language == "es" else "Grievance letter"
    data = letter_docx(text, title, language)
    assert data.startswith(b"PK") and len(data) < SIZE_LIMIT
    assert docx_paragraphs(data) == [title, *lines_of(text)]
    document = Document(io.BytesIO(data))
    assert document.core_properties.title == title
    assert document.core_properties.language == ("es-US" if language == "es" else "en-US")


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: f"{language_of(p)}-{p.stem}")
def test_the_pdf_shows_the_title_and_every_line_of_the_letter_in_order(path):
    text, language = path.read_text(encoding="utf-8"), language_of(path)
    title = "Carta de queja" if language == "es" else "Grievance letter"
    data = letter_pdf(text, title, language)
    assert data.startswith(b"%PDF-") and len(data) < SIZE_LIMIT
    assert f"/Title ({title})".encode() in data and f"/Lang ({language}-US)".encode() in data
    shown = pdf_strings(data)
    assert shown[0] == title
    letter, footers = without_footers(shown)
    assert footers[0] == ("Página 1 de " if language == "es" else "Page 1 of ") + str(len(footers))
    # Lines are wrapped to the page and blanks set in bold, so compare without the spaces.
    whole, at = squeezed("".join(letter)), 0
    for line in lines_of(text):
        found = whole.find(squeezed(line), at)
        assert found >= 0, line
        at = found + len(squeezed(line))


SPANISH = (
    "Me llamo [tu nombre] (número de miembro [tu número de miembro]).\n"
    "\n"
    "PETICIÓN: pido una cita; mi última fue el miércoles, 28 de octubre. ¿Por qué? ¡Ya pasó la fecha límite!\n"
    "Año, niño, acción, Ñandú, ü, «comillas»\n"
)


def test_spanish_accents_and_blanks_are_kept_in_both():
    assert docx_paragraphs(letter_docx(SPANISH, "Petición al supervisor", "es")) == [
        "Petición al supervisor",
        *lines_of(SPANISH),
    ]
    shown = pdf_strings(letter_pdf(SPANISH, "Petición al supervisor", "es"))
    assert shown[0] == "Petición al supervisor"
    assert "[tu número de miembro]" in shown and "[tu nombre]" in shown  # each blank as it is, in bold
    whole = "".join(shown)
    for words in [
        "PETICIÓN: pido una cita; mi última fue el miércoles",
        "¿Por qué? ¡Ya pasó",
        "Año, niño, acción, Ñandú, ü",
    ]:
        assert words in whole


def test_blanks_are_bold_and_highlighted_in_the_word_file():
    paragraph = Document(io.BytesIO(letter_docx("Signed, [your name] today", "Letter"))).paragraphs[1]
    runs = [(run.text, bool(run.bold), run.font.highlight_color is not None) for run in paragraph.runs]
    assert runs == [("Signed, ", False, False), ("[your name]", True, True), (" today", False, False)]


def test_characters_outside_latin_1_become_their_nearest_form_in_the_pdf():
    assert pdf_safe("“Kaiser’s” – call… ok") == '"Kaiser\'s" - call... ok'
    assert pdf_safe("señora Müller, café") == "señora Müller, café"  # Latin-1 as it is
    assert pdf_safe("Dvořák Łódź 😀") == "Dvorák ?ódz ?"  # á is Latin-1; ř loses its accent
    shown = "".join(without_footers(pdf_strings(letter_pdf("He said “wait” — I’m still waiting 😀", "Letter")))[0])
    assert shown.endswith('He said "wait" - I\'m still waiting ?')


@pytest.mark.parametrize(
    "language, title, files",
    [
        ("en", "Grievance letter", ("care-clock-grievance-letter.docx", "care-clock-grievance-letter.pdf")),
        ("es", "Carta de queja", ("care-clock-carta-de-queja.docx", "care-clock-carta-de-queja.pdf")),
    ],
)
def test_the_web_page_letter_carries_both_documents_named_in_the_patients_language(
    make_tracker, dispatcher, frozen_today, monkeypatch, language, title, files
):
    from actions.verdict_actions import ActionShowDraft

    tracker = make_tracker(
        {**LATE, "language": language},
        text=title,
        intent="show_draft",
        entities=[{"entity": "draft", "value": "grievance"}],
    )
    monkeypatch.setattr(tracker, "get_latest_input_channel", lambda: "socketio")
    ActionShowDraft().run(dispatcher, tracker, {})
    letter = dispatcher.messages[1]["custom"]["data"]["letter"]
    assert letter["title"] == title
    for kind, media_type, filename in [("docx", DOCX_MEDIA_TYPE, files[0]), ("pdf", PDF_MEDIA_TYPE, files[1])]:
        attached = letter[kind]
        assert attached["filename"] == filename and attached["media_type"] == media_type
        prefix = f"data:{media_type};base64,"
        assert attached["data_url"].startswith(prefix)
        data = base64.b64decode(attached["data_url"].removeprefix(prefix))
        assert len(data) < SIZE_LIMIT
        if kind == "docx":
            assert docx_paragraphs(data) == [title, *lines_of(letter["text"])]
        else:
            assert pdf_strings(data)[0] == title
    assert "[" in letter["text"]  # the blanks, kept


def test_other_channels_get_the_letter_as_text_only(make_tracker, dispatcher, frozen_today):
    from actions.verdict_actions import ActionShowDraft

    tracker = make_tracker(LATE, text="Grievance letter", intent="show_draft")
    ActionShowDraft().run(dispatcher, tracker, {})
    assert all("custom" not in message or not message["custom"] for message in dispatcher.messages)


def test_a_document_that_cannot_be_written_leaves_the_card_without_it(monkeypatch, caplog):
    import actions.verdict_actions as verdict_actions

    def broken(text, title, language):
        raise ValueError(text)

    monkeypatch.setattr(verdict_actions, "letter_pdf", broken)
    letter = verdict_actions.letter_message("Dear [name], my private words", "Grievance letter", "en")
    assert "docx" in letter and "pdf" not in letter and letter["filename"] == "care-clock-grievance-letter.txt"
    assert "private words" not in caplog.text  # the letter's text is not logged

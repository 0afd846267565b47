"""A draft letter as documents to download: an editable Word file (.docx) and a PDF.

Both keep the letter's text line for line, its fill-in blanks (`[your name]`, `[tu nombre]`)
as they are, shown in bold (and highlighted in the Word file) so they are not missed. The title
comes first, as the letter card shows it; the document's language is the patient's.

python-docx writes the .docx; fpdf2 writes the PDF with a core font (Helvetica), which needs no
font file on the machine but holds Latin-1 only: Spanish is all in it; any other character (a
curly quote from a patient's words, an emoji) is written as its nearest Latin-1 form
(`pdf_safe`).

Nothing here is stored: the web page's server (bot/web/serve.py) writes a document when the patient
asks for it, from the letter's text, title and language that the page sends, and forgets it.
"""

from __future__ import annotations

import io
import re
import unicodedata

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt
from fpdf import FPDF

from care_clock.writing.wording import say

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MEDIA_TYPE = "application/pdf"
AUTHOR = "Care Clock"
LANGUAGE_TAGS = {"en": "en-US", "es": "es-US"}
BLANK = re.compile(r"(\[[^\[\]\n]{1,80}\])")  # as the web page marks them (bot/web/chat.js)
# Characters outside Latin-1 that letters and patients' words may hold, as their Latin-1 stand-ins.
LATIN_1_STAND_INS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2022": "-",
        "\u2023": "-",
        "\u2043": "-",
        "\u2026": "...",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\u20ac": "EUR",
        "\u2122": "(TM)",
    }
)


# What no document can hold (XML 1.0 refuses them; a letter has no use for them): control characters
# but tab and newline, lone surrogates (JSON can carry them), and the two non-characters.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def writable(text: str) -> str:
    """`text` without the characters a document cannot hold; line ends as "\\n"."""
    return UNWRITABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _title(title: str) -> str:
    return " ".join(writable(title).split())


def _lines(text: str) -> list[str]:
    """The letter's lines as the card shows them: no trailing spaces, no blank lines around it."""
    lines = [line.replace("\u00a0", " ").rstrip() for line in writable(text).split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _language_tag(language: str) -> str:
    return LANGUAGE_TAGS.get(language, LANGUAGE_TAGS["en"])


def letter_docx(text: str, title: str, language: str = "en") -> bytes:
    """The letter as an editable Word document: the title as its heading, then one paragraph a line."""
    title = _title(title)
    document = Document()
    tag = _language_tag(language)
    properties = document.core_properties
    properties.title, properties.author, properties.language = title, AUTHOR, tag
    for lang in document.styles.element.iter(qn("w:lang")):  # Word's spelling check in this language
        lang.set(qn("w:val"), tag)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(11)
    normal.paragraph_format.space_after = Pt(0)
    document.add_heading(title, level=1)
    for line in _lines(text):
        paragraph = document.add_paragraph()
        for part in BLANK.split(line):
            if not part:
                continue
            run = paragraph.add_run(part)
            if BLANK.fullmatch(part):
                run.bold = True
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_safe(text: str) -> str:
    """`text` in Latin-1, the PDF core fonts' characters: Spanish stays as it is; curly quotes and
    dashes become straight ones; an accented letter of another language loses its accent; anything
    else becomes "?"."""
    text = unicodedata.normalize("NFC", writable(text)).translate(LATIN_1_STAND_INS).replace("\t", "    ")
    kept = []
    for char in text:
        if ord(char) < 256:
            kept.append(char)
            continue
        plain = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) < 256 and not unicodedata.combining(c))
        kept.append(plain or "?")
    return "".join(kept)


class _LetterPdf(FPDF):
    def __init__(self, language: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="Letter")
        self.language = language

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        page = say(self.language, "document_page", "Page {page} of {pages}", page=self.page_no(), pages="{nb}")
        self.cell(0, 10, pdf_safe(page), align="C")


def letter_pdf(text: str, title: str, language: str = "en") -> bytes:
    """The letter as a PDF (US Letter pages): the title as its heading, then every line as written."""
    title = _title(title)
    pdf = _LetterPdf(language)
    pdf.set_title(pdf_safe(title))
    pdf.set_author(AUTHOR)
    pdf.set_creator(AUTHOR)
    pdf.set_lang(_language_tag(language))
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=15)
    pdf.multi_cell(0, 8, pdf_safe(title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    height = 5.5
    for line in _lines(text):
        for part in BLANK.split(pdf_safe(line)):
            if part:
                pdf.set_font("Helvetica", style="B" if BLANK.fullmatch(part) else "", size=11)
                pdf.write(height, part)
        pdf.ln(height)
    return bytes(pdf.output())


# The documents the web page offers: file extension -> (media type, writer).
DOCUMENTS = {"docx": (DOCX_MEDIA_TYPE, letter_docx), "pdf": (PDF_MEDIA_TYPE, letter_pdf)}

"""The web page in Spanish (?lang=es) in a real browser (headless chromium, as tests/test_web.py)
against the shared stack: the page's own words, a Spanish conversation answered in Spanish, and
the page's language switch, which switches the bot too and keeps the conversation."""

from pathlib import Path

import pytest

from .test_documents import docx_paragraphs, pdf_strings, without_footers
from .test_spanish_case import english_in
from .test_web import SCREENSHOTS, bot_texts, browser_tab, open_chat, reply, send

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

STORY = (
    "Kaiser me canceló la sesión del 4 de noviembre por la huelga, mi última fue el 28 de octubre "
    "y me ofrecieron el 20 de noviembre"
)


def test_the_spanish_page_and_a_spanish_conversation(stack):
    with browser_tab(stack.page_url + "?lang=es") as page:
        assert page.evaluate("document.documentElement.lang") == "es"
        assert page.title() == "Care Clock: ¿tu plan cumple con las reglas de tiempos de espera de California?"
        assert page.get_by_role("link", name="English").is_visible()
        assert "no es asesoría legal" in page.locator("body").inner_text().lower()
        open_chat(page)
        assert page.locator("#message").get_attribute("placeholder") == "Cuéntame qué pasó…"
        assert page.get_by_role("button", name="Enviar").is_visible()
        assert page.get_by_role("button", name="Qué es").is_visible()
        assert page.get_by_text("No es asesoría legal ni médica").first.is_visible()
        assert page.get_by_role("log").get_attribute("aria-label") == "Conversación con Care Clock"
        page.get_by_text("Hola, soy Care Clock").wait_for()  # the greeting, in Spanish from the start

        send(page, STORY)
        page.get_by_text("que esperar más tiempo no va a dañar").wait_for()
        reply(page, "No / no estoy seguro")
        page.get_by_text("6 días hábiles tarde").first.wait_for()
        assert page.get_by_text("martes, 12 de noviembre de 2024").count() >= 1
        assert page.get_by_text("Fechas que usé").count() == 1

        reply(page, "Cartas")
        reply(page, "Carta de queja")
        card = page.locator("#log article.letter")
        card.wait_for()
        assert card.get_by_role("heading").inner_text() == "Carta de queja"
        assert card.locator(".blank").count() >= 1  # the fill-in blanks, kept and marked
        with page.expect_download() as download:
            card.get_by_role("button", name="Descargar (.txt): Carta de queja").click()
        assert download.value.suggested_filename == "care-clock-carta-de-queja.txt"
        assert "QUEJA FORMAL" in Path(download.value.path()).read_text(encoding="utf-8")
        # The same letter as a Word file and a PDF, written in Spanish by the page's server when asked
        lines = card.locator(".letter-text").inner_text().split("\n")
        for label, filename in [
            ("Descargar (Word)", "care-clock-carta-de-queja.docx"),
            ("Descargar (PDF)", "care-clock-carta-de-queja.pdf"),
        ]:
            button = card.get_by_role("button", name=f"{label}: Carta de queja")
            assert button.inner_text() == label
            with page.expect_download() as download:
                button.click()
            assert download.value.suggested_filename == filename
            data = Path(download.value.path()).read_bytes()
            if filename.endswith(".docx"):
                assert docx_paragraphs(data) == ["Carta de queja", *lines]
            else:
                letter, footers = without_footers(pdf_strings(data))
                assert letter[0] == "Carta de queja" and footers[0].startswith("Página 1 de ")
                assert "QUEJA FORMAL" in "".join(letter) and "[tu nombre]" in letter
            card.get_by_text(f"Guardado como {filename}").wait_for()

        send(page, "agrégalo a mi calendario")
        page.get_by_text("archivo de calendario").wait_for()
        link = page.locator("#log a.download")
        link.wait_for()
        assert link.inner_text().startswith("Descarga tus fechas para tu calendario")
        assert link.get_attribute("download") == "care-clock-fechas.ics"

        texts = bot_texts(page)
        assert english_in(texts) == [], (english_in(texts), texts)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "webchat-es.png"), full_page=True)


def test_the_language_switch_switches_the_bot_and_keeps_the_conversation(stack):
    with browser_tab(stack.page_url) as page:
        open_chat(page)
        page.get_by_text("not a lawyer or a clinician").wait_for()
        send(page, "my therapist canceled my Nov 4 session")
        page.locator("#log .msg.bot").nth(1).wait_for()
        page.get_by_role("link", name="Español").click()
        page.wait_for_url("**/?lang=es")
        page.get_by_text("Claro, te escribo en español").wait_for()  # the bot switched too
        assert page.get_by_text("my therapist canceled my Nov 4 session").count() == 1  # the conversation is kept
        assert page.get_by_text("not a lawyer or a clinician").count() == 1  # and not started again
        assert page.locator("#message").get_attribute("placeholder") == "Cuéntame qué pasó…"

"""The web page in Spanish (?lang=es) in a real browser (headless chromium, as tests/test_web.py)
against the shared stack: the widget's own words, and a Spanish conversation answered in Spanish."""

from .test_spanish_case import english_in
from .test_web import SCREENSHOTS, browser_tab, open_chat, send

STORY = (
    "Kaiser me canceló la sesión del 4 de noviembre por la huelga, mi última fue el 28 de octubre "
    "y me ofrecieron el 20 de noviembre"
)


def bot_texts(page) -> str:
    return "\n".join(page.locator(".rw-response").all_inner_texts())


def test_the_spanish_page_and_a_spanish_conversation(stack):
    with browser_tab(stack.page_url + "?lang=es") as page:
        assert page.evaluate("document.documentElement.lang") == "es"
        assert page.title() == "Care Clock: ¿tu plan cumple con las reglas de tiempos de espera de California?"
        assert page.get_by_role("link", name="English").is_visible()
        assert "no es asesoría legal" in page.locator("body").inner_text().lower()
        open_chat(page)
        assert page.locator(".rw-new-message").get_attribute("placeholder") == "Cuéntame qué pasó…"
        assert page.get_by_text("No es asesoría legal ni médica").first.is_visible()
        page.get_by_text("Hola, soy Care Clock").wait_for()  # the greeting, in Spanish from the start

        send(page, STORY)
        page.get_by_text("que esperar más tiempo no va a dañar").wait_for()
        page.locator(".rw-reply", has_text="No / no estoy seguro").click()
        page.get_by_text("6 días hábiles tarde").first.wait_for()
        assert page.get_by_text("martes, 12 de noviembre de 2024").count() >= 1

        send(page, "agrégalo a mi calendario")
        page.get_by_text("archivo de calendario").wait_for()
        link = page.locator("#chat-calendar")
        link.wait_for()
        assert link.inner_text().startswith("Descarga tus fechas para tu calendario")

        texts = bot_texts(page)
        assert english_in(texts) == [], (english_in(texts), texts)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "webchat-es.png"), full_page=True)

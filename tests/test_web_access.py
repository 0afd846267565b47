"""The web page for every patient (issue 28): axe-core finds no critical or serious violation on
the page as it opens, with the chat open and after a whole conversation, in English and Spanish,
at desktop and phone sizes and at 200% zoom; the layout keeps the not-advice and 988 / 911 lines
on screen and uncovered; a patient goes from the first message to a copied, printed and
downloaded letter (text, Word, PDF) with the keyboard only; a reload keeps it all.

Against the shared stack (tests/conftest.py), in headless chromium as tests/test_web.py.
"""

import json
from pathlib import Path

import pytest

from .servers import ROOT
from .test_documents import docx_paragraphs, pdf_strings, without_footers
from .test_web import ALL_IN_ONE, SCREENSHOTS, browser_tab, open_chat, reply, send
from .test_web_es import STORY as STORY_ES

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

AXE = ROOT / "bot" / "web" / "node_modules" / "axe-core" / "axe.min.js"
# 200% zoom of a 1280x800 window lays the page out in 640x400 CSS pixels: the same layout.
SIZES = {"desktop": (1280, 800), "phone": (390, 844), "zoom 200%": (640, 400), "narrow phone": (320, 568)}
FLOWS = {
    "en": [
        ALL_IN_ONE,
        "No / not sure",
        "Why?",
        "Letters",
        "Grievance letter",
        "add it to my calendar",
        "show my timeline",
    ],
    "es": [STORY_ES, "No / no estoy seguro", "¿Por qué?", "Cartas", "Carta de queja", "agrégalo a mi calendario"],
}
RUN_AXE = """axe.run(document, {resultTypes: ['violations']}).then(result => result.violations.map(v => (
    {id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"""
LAYOUT = """(() => {
    const root = document.documentElement;
    const seen = selector => {
        const element = document.querySelector(selector);
        const box = element.getBoundingClientRect();
        const x = box.left + Math.min(box.width / 2, 20), y = box.top + box.height / 2;
        const top = document.elementFromPoint(x, y);
        return box.height > 0 && box.top >= 0 && box.bottom <= innerHeight + 0.5 && !!top && element.contains(top);
    };
    return {
        overflow: root.scrollWidth > root.clientWidth + 1 || root.scrollHeight > root.clientHeight + 1,
        header: seen('.top h1'), note: seen('.note'), crisis: seen('.crisis'), box: seen('#message'),
        log: document.getElementById('log').getBoundingClientRect().height,
    };
})()"""


def serious(page) -> list[dict]:
    """axe-core's critical and serious violations on the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # as DevTools would; the page's CSP stays on
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in ("critical", "serious")]


def check_every_size(page, state: str, found: dict) -> None:
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(100)
        found[(state, name)] = serious(page)
        layout = page.evaluate(LAYOUT)
        assert not layout["overflow"], (state, name, "the page itself scrolls, not only the conversation")
        assert layout["header"] and layout["note"] and layout["crisis"] and layout["box"], (state, name, layout)
        assert layout["log"] >= 90, (state, name, layout)  # the conversation keeps room


def walk(page, language: str) -> None:
    """The conversation of FLOWS[language]: typed messages and clicked buttons, each answered."""
    for step in FLOWS[language]:
        answered = page.locator("#log .msg.bot").count()
        if page.locator("#log .replies button", has_text=step).count():
            reply(page, step)
        else:
            send(page, step)
        page.locator("#log .msg.bot").nth(answered).wait_for()
        page.wait_for_timeout(1200)  # the rest of the turn


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_critical_or_serious_axe_violations_at_every_size(stack, language):
    with browser_tab(f"{stack.page_url}?lang={language}") as page:
        found: dict = {}
        check_every_size(page, "empty page", found)
        open_chat(page)
        page.locator("#log .replies button").first.wait_for()
        page.locator("#about-button").click()
        check_every_size(page, "open chat, About open", found)
        page.keyboard.press("Escape")
        assert page.locator("#about").is_hidden()
        page.set_viewport_size({"width": 1280, "height": 800})
        walk(page, language)
        page.locator("#log article.letter").wait_for()
        page.locator("#log a.download").wait_for()
        check_every_size(page, "after a conversation", found)
        assert {key: value for key, value in found.items() if value} == {}
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the README's pictures come from here (docs/screenshots)
        for name in ("desktop", "phone"):
            page.set_viewport_size(dict(zip(("width", "height"), SIZES[name])))
            for what, selector in [("verdict", "#log .msg.user >> nth=1"), ("letter", "#log article.letter")]:
                page.locator(selector).evaluate("element => element.scrollIntoView({block: 'start'})")
                page.screenshot(path=str(SCREENSHOTS / f"{what}-{name}-{language}.png"))


def focused(page) -> dict:
    return page.evaluate("""(() => { const e = document.activeElement, s = getComputedStyle(e);
        return {tag: e.tagName, id: e.id, text: e.textContent.trim(), label: e.getAttribute('aria-label'),
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; })()""")


def key_to(page, key: str, wanted, limit: int = 60) -> dict:
    """Press `key` (Tab or Shift+Tab) until the focused element is `wanted` (a predicate on `focused`)."""
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if wanted(now):
            assert now["outline"], ("no visible focus", now)
            return now
    raise AssertionError(f"{key} never reached the element; last: {focused(page)}")


def button(title: str):
    return lambda now: now["tag"] == "BUTTON" and now["text"] == title


def test_keyboard_only_from_the_first_message_to_a_printed_letter_and_a_reload(stack):
    with browser_tab(
        stack.page_url, viewport={"width": 1280, "height": 800}, permissions=["clipboard-read", "clipboard-write"]
    ) as page:
        open_chat(page)
        page.locator("#log .replies button").first.wait_for()
        # The About panel opens with Enter and closes with Escape, giving the focus back.
        key_to(page, "Tab", lambda now: now["id"] == "about-button")
        page.keyboard.press("Enter")
        assert page.locator("#about").is_visible()
        page.keyboard.press("Escape")
        assert page.locator("#about").is_hidden() and focused(page)["id"] == "about-button"

        key_to(page, "Tab", lambda now: now["id"] == "message")
        page.keyboard.type(ALL_IN_ONE)
        page.keyboard.press("Enter")
        page.get_by_text("waiting longer will not harm").wait_for()
        for title, then in [
            ("No / not sure", "Dates I used"),
            ("Letters", "Tap one and I'll write it for you"),
            ("Grievance letter", "GRIEVANCE to"),
        ]:
            page.wait_for_timeout(1000)  # the whole turn
            key_to(page, "Shift+Tab", button(title))  # the newest answers are just above the message box
            page.keyboard.press("Enter")
            page.get_by_text(then).first.wait_for()
        card = page.locator("#log article.letter")
        card.wait_for()
        lines = card.locator(".letter-text").inner_text().split("\n")
        assert len(lines) > 20 and card.locator(".blank", has_text="[your name]").count() >= 1

        # Copy
        page.wait_for_timeout(1000)
        key_to(page, "Shift+Tab", lambda now: now["label"] == "Copy: Grievance letter")
        page.keyboard.press("Enter")
        card.get_by_text("Copied").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.split("\n") == lines

        # Download, as an editable text file named for what it is
        key_to(page, "Tab", lambda now: now["label"] == "Download (.txt): Grievance letter")
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        assert download.value.suggested_filename == "care-clock-grievance-letter.txt"
        saved = Path(download.value.path()).read_text(encoding="utf-8")
        assert saved.replace("\r\n", "\n").rstrip("\n").split("\n") == lines

        # The same letter as a Word file and a PDF: buttons, next in the Tab order; the page's server
        # writes each when asked, and the page saves it under a name in the patient's language
        for label, filename in [
            ("Download (Word)", "care-clock-grievance-letter.docx"),
            ("Download (PDF)", "care-clock-grievance-letter.pdf"),
        ]:
            now = key_to(page, "Tab", lambda now, label=label: now["label"] == f"{label}: Grievance letter")
            assert now["tag"] == "BUTTON" and now["text"] == label
            with page.expect_download() as download:
                page.keyboard.press("Enter")
            assert download.value.suggested_filename == filename
            data = Path(download.value.path()).read_bytes()
            if filename.endswith(".docx"):
                assert docx_paragraphs(data) == ["Grievance letter", *lines]
            else:
                letter, footers = without_footers(pdf_strings(data))
                assert letter[0] == "Grievance letter" and "[your name]" in letter
                assert footers[0].startswith("Page 1 of ")
            card.get_by_text(f"Saved as {filename}").wait_for()
            assert focused(page)["label"] == f"{label}: Grievance letter"  # the focus stays where it was

        # Print: the letter alone, every line, on as many pages as it takes
        page.evaluate("() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; }")
        key_to(page, "Shift+Tab", lambda now: now["label"] == "Print: Grievance letter")
        page.keyboard.press("Enter")
        assert page.evaluate("window.printed") == 1
        page.emulate_media(media="print")
        shown = page.evaluate("""Array.from(document.body.querySelectorAll('*'))
            .filter(e => e.checkVisibility() && !e.closest('#print-area')).map(e => e.tagName + '#' + e.id)""")
        assert shown == [], shown  # nothing but the letter
        printed = page.locator("#print-area")
        assert printed.is_visible() and printed.inner_text().split("\n") == lines
        assert page.evaluate(
            "(() => { const e = document.getElementById('print-area'); "
            "return e.scrollHeight <= e.clientHeight + 1 && getComputedStyle(e).overflow === 'visible'; })()"
        )
        pdf = page.pdf(format="Letter")
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / "letter.pdf").write_bytes(pdf)
        page.emulate_media(media="screen")

        page.reload()
        open_chat(page)
        page.locator("#log article.letter").wait_for()  # a reload keeps the letter and the whole conversation
        assert page.locator("#log article.letter .letter-text").inner_text().split("\n") == lines
        assert page.get_by_text("Dates I used").count() == 1
        assert json.loads(page.evaluate("sessionStorage.getItem('chat_session')"))["session_id"]

"""The web chat page in a real browser (Debian's chromium, headless) against the real stack."""
import shutil

import pytest

from .servers import ROOT, Stack

CHROMIUM = shutil.which("chromium")
SCREENSHOTS = ROOT / "var" / "screenshots"
ALL_IN_ONE = "my Nov 4 session was canceled because of the strike, my last one was Oct 28 and they offered me Nov 20"
# Flags for a closed network: no background calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("web"), "2024-11-22 12:00").start()
    yield stack.start_web_page()
    stack.stop()


@pytest.fixture
def page(page_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context()
        tab = context.new_page()
        tab.dialogs = []
        tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(page_url)
        yield tab
        browser.close()


def open_chat(page):
    page.locator(".rw-launcher").wait_for()
    if not page.locator(".rw-new-message").is_visible():  # after a reload it reopens by itself
        page.locator(".rw-launcher").click()
    page.locator(".rw-new-message").wait_for()


def send(page, text):
    box = page.locator(".rw-new-message")
    box.fill(text)
    box.press("Enter")


def test_page_says_what_it_is_and_that_it_is_not_advice(page):
    body = page.locator("body").inner_text()
    assert "Care Clock" in body and "not legal or medical advice" in body and "988" in body


def test_strike_scenario_in_the_browser_with_buttons_and_reload(page):
    open_chat(page)
    page.get_by_text("not a lawyer or a clinician").wait_for()  # the greeting
    assert page.locator(".rw-reply").count() >= 2  # its buttons render as buttons
    send(page, ALL_IN_ONE)
    page.get_by_text("waiting longer will not harm").wait_for()
    page.locator(".rw-reply", has_text="No / not sure").click()
    page.get_by_text("late by 6 business days").wait_for()
    assert page.get_by_text("Tuesday, November 12, 2024").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "webchat.png"), full_page=True)

    page.reload()
    open_chat(page)
    page.get_by_text("late by 6 business days").wait_for()  # the conversation is kept


def test_html_typed_by_a_patient_is_shown_as_text(page):
    open_chat(page)
    page.get_by_text("not a lawyer or a clinician").wait_for()
    send(page, "<img src=x onerror=alert(1)>")
    page.get_by_text("<img src=x onerror=alert(1)>").wait_for()  # shown literally
    page.wait_for_timeout(1500)
    assert page.dialogs == []
    assert page.locator(".rw-messages-container img[src='x']").count() == 0

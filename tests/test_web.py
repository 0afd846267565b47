"""The web chat page in a real browser (Debian's chromium, headless) against the real stack,
and its page server over raw HTTP."""

import http.client
import select
import shutil
import socket
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .servers import ROOT, Stack

pytestmark = pytest.mark.servers  # real servers: left out of `make test-fast`

CHROMIUM = shutil.which("chromium")
SCREENSHOTS = ROOT / "var" / "screenshots"
TODAY = "2024-11-22 12:00"
ALL_IN_ONE = "my Nov 4 session was canceled because of the strike, my last one was Oct 28 and they offered me Nov 20"
PENDING = "kaiser: my last session was nov 15 and my nov 22 session got canceled"  # deadline Mon Dec 2, 2024
REMIND_AFTER = 8  # seconds
CRAFTED = "?rasa=443@evil.example"  # an old page built its server address from this
# Flags for a closed network: no background calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LATE_CASE = {
    "appointment_kind": "followup",
    "start_date": "2024-10-28",
    "offered": True,
    "offered_date": "2024-11-20",
    "longer_wait_ok": False,
}
SECURITY_HEADERS = {"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    # Reminders come after a few seconds, so one can arrive while the test watches the page.
    stack = Stack(tmp_path_factory.mktemp("web"), TODAY, env={"CARE_CLOCK_REMINDER_SECONDS": str(REMIND_AFTER)}).start()
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def stack_without_rasa(tmp_path_factory):
    """make run, with its Rasa server stopped: the page is up, its Rasa server is not."""
    stack = Stack(tmp_path_factory.mktemp("web-down"), TODAY).start()
    stack.ctl("stop", "rasa")
    yield stack
    stack.stop()


@contextmanager
def browser_tab(url, **context):
    """A headless chromium tab on `url`; `context`: Playwright's context options (viewport, permissions)."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        tab = browser.new_context(**context).new_page()
        tab.dialogs = []
        tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(url)
        yield tab
        browser.close()


@pytest.fixture
def page(stack):
    with browser_tab(stack.page_url) as tab:
        yield tab


def open_chat(page):
    """The chat is the page: wait for its message box and the greeting (after a reload, the kept conversation)."""
    page.locator("#message").wait_for()
    page.locator("#log .msg.bot").first.wait_for()


def send(page, text):
    box = page.locator("#message")
    box.fill(text)
    box.press("Enter")


def reply(page, title):
    """Click the newest answer button with this title (buttons are real <button>s)."""
    page.locator("#log .replies button", has_text=title).last.click()


def bot_texts(page) -> str:
    return "\n".join(page.locator("#log .msg.bot .bubble").all_inner_texts())


def to_the_verdict(page, opening):
    """Say the opening, then "no" to each question until the verdict (its "Dates I used" line)."""
    open_chat(page)
    page.get_by_text("not a lawyer or a clinician").wait_for()
    send(page, opening)
    for _ in range(5):
        page.wait_for_timeout(1500)
        if page.get_by_text("Dates I used").count():
            return
        send(page, "no")
    page.get_by_text("Dates I used").first.wait_for()


def raw_request(page_url, method, path):
    """One request with the path exactly as given (no client-side clean-up of ../)."""
    address = urlsplit(page_url)
    connection = http.client.HTTPConnection("127.0.0.1", address.port, timeout=10)
    try:
        connection.request(method, path, headers={"Host": address.netloc})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_page_says_what_it_is_and_that_it_is_not_advice(page):
    body = page.locator("body").inner_text()
    assert "Care Clock" in body and "not legal or medical advice" in body and "988" in body


def test_strike_scenario_in_the_browser_on_non_default_ports_with_buttons_and_reload(stack, page):
    assert 5005 not in (stack.rasa_port, stack.web_port) and "?" not in stack.page_url
    open_chat(page)
    page.get_by_text("not a lawyer or a clinician").wait_for()  # the greeting
    assert page.locator("#log .replies button").count() >= 2  # its buttons are real buttons
    assert page.get_by_role("link", name="988").first.get_attribute("href") == "tel:988"
    assert not page.locator("#chat-unavailable").is_visible()
    send(page, ALL_IN_ONE)
    page.get_by_text("waiting longer will not harm").wait_for()
    reply(page, "No / not sure")
    page.get_by_text("late by 6 business days").wait_for()
    assert page.get_by_text("Dates I used: last visit Mon Oct 28; canceled Mon Nov 4; offered Wed Nov 20").count() == 1
    assert page.get_by_text("Tuesday, November 12, 2024").count() >= 1
    for title in ["Why?", "Letters", "Add to calendar", "Change a date"]:
        assert page.get_by_role("button", name=title, exact=True).count() == 1
    reply(page, "Why?")
    page.get_by_text("Counted 10 business days").wait_for()

    page.reload()
    open_chat(page)
    page.get_by_text("late by 6 business days").wait_for()  # the conversation is kept
    page.get_by_text("Counted 10 business days").wait_for()
    assert page.get_by_text("not a lawyer or a clinician").count() == 1  # not greeted again


def test_delete_my_data_leaves_nothing_in_the_browser(page):
    """Issue 30: after "delete my data", a reload (or the next person at a shared computer) sees nothing."""
    open_chat(page)
    page.get_by_text("not a lawyer or a clinician").wait_for()
    send(page, "my therapist Dr Quillfeather canceled my Nov 4 session")
    page.wait_for_timeout(1500)
    send(page, "delete my data")
    reply(page, "Yes")
    page.get_by_text("this conversation is deleted").wait_for()
    page.wait_for_timeout(500)
    assert "Quillfeather" not in (page.evaluate("JSON.stringify(window.sessionStorage)") or "")
    assert "Quillfeather" not in (page.evaluate("JSON.stringify(window.localStorage)") or "")
    page.reload()
    open_chat(page)
    page.get_by_text("not a lawyer or a clinician").wait_for()
    assert page.get_by_text("Quillfeather").count() == 0


def test_the_calendar_file_downloads_in_the_chat_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    to_the_verdict(page, PENDING)
    send(page, "add it to my calendar")
    link = page.locator("#log a.download")
    link.wait_for()
    assert page.evaluate("document.activeElement.id") == "message"  # nothing steals the focus
    assert link.get_attribute("download") == "care-clock-dates.ics"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "care-clock-dates.ics"
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in ics and "20241202" in ics
    send(page, "show my timeline")
    picture = page.locator("#log img.picture")
    picture.wait_for()
    assert picture.get_attribute("alt")


def test_a_reminder_comes_into_the_open_web_chat(page):
    to_the_verdict(page, PENDING)
    send(page, "remind me on the deadline")
    page.get_by_text("Your plan had until Monday, December 2, 2024").wait_for(timeout=(REMIND_AFTER + 30) * 1000)


def test_html_typed_by_a_patient_is_shown_as_text(page):
    open_chat(page)
    page.get_by_text("not a lawyer or a clinician").wait_for()
    send(page, "<img src=x onerror=alert(1)>")
    page.get_by_text("<img src=x onerror=alert(1)>").wait_for()  # shown literally
    page.wait_for_timeout(1500)
    assert page.dialogs == []
    assert page.locator("#log img[src='x']").count() == 0


def test_bot_text_is_built_as_text_with_links_phone_numbers_bold_and_blanks(stack_without_rasa):
    with browser_tab(stack_without_rasa.page_url) as tab:
        built = tab.evaluate(
            """text => { const box = document.createElement('div'); box.appendChild(careClockText(text));
                         return box.innerHTML; }""",
            "**Late** by 6 days: call 1-888-466-2219, (916) 555-0100 or 988, not 19880.  \n"
            "See https://www.dmhc.ca.gov/FileaComplaint.aspx. Member: [your name], [tu nombre] "
            "<img src=x onerror=alert(1)> [a link](https://example.org)",
        )
        assert tab.dialogs == []
    assert built == (
        "<p><strong>Late</strong> by 6 days: call "
        '<a href="tel:18884662219">1-888-466-2219</a>, <a href="tel:9165550100">(916) 555-0100</a> or '
        '<a href="tel:988">988</a>, not 19880.</p>'
        '<p>See <a href="https://www.dmhc.ca.gov/FileaComplaint.aspx" rel="noopener noreferrer" target="_blank">'
        "https://www.dmhc.ca.gov/FileaComplaint.aspx</a>. Member: "
        '<mark class="blank">[your name]</mark>, <mark class="blank">[tu nombre]</mark> '
        '&lt;img src=x onerror=alert(1)&gt; [a link](<a href="https://example.org" rel="noopener noreferrer" '
        'target="_blank">https://example.org</a>)</p>'
    )


def test_a_crafted_link_cannot_send_the_chat_elsewhere(stack):
    with browser_tab(stack.page_url + CRAFTED) as tab:
        requested = []
        tab.on("request", lambda request: requested.append(request.url))
        open_chat(tab)
        tab.get_by_text("not a lawyer or a clinician").wait_for()  # still the stack's own server
        assert not [url for url in requested if "evil.example" in url]


def test_with_rasa_down_the_page_says_so_with_numbers_to_call(stack_without_rasa):
    with browser_tab(stack_without_rasa.page_url) as tab:
        notice = tab.locator("#chat-unavailable")
        notice.wait_for(state="visible", timeout=30_000)
        text = notice.inner_text()
        assert "not available right now" in text and "1-888-466-2219" in text and "988" in text
        assert not tab.locator("#chat-how-to").is_visible()  # no pointing at a chat that is not there
        assert tab.get_by_role("link", name="1-888-466-2219").first.get_attribute("href") == "tel:1-888-466-2219"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    "path",
    [
        "/var/tracker.db",
        "/.git/config",
        "/../README.md",
        "/bot/",
        "/bot/web/serve.py",
        "/serve.py",
        "/node_modules/",
        "//etc/passwd",
        "/%2e%2e/README.md",
    ],
)
def test_only_the_page_files_are_served(stack_without_rasa, method, path):
    response, body = raw_request(stack_without_rasa.page_url, method, path)
    assert response.status == 404
    assert b"Directory listing" not in body and b"tracker.db" not in body and b"README" not in body
    for name, value in SECURITY_HEADERS.items():
        assert response.getheader(name) == value


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("path", ["/", "/index.html", "/chat.js", "/chat.css", "/socket.io.min.js"])
def test_page_files_carry_security_headers(stack_without_rasa, method, path):
    response, body = raw_request(stack_without_rasa.page_url, method, path)
    assert response.status == 200 and (body == b"") == (method == "HEAD")
    for name, value in SECURITY_HEADERS.items():
        assert response.getheader(name) == value
    policy = response.getheader("Content-Security-Policy")
    rasa = f"localhost:{stack_without_rasa.rasa_port}"  # as make run prints it
    assert f"connect-src 'self' http://{rasa} ws://{rasa};" in policy  # 'self': the letters' documents
    assert "script-src 'self';" in policy and "style-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe" not in policy
    assert "Python" not in response.getheader("Server")


def test_the_page_names_only_its_own_rasa_server_whatever_the_query(stack_without_rasa):
    _, body = raw_request(stack_without_rasa.page_url, "GET", "/" + CRAFTED)
    assert f'data-rasa-url="http://localhost:{stack_without_rasa.rasa_port}"'.encode() in body
    assert b"evil.example" not in body


def closed_within(connections, seconds):
    """The connections the server has closed by the end of `seconds`."""
    deadline, closed = time.monotonic() + seconds, set()
    while time.monotonic() < deadline and len(closed) < len(connections):
        readable, _, _ = select.select([c for c in connections if c not in closed], [], [], deadline - time.monotonic())
        closed.update(connection for connection in readable if connection.recv(1) == b"")
    return closed


def test_idle_and_excess_connections_are_closed(stack_without_rasa):
    from bot.web.serve import IDLE_SECONDS, MAX_CONNECTIONS

    port = urlsplit(stack_without_rasa.page_url).port
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(MAX_CONNECTIONS + 3)]
    try:
        assert len(closed_within(idle, 2)) == 3  # over the cap: closed at once
        assert len(closed_within(idle, IDLE_SECONDS + 5)) == len(idle)  # the rest: when idle too long
        response, _ = raw_request(stack_without_rasa.page_url, "GET", "/")
        assert response.status == 200  # the slots are free again
    finally:
        for connection in idle:
            connection.close()


def test_the_rasa_address_is_checked_and_defaults_to_the_run_settings(monkeypatch):
    from bot.web.serve import RasaServer, default_rasa_url

    monkeypatch.setenv("CARE_CLOCK_HOST", "127.0.0.1")
    monkeypatch.setenv("RASA_PORT", "6123")
    assert default_rasa_url() == "http://127.0.0.1:6123"
    for bad in [
        "443@evil.example",
        "http://127.0.0.1",
        "http://me@evil.example:443",
        "http://127.0.0.1:5005/x",
        "javascript:alert(1)",
    ]:
        with pytest.raises(ValueError):
            RasaServer(bad)
    assert RasaServer("http://127.0.0.1:6123").url_for("evil.example:80") == "http://127.0.0.1:6123"
    # listening on every interface: the browser reaches Rasa on the host it reached the page on
    everywhere = RasaServer("http://0.0.0.0:6123")
    assert everywhere.url_for("care.example:8080") == "http://care.example:6123"
    assert everywhere.url_for("[::1]:8080") == "http://[::1]:6123"
    assert everywhere.url_for('x" onload="alert(1)') is None


def test_a_draft_comes_to_the_web_page_as_a_letter_too(make_tracker, dispatcher, frozen_today, monkeypatch):
    """The web page shows a draft as a card (copy, print, download); other channels get its text only."""
    from actions.verdict_actions import ActionShowDraft, letter_filename

    slots = {**LATE_CASE, "language": "es"}
    for channel, expected in [(None, 2), ("socketio", 3)]:
        dispatcher.messages.clear()
        tracker = make_tracker(
            slots, text="Carta de queja", intent="show_draft", entities=[{"entity": "draft", "value": "grievance"}]
        )
        monkeypatch.setattr(tracker, "get_latest_input_channel", lambda channel=channel: channel)
        ActionShowDraft().run(dispatcher, tracker, {})
        assert len(dispatcher.messages) == expected
    text, letter = dispatcher.messages[0]["text"], dispatcher.messages[1]["custom"]["data"]["letter"]
    assert letter["title"] == "Carta de queja" and letter["filename"] == "care-clock-carta-de-queja.txt"
    assert [line.rstrip() for line in text.replace("\u00a0", "").split("\n")] == letter["text"].strip("\n").split("\n")
    assert "[" in letter["text"]  # the fill-in blanks are kept
    assert letter_filename("Grievance letter") == "care-clock-grievance-letter.txt"

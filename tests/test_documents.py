"""A draft letter as documents to download (issue 28): the Word file and the PDF hold every line
of the letter, in English and Spanish with the accents intact, and its fill-in blanks as they are.

They are written on request: the web page's letter message carries only the letter's text, and the
page's own server (bot/web/serve.py) writes a document when the page POSTs the letter to it; only
that page may ask, every field is checked, the body is bounded and the letter is never logged.
The server runs here in this process (no Rasa); the browser tests download through the page."""

import http.client
import importlib.util
import io
import json
import re
import threading
import zlib
from string import Template

import pytest
from docx import Document

from care_clock.writing.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE, letter_docx, letter_pdf, pdf_safe

from .servers import ROOT
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


def test_characters_no_document_can_hold_are_left_out():
    text = "Dear\x00 plan,\x0b\r\nmy visit\ud800 was\tcanceled.\r[your name]\x7f"
    assert docx_paragraphs(letter_docx(text, "Grievance\nletter")) == [
        "Grievance letter",
        "Dear plan,",
        "my visit was\tcanceled.",
        "[your name]",
    ]
    shown = without_footers(pdf_strings(letter_pdf(text, "Grievance\nletter")))[0]
    assert shown[0] == "Grievance letter" and "[your name]" in shown
    assert "my visit was    canceled." in "".join(shown)


@pytest.mark.parametrize("language, title", [("en", "Grievance letter"), ("es", "Carta de queja")])
def test_the_web_page_letter_carries_the_text_only_never_a_document(
    make_tracker, dispatcher, frozen_today, monkeypatch, language, title
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
    assert set(letter) == {"title", "filename", "text", "language"}  # what the tracker stores: no bytes
    assert letter["title"] == title and letter["language"] == language
    assert "[" in letter["text"]  # the blanks, kept
    assert len(json.dumps(dispatcher.messages[1])) < 2 * len(letter["text"]) + 500


def test_other_channels_get_the_letter_as_text_only(make_tracker, dispatcher, frozen_today):
    from actions.verdict_actions import ActionShowDraft

    tracker = make_tracker(LATE, text="Grievance letter", intent="show_draft")
    ActionShowDraft().run(dispatcher, tracker, {})
    assert all("custom" not in message or not message["custom"] for message in dispatcher.messages)


# --- the page's server writes them on request --------------------------------------------------

PRIVATE = "my private words about my therapist"
LETTER = {"title": "Carta de queja", "text": f"QUEJA FORMAL\n\n{PRIVATE}, señora.\n[tu nombre]\n", "language": "es"}


@pytest.fixture(scope="module")
def serve_module():
    """bot/web/serve.py as the run command starts it: a script, not the `bot` package (no Rasa)."""
    spec = importlib.util.spec_from_file_location("care_clock_page_server", ROOT / "bot" / "web" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def page_server(serve_module, monkeypatch):
    """The page's server on a free loopback port; yields its port."""
    for name in ("WEB_ORIGINS", "CARE_CLOCK_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CARE_CLOCK_HOST", "127.0.0.1")
    handler = serve_module.make_handler(
        serve_module.RasaServer("http://127.0.0.1:5005"),
        Template("<p>$dmhc_phone $rasa_url</p>"),
        {"dmhc_phone": "1-888-466-2219"},
        "127.0.0.1",
    )
    server = serve_module.BoundedServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def post(port, path="/documents/letter.pdf", body=None, headers=None, host=None, origin=None):
    """A POST as the page sends it (its own origin, JSON), changed by the arguments."""
    host = host or f"localhost:{port}"
    sent = {"Host": host, "Origin": (origin or None) if origin is not None else f"http://{host}"}
    sent["Content-Type"] = "application/json"
    sent.update(headers or {})
    sent = {name: value for name, value in sent.items() if value is not None}
    data = body if isinstance(body, bytes) else json.dumps(LETTER if body is None else body).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
    for name, value in {**sent, "Content-Length": str(len(data))}.items():
        connection.putheader(name, value)
    connection.endheaders(data)
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


@pytest.mark.parametrize(
    "kind, media_type, filename",
    [
        ("docx", DOCX_MEDIA_TYPE, "care-clock-carta-de-queja.docx"),
        ("pdf", PDF_MEDIA_TYPE, "care-clock-carta-de-queja.pdf"),
    ],
)
def test_the_page_gets_the_letter_as_a_document_named_in_its_language(page_server, kind, media_type, filename):
    response, data = post(page_server, f"/documents/letter.{kind}")
    assert response.status == 200, data
    assert response.getheader("Content-Type") == media_type and int(response.getheader("Content-Length")) == len(data)
    assert response.getheader("Content-Disposition") == f'attachment; filename="{filename}"'
    assert response.getheader("Cache-Control") == "no-store"
    policy = response.getheader("Content-Security-Policy")
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    if kind == "docx":
        assert docx_paragraphs(data) == ["Carta de queja", *lines_of(LETTER["text"])]
        assert Document(io.BytesIO(data)).core_properties.language == "es-US"
    else:
        letter, footers = without_footers(pdf_strings(data))
        assert letter[0] == "Carta de queja" and footers == ["Página 1 de 1"]
        assert f"{PRIVATE}, señora." in "".join(letter) and "[tu nombre]" in letter


def test_the_page_allows_its_own_server_for_documents(page_server):
    connection = http.client.HTTPConnection("127.0.0.1", page_server, timeout=10)
    connection.request("GET", "/", headers={"Host": f"localhost:{page_server}"})
    policy = connection.getresponse().getheader("Content-Security-Policy")
    connection.close()
    assert "connect-src 'self' http://127.0.0.1:5005 ws://127.0.0.1:5005;" in policy


@pytest.mark.parametrize(
    "change, status",
    [
        ({"headers": {"Content-Type": "text/plain"}}, 415),  # what a form on another site could send
        ({"headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 415),
        ({"headers": {"Content-Type": None}}, 415),
        ({"origin": "http://evil.example"}, 403),  # another site
        ({"origin": "null"}, 403),
        ({"origin": ""}, 403),  # no Origin: not the page (a browser sends it with every POST)
        ({"origin": "http://127.0.0.1:1"}, 403),  # another port is another origin
        ({"headers": {"Sec-Fetch-Site": "cross-site"}}, 403),
        ({"host": "evil.example:8080"}, 403),  # DNS rebinding: that name is not this machine's
        ({"path": "/documents/letter.exe"}, 404),
        ({"path": "/documents/letter.pdf?x=1"}, 404),
        ({"path": "/"}, 404),
    ],
)
def test_documents_are_for_the_page_itself_only(page_server, change, status):
    response, body = post(
        page_server,
        path=change.get("path", "/documents/letter.pdf"),
        headers=change.get("headers"),
        host=change.get("host"),
        origin=change.get("origin"),
    )
    assert response.status == status, body
    assert not body.startswith(b"%PDF")
    assert response.getheader("Content-Security-Policy") and response.getheader("X-Frame-Options") == "DENY"


def test_a_host_named_in_the_settings_is_answered(page_server, monkeypatch):
    monkeypatch.setenv("WEB_ORIGINS", "http://care.example:8080")
    response, data = post(page_server, host="care.example:8080")
    assert response.status == 200 and data.startswith(b"%PDF-")
    monkeypatch.setenv("CARE_CLOCK_ALLOWED_HOSTS", "clinic.example")
    response, data = post(page_server, "/documents/letter.docx", host="clinic.example", origin="https://clinic.example")
    assert response.status == 200 and data.startswith(b"PK")


@pytest.mark.parametrize(
    "body, problem",
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        ([LETTER], "JSON object"),
        ({**LETTER, "title": ""}, "'title' is required"),
        ({**LETTER, "title": 5}, "'title' is required"),
        ({**LETTER, "title": "x" * 201}, "'title' is required"),
        ({k: v for k, v in LETTER.items() if k != "text"}, "'text' is required"),
        ({**LETTER, "text": "  \n "}, "'text' is required"),
        ({**LETTER, "text": ["a"]}, "'text' is required"),
        ({**LETTER, "text": "x" * 32_001}, "'text' is required"),
        ({**LETTER, "language": "fr"}, "'language' is required"),
        ({k: v for k, v in LETTER.items() if k != "language"}, "'language' is required"),
        ({**LETTER, "docx": "data:..."}, "unknown field(s): docx"),
    ],
)
def test_bad_fields_get_400_saying_what_is_wrong(page_server, body, problem):
    response, content = post(page_server, body=body)
    assert response.status == 400 and response.getheader("Content-Type") == "application/json"
    assert problem in json.loads(content)["error"]


@pytest.mark.parametrize("size", [64 * 1024 + 1, 900 * 1024, 3 * 1024 * 1024])
def test_a_body_over_64_kb_gets_413_unread(page_server, size):
    body = json.dumps({**LETTER, "text": "x" * size}).encode()
    try:
        response, content = post(page_server, body=body)
    except (ConnectionResetError, BrokenPipeError):  # far over: closed without reading it all
        assert size > 1024 * 1024
        return
    assert response.status == 413 and "64 KB" in json.loads(content)["error"]


def test_the_longest_letter_allowed_is_a_document(page_server):
    line = "Every line of a long letter, with its [blanks] and accents: señora, petición.\n"
    text = line * (32_000 // len(line))  # ten times the longest draft
    body = json.dumps({**LETTER, "text": text}).encode()
    assert 32_000 - len(line) < len(text) <= 32_000 and len(body) < 64 * 1024
    response, data = post(page_server, "/documents/letter.docx", body=body)
    assert response.status == 200 and len(docx_paragraphs(data)) == 1 + text.count("\n")


def test_get_is_not_how_documents_are_asked_for(page_server):
    connection = http.client.HTTPConnection("127.0.0.1", page_server, timeout=10)
    connection.request("GET", "/documents/letter.pdf", headers={"Host": f"localhost:{page_server}"})
    response = connection.getresponse()
    assert response.status == 405 and response.getheader("Allow") == "POST"
    connection.close()


def test_the_letter_is_never_logged_even_when_a_document_fails(page_server, serve_module, monkeypatch, capfd):
    def broken(text, title, language):
        raise ValueError(text)  # an error whose message holds the letter

    monkeypatch.setitem(serve_module.DOCUMENTS, "pdf", (PDF_MEDIA_TYPE, broken))
    response, content = post(page_server)
    assert response.status == 500 and b"private" not in content
    response, _ = post(page_server, "/documents/letter.docx")
    assert response.status == 200
    post(page_server, body={**LETTER, "language": "fr"})
    written = capfd.readouterr()
    assert "could not write a letter as pdf: ValueError" in written.err
    assert PRIVATE not in written.out + written.err and "QUEJA" not in written.out + written.err

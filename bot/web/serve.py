"""Serve the web chat page: the page, its script and stylesheet and socket.io-client's bundle, and
a draft letter as a Word file or a PDF when the page asks for one; nothing else.

Run: python bot/web/serve.py --host 127.0.0.1 --port 8080 --rasa-url http://127.0.0.1:5005
with the repository on PYTHONPATH (the run command does this: scripts/common.sh sets it). The
page talks only to the Rasa server given here: the address is written into the page and into
its Content-Security-Policy, so no link can point a patient's chat at another host.

Documents (POST /documents/letter.docx, /documents/letter.pdf): the page sends the letter's
title, text and language as JSON and gets the document back to save; it is written then
(care_clock/writing/documents.py) and kept nowhere, so no conversation carries its bytes. Only
the page itself may ask: JSON only (415), from its own origin, on a host name this machine
answers to (403, as REST does: no other site, no DNS rebinding), at most MAX_DOCUMENT_BODY bytes
(413), every field checked (400). The letter's text is never logged.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit

import yaml

from care_clock.writing.documents import DOCUMENTS
from care_clock.writing.drafts import letter_filename

HERE = Path(__file__).resolve().parent
CONTACTS = HERE.parents[1] / "seeds" / "contacts.yml"
SOCKET_IO_CLIENT = HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
STATIC = {  # path -> (file, content type); the page itself is rendered per request
    "/chat.js": (HERE / "chat.js", "text/javascript; charset=utf-8"),
    "/chat.css": (HERE / "chat.css", "text/css; charset=utf-8"),
    # socket.io-client's browser bundle, pinned in package.json and package-lock.json
    "/socket.io.min.js": (SOCKET_IO_CLIENT, "text/javascript; charset=utf-8"),
}
PAGE_PATHS = {"/", "/index.html"}
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}
HOSTNAME = re.compile(r"^(?:[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]+\])$")
MAX_CONNECTIONS = 64  # far above what one page load needs (4 requests), bounds the threads
IDLE_SECONDS = 10  # a connection that sends nothing for this long is closed
# Documents: the path of each kind, the largest body (a letter is a few KB; this leaves room for
# any draft, and is far below the Rasa server's 1 MB), each field's bound, the languages.
DOCUMENT_PATHS = {f"/documents/letter.{kind}": kind for kind in DOCUMENTS}
MAX_DOCUMENT_BODY = 64 * 1024
MAX_DRAINED_BODY = 1024 * 1024  # a larger body is read and dropped up to this, so the client sees the 413
MAX_TITLE_CHARACTERS = 200
MAX_TEXT_CHARACTERS = 32_000
DOCUMENT_LANGUAGES = ("en", "es")
DOCUMENT_FIELDS = {"title", "text", "language"}
DOCUMENTS_AT_ONCE = 2  # the machine's cores: more requests wait their turn
DOCUMENT_WAIT_SECONDS = 10  # then 503
# Host names the documents answer to without more configuration, as REST (bot/channels/rest.py).
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
ALLOWED_HOSTS_ENV = "CARE_CLOCK_ALLOWED_HOSTS"


class RasaServer:
    """The one Rasa server the page may talk to, as http(s)://host:port."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if (
            parts.scheme not in ("http", "https")
            or parts.path not in ("", "/")
            or parts.query
            or parts.username
            or parts.port is None
        ):
            raise ValueError(f"--rasa-url must look like http://127.0.0.1:5005, got {url!r}")
        self.scheme, self.host, self.port = parts.scheme, parts.hostname or "", parts.port

    def url_for(self, page_host: str) -> str | None:
        """The server's address as the browser sees it; a wildcard listen address means the page's own host."""
        host = self.host
        if host in WILDCARD_HOSTS:
            host = page_host.rsplit(":", 1)[0] if not page_host.endswith("]") else page_host
            if not HOSTNAME.match(host):
                return None
        elif ":" in host:
            host = f"[{host}]"
        return f"{self.scheme}://{host}:{self.port}"


def default_rasa_url() -> str:
    """The Rasa server scripts/common.sh starts: CARE_CLOCK_HOST and RASA_PORT."""
    return f"http://{os.environ.get('CARE_CLOCK_HOST', '127.0.0.1')}:{os.environ.get('RASA_PORT', '5005')}"


def load_contacts() -> dict[str, str]:
    """The numbers the page shows, from the cited seed file (not typed here a second time)."""
    seeds = yaml.safe_load(CONTACTS.read_text(encoding="utf-8"))
    dmhc, crisis = seeds["contacts"]["dmhc_help_center"], seeds["crisis"]
    return {
        "dmhc_name": dmhc["name"],
        "dmhc_phone": dmhc["phone"],
        "crisis_phone": crisis["lifeline"]["phone"],
        "emergency_phone": crisis["emergency"]["phone"],
    }


def security_headers(rasa_url: str | None) -> dict[str, str]:
    ws_url = rasa_url.replace("http", "ws", 1) if rasa_url else ""
    # 'self': the page asks this server for a letter's Word file or PDF (POST /documents/...)
    connect = f"'self' {rasa_url} {ws_url}" if rasa_url else "'self'"
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        # data: for the bot's calendar picture; the calendar file and letters download as data: and blob: links
        "img-src 'self' data:; "
        f"connect-src {connect}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def host_name(host_header: str) -> str:
    """ "127.0.0.1:8080" -> "127.0.0.1", "[::1]:8080" -> "::1" (as bot/channels/rest.py)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def page_host_names(listen_host: str = "") -> set[str]:
    """The names this machine's page is reached by: loopback, CARE_CLOCK_HOST and the address the page
    listens on (unless every interface), the hosts of the page's origins (WEB_ORIGINS, which the
    socket also allows) and CARE_CLOCK_ALLOWED_HOSTS."""
    names = {*LOOPBACK_NAMES, os.environ.get("CARE_CLOCK_HOST", "127.0.0.1").lower()}
    if listen_host not in WILDCARD_HOSTS:
        names.add(listen_host.lower())
    for origin in os.environ.get("WEB_ORIGINS", "").split():
        names.add((urlsplit(origin).hostname or "").lower())
    names.update(name.strip().lower() for name in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",") if name.strip())
    names.discard("")
    return names


def document_refusal(headers: Any, listen_host: str) -> tuple[int, str] | None:
    """(status, reason) when a document request may not come from this server's own page."""
    if headers.get("Content-Type", "").split(";")[0].strip().lower() != "application/json":
        return 415, "send the letter as JSON, with Content-Type: application/json"
    host = headers.get("Host", "").strip().lower()
    if not host or host_name(host) not in page_host_names(listen_host):
        return 403, "this server does not answer to that host name"
    origin = headers.get("Origin", "").strip().lower()
    if origin not in (f"http://{host}", f"https://{host}"):
        return 403, "documents are for this web page only"
    if headers.get("Sec-Fetch-Site", "same-origin").strip().lower() != "same-origin":
        return 403, "documents are for this web page only"
    return None


def letter_fields(body: bytes) -> tuple[dict[str, str] | None, str]:
    """The letter's title, text and language from a request body, or None and what is wrong."""
    try:
        letter = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, "the body is not JSON (UTF-8)"
    if not isinstance(letter, dict):
        return None, "send a JSON object with the letter's title, text and language"
    unknown = sorted(set(letter) - DOCUMENT_FIELDS)
    if unknown:
        return None, f"unknown field(s): {', '.join(unknown)[:100]}; send title, text and language only"
    title, text, language = letter.get("title"), letter.get("text"), letter.get("language")
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE_CHARACTERS:
        return None, f"'title' is required: the letter's title, as text of 1 to {MAX_TITLE_CHARACTERS} characters"
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_CHARACTERS:
        return None, f"'text' is required: the letter, as text of 1 to {MAX_TEXT_CHARACTERS} characters"
    if language not in DOCUMENT_LANGUAGES:
        return None, "'language' is required: " + " or ".join(f'"{code}"' for code in DOCUMENT_LANGUAGES)
    return {"title": title, "text": text, "language": language}, ""


def make_handler(
    rasa: RasaServer, page: Template, contacts: dict[str, str], listen_host: str = "127.0.0.1"
) -> type[BaseHTTPRequestHandler]:
    static = {path: (file.read_bytes(), kind) for path, (file, kind) in STATIC.items()}
    escaped = {name: html.escape(value) for name, value in contacts.items()}
    writing = threading.BoundedSemaphore(DOCUMENTS_AT_ONCE)

    class PageHandler(BaseHTTPRequestHandler):
        """GET and HEAD of the page's own files; everything else is 404 (no listing, no file system)."""

        timeout = IDLE_SECONDS

        def version_string(self) -> str:  # no Python version in the Server header
            return "CareClock"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self.answer(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self.answer(send_body=False)

        def answer(self, send_body: bool) -> None:
            path = self.path.split("?", 1)[0]
            self.rasa_url = rasa.url_for(self.headers.get("Host", ""))
            if path in DOCUMENT_PATHS:
                self.send_json(405, "documents are written on POST, with the letter as JSON", allow="POST")
                return
            if path in PAGE_PATHS:
                if not self.rasa_url:  # only with a wildcard --rasa-url host and a malformed Host header
                    self.send_error(400, "Bad Host header")
                    return
                body = page.substitute(escaped, rasa_url=html.escape(self.rasa_url)).encode()
                kind = "text/html; charset=utf-8"
            elif path in static:
                body, kind = static[path]
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def do_POST(self) -> None:  # noqa: N802
            """A letter as a document: the page's own request only, its fields checked, nothing kept."""
            self.rasa_url = rasa.url_for(self.headers.get("Host", ""))
            kind = DOCUMENT_PATHS.get(self.path)
            if kind is None:
                self.send_json(404, "not found")
                return
            refusal = document_refusal(self.headers, listen_host)
            if refusal:
                self.send_json(*refusal)
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                length = -1
            if length < 0 or self.headers.get("Transfer-Encoding"):
                self.send_json(411, "send the letter with a Content-Length")
                return
            if length > MAX_DOCUMENT_BODY:
                if length <= MAX_DRAINED_BODY:  # read it to the end, so the client gets the answer
                    self.rfile.read(length)
                self.send_json(413, f"a letter is at most {MAX_DOCUMENT_BODY // 1024} KB")
                return
            letter, problem = letter_fields(self.rfile.read(length))
            if letter is None:
                self.send_json(400, problem)
                return
            media_type, write = DOCUMENTS[kind]
            if not writing.acquire(timeout=DOCUMENT_WAIT_SECONDS):
                self.send_json(503, "busy writing other documents; try again in a moment")
                return
            try:
                body = write(letter["text"], letter["title"], letter["language"])
            except Exception as error:  # the type only: the message could quote the letter
                print(f"could not write a letter as {kind}: {type(error).__name__}", file=sys.stderr, flush=True)
                self.send_json(500, "could not write this document; the letter's text can still be copied")
                return
            finally:
                writing.release()
            self.send_response(200)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            # an ASCII name of the letter's title in its language (care-clock-carta-de-queja.pdf)
            self.send_header("Content-Disposition", f'attachment; filename="{letter_filename(letter["title"], kind)}"')
            self.send_header("Cache-Control", "no-store")  # the patient's letter: kept by no cache
            self.end_headers()
            self.wfile.write(body)

        def send_json(self, status: int, reason: str, allow: str | None = None) -> None:
            body = json.dumps({"error": reason}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            if allow:
                self.send_header("Allow", allow)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def end_headers(self) -> None:  # every response, errors included
            for name, value in security_headers(getattr(self, "rasa_url", None)).items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, format: str, *args) -> None:  # nothing: a document request carries a letter
            pass

    return PageHandler


class BoundedServer(ThreadingHTTPServer):
    """One thread per connection, at most MAX_CONNECTIONS of them; extra connections are closed at once."""

    daemon_threads = True
    request_queue_size = MAX_CONNECTIONS

    def __init__(self, *args, **kwargs):
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument(
        "--rasa-url",
        default=default_rasa_url(),
        help="the Rasa server the page talks to (default: from CARE_CLOCK_HOST and RASA_PORT)",
    )
    args = parser.parse_args()
    try:
        rasa = RasaServer(args.rasa_url)
    except ValueError as error:
        parser.error(str(error))
    page = Template((HERE / "index.html").read_text(encoding="utf-8"))
    server = BoundedServer((args.host, args.port), make_handler(rasa, page, load_contacts(), args.host))
    print(f"web chat page on http://{args.host}:{args.port}/ talking to {args.rasa_url}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

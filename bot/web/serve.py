"""Serve the web chat page: the page, its script and stylesheet and socket.io-client's bundle, nothing else.

Run: python bot/web/serve.py --host 127.0.0.1 --port 8080 --rasa-url http://127.0.0.1:5005
(the run command does this). The page talks only to the Rasa server given here: the
address is written into the page and into its Content-Security-Policy, so no link
can point a patient's chat at another host.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

import yaml

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
    connect = f"{rasa_url} {ws_url}" if rasa_url else "'none'"
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


def make_handler(rasa: RasaServer, page: Template, contacts: dict[str, str]) -> type[BaseHTTPRequestHandler]:
    static = {path: (file.read_bytes(), kind) for path, (file, kind) in STATIC.items()}
    escaped = {name: html.escape(value) for name, value in contacts.items()}

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

        def end_headers(self) -> None:  # every response, errors included
            for name, value in security_headers(getattr(self, "rasa_url", None)).items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, format: str, *args) -> None:  # page requests only, no chat text passes here
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
    server = BoundedServer((args.host, args.port), make_handler(rasa, page, load_contacts()))
    print(f"web chat page on http://{args.host}:{args.port}/ talking to {args.rasa_url}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

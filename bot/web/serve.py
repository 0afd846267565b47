"""Serve the web chat page: index.html and the widget bundle, nothing else.

Run: python bot/web/serve.py --port 8080 (the run command does this).
"""
from __future__ import annotations

import argparse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {
    "/": HERE / "index.html",
    "/index.html": HERE / "index.html",
    "/webchat.js": HERE / "node_modules" / "rasa-webchat" / "lib" / "index.js",
}
TYPES = {".html": "text/html; charset=utf-8", ".js": "application/javascript; charset=utf-8"}


class PageHandler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = FILES.get(self.path.split("?", 1)[0])
        if path is None or not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", TYPES[path.suffix])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # page requests only, no chat text passes here
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), PageHandler)
    print(f"web chat page on http://{args.host}:{args.port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

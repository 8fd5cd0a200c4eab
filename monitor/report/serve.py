"""`policywatch report --serve`: the written report over HTTP on 127.0.0.1 only (never another
interface: the report names every watched vendor)."""

from __future__ import annotations

from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .render import CSP

LOOPBACK = "127.0.0.1"


class ReportHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".atom": "application/atom+xml; charset=utf-8",
                      ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8"}

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        pass


def make_server(directory: Path, port: int = 8000) -> ThreadingHTTPServer:
    """A server of `directory` bound to 127.0.0.1 (port 0: any free port)."""
    handler = partial(ReportHandler, directory=str(directory))
    server = ThreadingHTTPServer((LOOPBACK, port), handler)
    server.daemon_threads = True
    return server

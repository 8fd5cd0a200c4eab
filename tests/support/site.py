"""A real web site on 127.0.0.1 for tests: serves policy pages that tests change at run time.

Each path has a default response and an optional queue of one-off responses served first (for
"500 then recovery" and the like). Conditional GET is honoured with ETag and Last-Modified, so
an unchanged page costs a 304. Requests are counted per path.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (timeouts)
    conditional: bool = True  # ETag / Last-Modified validators
    trickle: int = 0  # send the body at this many bytes a second (0: at once)


def html(text: str, status: int = 200, **kwargs: object) -> Reply:
    return Reply(status=status, body=text.encode("utf-8"), **kwargs)  # type: ignore[arg-type]


class Site:
    """Start with `with Site() as site:` or start()/stop(); pages via set_page()/queue()."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.pages: dict[str, Reply] = {}
        self.queues: dict[str, deque[Reply]] = {}
        self.hits: Counter[str] = Counter()
        self.hosts: list[str] = []  # the Host header of every request
        self.connections = 0  # TCP connections accepted (keep-alive reuses one)
        self.not_modified: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.modified: dict[str, float] = {}

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def set_page(self, path: str, reply: Reply | str) -> None:
        """Serve `reply` at `path` from now on (a str is served as HTML)."""
        with self.lock:
            self.pages[path] = html(reply) if isinstance(reply, str) else reply
            self.modified[path] = time.time()

    def queue(self, path: str, *replies: Reply) -> None:
        """Serve these replies once each, in order, before the page's default reply."""
        with self.lock:
            self.queues.setdefault(path, deque()).extend(replies)

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Site:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def next_reply(self, path: str) -> tuple[Reply | None, float]:
        with self.lock:
            self.hits[path] += 1
            queued = self.queues.get(path)
            if queued:
                return queued.popleft(), time.time()
            return self.pages.get(path), self.modified.get(path, time.time())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def setup(self) -> None:
                super().setup()
                with site.lock:
                    site.connections += 1

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                site.hosts.append(self.headers.get("Host", ""))
                reply, modified = site.next_reply(self.path)
                if reply is None:
                    reply = html("<html><body><h1>Not Found</h1></body></html>", status=404)
                if reply.delay:
                    time.sleep(reply.delay)
                etag = '"' + hashlib.sha256(reply.body).hexdigest()[:16] + '"'
                last_modified = formatdate(modified, usegmt=True)
                if (reply.conditional and reply.status == 200
                        and self.headers.get("If-None-Match") == etag):
                    site.not_modified[self.path] += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                if reply.conditional and reply.status == 200:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", last_modified)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if not reply.trickle:
                        self.wfile.write(reply.body)
                    for start in range(0, len(reply.body) if reply.trickle else 0, 1):
                        self.wfile.write(reply.body[start:start + 1])
                        self.wfile.flush()
                        time.sleep(1 / reply.trickle)

        return Handler

"""A real HTTP receiver on 127.0.0.1 standing in for a Slack incoming webhook.

It records every POSTed JSON body and answers from a script of replies (500, 429 with
Retry-After, ...) before the default `200 ok`, like Slack. `hold()` makes the next request wait
until `release()`, so a test can kill a dispatcher while its request is in flight. `delivered()`
de-duplicates accepted messages by their first block_id, as a receiver that honours policywatch's
stable ids would.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WEBHOOK_PATH = "/services/T0000TEST/B0000TEST/secretsecretsecret"


@dataclass
class SlackReply:
    status: int = 200
    body: str = "ok"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SlackRequest:
    path: str
    payload: dict[str, Any]
    status: int  # what the receiver answers (0 while held, or if the client went away)

    @property
    def message_key(self) -> str:
        return str(self.payload["blocks"][0]["block_id"])

    @property
    def texts(self) -> list[str]:
        """Every text of the message: the fallback and each block's text or elements."""
        out = [str(self.payload.get("text", ""))]
        for block in self.payload.get("blocks", []):
            if "text" in block:
                out.append(str(block["text"]["text"]))
            out.extend(str(e.get("text", "")) for e in block.get("elements", []))
        return out


class SlackReceiver:
    def __init__(self) -> None:
        self.requests: list[SlackRequest] = []
        self.replies: deque[SlackReply] = deque()
        self.lock = threading.Lock()
        self._hold_next = False
        self._gate = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{WEBHOOK_PATH}"

    def script(self, *replies: SlackReply) -> None:
        with self.lock:
            self.replies.extend(replies)

    def hold(self) -> None:
        """The next request waits (unanswered) until release()."""
        self._gate.clear()
        self._hold_next = True

    def release(self) -> None:
        self._gate.set()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[SlackRequest]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.requests)

    def delivered(self) -> dict[str, SlackRequest]:
        """Accepted messages by stable id: a duplicate of an id counts once."""
        return {r.message_key: r for r in self.requests if 200 <= r.status < 300}

    def _request(self, path: str, headers: dict[str, str], body: bytes) -> SlackRequest:
        """What is recorded of a POST (subclasses keep more of it)."""
        return SlackRequest(path, json.loads(body or b"{}"), 0)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
                return

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                request = receiver._request(self.path, dict(self.headers.items()),
                                            self.rfile.read(length))
                with receiver.lock:
                    hold, receiver._hold_next = receiver._hold_next, False
                    receiver.requests.append(request)
                    reply = receiver.replies.popleft() if receiver.replies else SlackReply()
                if hold:
                    receiver._gate.wait(timeout=30)
                request.status = reply.status  # before answering: the client may be fast
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    body = reply.body.encode()
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client died while we held the request
                    request.status = 0

        return Handler

    def start(self) -> SlackReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> SlackReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""A real HTTP receiver on 127.0.0.1 for webhook and Apprise channels, built on the Slack
receiver's scripting (replies, hold/release, wait_for).

It keeps each request's headers and exact body bytes, so a test can check the signature as a
real receiver would, and `delivered()` drops duplicates by the Idempotency-Key header.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from .slack import SlackReceiver, SlackReply


@dataclass
class WebhookRequest:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def payload(self) -> Any:
        return json.loads(self.body)

    @property
    def message_key(self) -> str:
        return self.headers.get("Idempotency-Key", "")

    def signed_by(self, secret: str) -> bool:
        """What a receiver does: recompute the HMAC of the raw body, compare in constant time."""
        expected = "sha256=" + hmac.new(secret.encode(), self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.headers.get("X-Policywatch-Signature", ""))


class WebhookReceiver(SlackReceiver):
    requests: list[WebhookRequest]  # type: ignore[assignment]

    def delivered(self) -> dict[str, WebhookRequest]:  # type: ignore[override]
        """Accepted requests by Idempotency-Key: a duplicate of a key counts once."""
        return {r.message_key: r for r in self.requests if 200 <= r.status < 300}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
                return

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                request = WebhookRequest(self.path, dict(self.headers.items()),
                                         self.rfile.read(length), 0)
                with receiver.lock:
                    hold, receiver._hold_next = receiver._hold_next, False
                    receiver.requests.append(request)
                    reply = receiver.replies.popleft() if receiver.replies else SlackReply()
                if hold:
                    receiver._gate.wait(timeout=30)
                request.status = reply.status
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    body = reply.body.encode()
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    request.status = 0

        return Handler

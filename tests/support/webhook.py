"""A real HTTP receiver on 127.0.0.1 for webhook and Apprise channels, built on the Slack
receiver (its server, replies, hold/release, wait_for); only what it records differs.

It keeps each request's headers and exact body bytes, so a test can check the signature as a
real receiver would, and `delivered()` drops duplicates by the Idempotency-Key header.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from .slack import SlackReceiver


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
    """`delivered()` is the Slack receiver's, keyed by WebhookRequest.message_key."""

    requests: list[WebhookRequest]  # type: ignore[assignment]

    def _request(self, path: str, headers: dict[str, str],  # type: ignore[override]
                 body: bytes) -> WebhookRequest:
        return WebhookRequest(path, headers, body, 0)

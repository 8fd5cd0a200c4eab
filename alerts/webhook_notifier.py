"""The webhook channel: the alert as a JSON document POSTed to a URL of the receiver's, signed.

Headers: `Idempotency-Key` is the stable message id (the same on every retry, so a receiver can
drop duplicates) and `X-Policywatch-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact body
bytes keyed with the channel's secret, so the receiver knows the alert is ours. The URL and the
secret come from the environment (`url_env`, `secret_env`) and never appear in an error.
2xx delivers; 429 and 5xx are retried (Retry-After honoured); any other answer is permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping

import requests

from policywatch.monitor.channels import DEFAULT_TIMEOUT
from policywatch.monitor.errors import AlertError
from policywatch.monitor.fetch.httputil import (
    Proxies,
    ensure_pinning,
    parse_retry_after,
    send_pinned,
)
from policywatch.monitor.fetch.netguard import Resolver, resolve_host
from policywatch.monitor.watchlist import AlertChannel

from .guard import guard_channel_url
from .message import AlertMessage
from .render_webhook import webhook_body
from .textsafe import strip_controls

SIGNATURE_HEADER = "X-Policywatch-Signature"
MAX_RETRY_AFTER = 86_400.0


def signature(secret: str, body: bytes) -> str:
    """The X-Policywatch-Signature value of `body`: what a receiver recomputes and compares
    with hmac.compare_digest."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookNotifier:
    def __init__(self, channel: AlertChannel, *, session: requests.Session | None = None,
                 environ: Mapping[str, str] | None = None,
                 resolver: Resolver = resolve_host) -> None:
        self.channel = channel
        self.session = session or requests.Session()
        ensure_pinning(self.session)
        self.proxies = Proxies.from_settings(None)  # the environment's, read once
        self.environ = os.environ if environ is None else environ
        self.resolver = resolver
        self.url_env = str(channel.options.get("url_env"))
        self.secret_env = str(channel.options.get("secret_env"))
        self.timeout = float(channel.options.get("timeout", DEFAULT_TIMEOUT))

    def describe(self) -> str:
        return f"webhook from ${self.url_env}, signed with ${self.secret_env}"

    def _secret(self, variable: str, key: str) -> str:
        value = self.environ.get(variable, "").strip()
        if not value:
            raise AlertError(self.channel.name, f"environment variable {variable} ({key}) is "
                             "not set", transient=False)
        return value

    def send(self, message: AlertMessage) -> str | None:
        url = self._secret(self.url_env, "url_env")
        secret = self._secret(self.secret_env, "secret_env")
        try:
            target = guard_channel_url(self.channel, url, what=f"the URL in ${self.url_env}",
                                       resolver=self.resolver)
        except AlertError as exc:
            raise AlertError(self.channel.name, exc.detail.replace(url, "<webhook URL>"),
                             transient=exc.transient) from exc
        body = webhook_body(message)
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "Idempotency-Key": message.message_id,
                   SIGNATURE_HEADER: signature(secret, body),
                   "User-Agent": "policywatch-webhook/1"}
        try:
            response = send_pinned(self.session, requests.Request(
                "POST", target.url, data=body, headers=headers), target, proxies=self.proxies,
                timeout=self.timeout)
        except requests.Timeout as exc:
            raise AlertError(self.channel.name, f"webhook timed out after {self.timeout:g}s",
                             transient=True) from exc
        except requests.RequestException as exc:
            raise AlertError(self.channel.name, f"webhook unreachable ({type(exc).__name__})",
                             transient=True) from exc
        return self._check(response)

    def _check(self, response: requests.Response) -> str | None:
        status = response.status_code
        if 200 <= status < 300:
            return None
        body = strip_controls(response.text[:200]).strip() or "(no body)"
        transient = status == 429 or status >= 500
        retry_after = parse_retry_after(response.headers.get("Retry-After")) if transient else None
        if retry_after is not None:
            retry_after = min(retry_after, MAX_RETRY_AFTER)
        what = "rate limited" if status == 429 else f"answered HTTP {status}"
        raise AlertError(self.channel.name, f"webhook {what}: {body}", transient=transient,
                         retry_after=retry_after)

"""The Slack channel: a Block Kit message POSTed to an incoming webhook (plain requests).

The webhook URL is a secret: it is read from the environment at send time and never appears in
an error message (requests puts the URL in its exceptions, so they are redacted).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import requests

from policywatch.monitor.channels import DEFAULT_TIMEOUT
from policywatch.monitor.errors import AlertError
from policywatch.monitor.fetch.httputil import (
    Proxies,
    ensure_pinning,
    parse_retry_after,
    send_pinned,
)
from policywatch.monitor.watchlist import AlertChannel

from .guard import guard_channel_url
from .message import AlertMessage
from .render_slack import slack_payload
from .textsafe import strip_controls

MAX_RETRY_AFTER = 86_400.0


class SlackNotifier:
    def __init__(self, channel: AlertChannel, *, session: requests.Session | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.channel = channel
        self.session = session or requests.Session()
        ensure_pinning(self.session)
        self.proxies = Proxies.from_settings(None)  # the environment's, read once
        self.environ = os.environ if environ is None else environ
        self.variable = str(channel.options.get("webhook_url_env"))
        self.timeout = float(channel.options.get("timeout", DEFAULT_TIMEOUT))

    def describe(self) -> str:
        return f"Slack webhook from ${self.variable}"

    def _url(self) -> str:
        url = self.environ.get(self.variable, "").strip()
        if not url:
            raise AlertError(self.channel.name, f"environment variable {self.variable} "
                             "(webhook_url_env) is not set", transient=False)
        if urlsplit(url).scheme not in ("https", "http") or not urlsplit(url).hostname:
            raise AlertError(self.channel.name, f"environment variable {self.variable} does not "
                             "hold an http(s) URL", transient=False)
        return url

    def send(self, message: AlertMessage) -> str | None:
        url = self._url()
        payload = slack_payload(message, self.channel.options.get("username"))
        try:
            target = guard_channel_url(self.channel, url)
        except AlertError as exc:
            raise AlertError(self.channel.name, _redact(exc.detail, url),
                             transient=exc.transient) from exc
        try:
            response = send_pinned(self.session, requests.Request("POST", target.url,
                                                                  json=payload),
                                   target, proxies=self.proxies, timeout=self.timeout)
        except requests.Timeout as exc:
            raise AlertError(self.channel.name, f"webhook timed out after {self.timeout:g}s",
                             transient=True) from exc
        except requests.RequestException as exc:
            detail = _redact(f"{type(exc).__name__}: {exc}", url)
            raise AlertError(self.channel.name, f"webhook unreachable: {detail}",
                             transient=True) from exc
        return self._check(response, url)

    def _check(self, response: requests.Response, url: str) -> str | None:
        status = response.status_code
        if 200 <= status < 300:
            return None
        body = _redact(strip_controls(response.text[:200]), url).strip()
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None:
            retry_after = min(retry_after, MAX_RETRY_AFTER)
        transient = status == 429 or status >= 500
        what = "rate limited" if status == 429 else f"answered HTTP {status}"
        raise AlertError(self.channel.name, f"webhook {what}: {body or '(no body)'}",
                         transient=transient, retry_after=retry_after if transient else None)


def _redact(text: str, url: str) -> str:
    parts = urlsplit(url)
    text = text.replace(url, "<webhook URL>")
    if parts.path and len(parts.path) > 1:
        text = text.replace(parts.path, "/<redacted>")
    return text

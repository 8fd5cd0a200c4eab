"""The Apprise channel: one alert to any of the ~100 services Apprise reaches (Microsoft Teams,
Discord, Mattermost, Telegram, ntfy, Rocket.Chat, PagerDuty, generic JSON/form endpoints, ...).

Apprise URLs carry their services' secrets, so they come from the environment (`urls_env`; several
separated by spaces or commas, as Apprise allows). Apprise only says whether a delivery worked, not
why it did not, so a failure is transient and retried with backoff until the outbox's attempt
limit; a URL Apprise cannot parse is permanent. Apprise is an optional extra
(`pip install 'policywatch[apprise]'`), imported only when such a channel sends.

Services whose URL names a host of the user's (json://, form://, ntfy://host, mmost://, ...) pass
the private-address guard like every channel; services with a fixed public endpoint (discord://,
tgram://, ...) have no host of the user's to check.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any

import requests

from policywatch.monitor.errors import AlertError
from policywatch.monitor.fetch.netguard import Resolver, resolve_host
from policywatch.monitor.watchlist import AlertChannel

from .guard import guard_channel_url
from .message import AlertMessage, one_line
from .render_email import render_html, render_text
from .render_markdown import render_markdown

FORMATS: dict[str, Callable[[AlertMessage], str]] = {
    "markdown": render_markdown, "text": render_text, "html": render_html,
}
MAX_TITLE = 200
_SEPARATORS = re.compile(r"[\s,]+")


def split_urls(value: str) -> list[str]:
    return [url for url in _SEPARATORS.split(value.strip()) if url]


def _apprise() -> Any:  # Any: the apprise module, third-party and untyped
    try:
        import apprise  # an optional extra: 25 MB with its dependencies
    except ImportError as exc:
        raise AlertError("apprise", "the apprise package is not installed: pip install "
                         "'policywatch[apprise]'", transient=False) from exc
    return apprise


class AppriseNotifier:
    def __init__(self, channel: AlertChannel, *, session: requests.Session | None = None,
                 environ: Mapping[str, str] | None = None,
                 resolver: Resolver = resolve_host) -> None:
        # `session` is part of every notifier's constructor; Apprise makes its own connections.
        self.channel = channel
        self.environ = os.environ if environ is None else environ
        self.resolver = resolver
        self.variable = str(channel.options.get("urls_env"))
        self.format = str(channel.options.get("format", "markdown"))

    def describe(self) -> str:
        count = len(split_urls(self.environ.get(self.variable, "")))
        return f"Apprise, {count} URL(s) from ${self.variable}, {self.format}"

    def send(self, message: AlertMessage) -> str | None:
        apprise = _apprise()
        urls = split_urls(self.environ.get(self.variable, ""))
        if not urls:
            raise AlertError(self.channel.name, f"environment variable {self.variable} "
                             "(urls_env) is not set", transient=False)
        bundle = apprise.Apprise()
        for number, url in enumerate(urls, start=1):
            self._add(apprise, bundle, url, f"Apprise URL {number} of ${self.variable}")
        body = FORMATS[self.format](message)
        sent = bundle.notify(body=body, title=one_line(message.subject, MAX_TITLE),
                             body_format=self.format)
        if not sent:
            raise AlertError(self.channel.name, f"Apprise could not deliver to every URL of "
                             f"${self.variable} (it does not say why: see its log)",
                             transient=True)
        return None

    def _add(self, apprise: Any, bundle: Any, url: str, what: str) -> None:
        # Any and getattr: Apprise's module, bundle and plugins are third-party and untyped.
        plugin = apprise.Apprise.instantiate(url)
        if plugin is None:
            raise AlertError(self.channel.name, f"{what} is not a URL Apprise understands",
                             transient=False)
        host = getattr(plugin, "host", None)
        if host and "host" in getattr(plugin, "template_tokens", {}):
            # A host of the user's: judge it as the fetcher would judge a watched page. Apprise
            # connects by name itself, so this guard cannot pin the address it checked.
            guard_channel_url(self.channel, f"http://{_bracket(host)}/", what=what,
                              resolver=self.resolver)
        bundle.add(plugin)


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host

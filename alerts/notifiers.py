"""The channels' common interface and the registry of notifier types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import requests

from policywatch.monitor.watchlist import AlertChannel

from .apprise_notifier import AppriseNotifier
from .console_notifier import ConsoleNotifier
from .email_notifier import EmailNotifier
from .message import AlertMessage
from .slack_notifier import SlackNotifier
from .webhook_notifier import WebhookNotifier


class Notifier(Protocol):
    def send(self, message: AlertMessage) -> str | None:
        """Deliver the message or raise AlertError (transient or permanent). May return a note
        about the delivery (e.g. recipients the server refused)."""

    def describe(self) -> str:
        """Where messages go, without secrets (for `alerts test` and logs)."""


class NotifierType(Protocol):
    """What NOTIFIERS holds: a notifier class, built from its channel (secrets are read from
    `environ` at send time; `session` is the HTTP session for web channels)."""

    def __call__(self, channel: AlertChannel, *, session: requests.Session | None = None,
                 environ: Mapping[str, str] | None = None) -> Notifier: ...


NOTIFIERS: dict[str, NotifierType] = {
    "email": EmailNotifier,
    "slack": SlackNotifier,
    "console": ConsoleNotifier,
    "webhook": WebhookNotifier,
    "apprise": AppriseNotifier,
}


def make_notifier(channel: AlertChannel, *, session: requests.Session | None = None,
                  environ: Mapping[str, str] | None = None) -> Notifier:
    """The notifier for a configured channel, by its type."""
    return NOTIFIERS[channel.type](channel, session=session, environ=environ)

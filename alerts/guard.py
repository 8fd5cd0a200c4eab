"""The private-address guard for alert channels: the fetcher's guard (monitor.fetch.netguard), with
the channel's own permission and errors as AlertError.

A channel may reach a private address only when its table says `allow_private_address = true`
(a local mail relay is a real setup) or [settings] allow_private_addresses is true. Every
channel that connects somewhere calls one of these two before connecting and connects only to
an address they return (httputil.send_pinned for HTTP, PinnedSMTP for mail).
"""

from __future__ import annotations

from policywatch.monitor.errors import AlertError, FetchError
from policywatch.monitor.fetch.netguard import Resolver, Target, guard_host, guard_url, resolve_host
from policywatch.monitor.watchlist import AlertChannel

HINT = "; set allow_private_address = true in [alerts.{name}] if this relay is meant to be local"


def _alert_error(channel: AlertChannel, exc: FetchError, what: str) -> AlertError:
    detail = exc.detail
    if exc.reason == "private_address":
        detail = detail.split(";", 1)[0] + HINT.format(name=channel.name)
    return AlertError(channel.name, f"{what} refused: {detail}", transient=exc.transient)


def guard_channel_url(channel: AlertChannel, url: str, *, what: str = "webhook",
                      resolver: Resolver = resolve_host) -> Target:
    """Judge a channel's URL as the HTTP client reads it; return the target to pin to."""
    try:
        return guard_url(url, allow_private=channel.allow_private_address, resolver=resolver)
    except FetchError as exc:
        raise _alert_error(channel, exc, what) from exc


def guard_channel_host(channel: AlertChannel, host: str, *, what: str = "host",
                       resolver: Resolver = resolve_host) -> tuple[str, ...]:
    """Resolve a channel's host once and judge every address; connect only to one of these
    (empty when private addresses are allowed: connect by name)."""
    try:
        return guard_host(host, allow_private=channel.allow_private_address, resolver=resolver)
    except FetchError as exc:
        raise _alert_error(channel, exc, f"{what} {host}") from exc

"""The private-address guard for alert channels: a channel's host must be public, like a watched
page's, unless the channel says `allow_private_address = true` (a local relay is a real set-up).

It is the fetcher's guard (monitor.fetch.netguard) with its errors turned into the outbox's: a
private address is permanent (the operator must change the configuration), a name that does not
resolve is transient (DNS comes back).
"""

from __future__ import annotations

from policywatch.monitor.errors import AlertError, FetchError
from policywatch.monitor.fetch.netguard import Resolver, check_url_allowed, resolve_host
from policywatch.monitor.watchlist import AlertChannel


def allows_private(channel: AlertChannel) -> bool:
    return channel.options.get("allow_private_address") is True


def guard_channel_url(channel: AlertChannel, url: str, *, what: str,
                      resolver: Resolver = resolve_host) -> None:
    """Raise AlertError if `url` (described as `what`, never quoted: it may hold a secret) would
    reach a private address this channel is not allowed to reach."""
    try:
        check_url_allowed(url, allow_private=allows_private(channel), resolver=resolver)
    except FetchError as exc:
        if exc.reason == "private_address":
            detail = (f"{what} reaches a private, loopback, link-local or reserved address; set "
                      f"allow_private_address = true in [alerts.{channel.name}] to allow it")
        elif exc.reason == "dns_failure":
            detail = f"{what}: its host does not resolve"
        else:
            detail = f"{what} is not an http(s) URL"
        raise AlertError(channel.name, detail, transient=exc.transient) from exc

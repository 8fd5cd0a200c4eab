"""Refuse fetches that would reach a private address.

A watched URL, or a redirect from it, must not make policywatch fetch from the machine's own
network (loopback, private ranges, link-local cloud metadata, reserved space) unless the
settings allow it. The host is resolved and every address it resolves to is checked.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from policywatch.monitor.errors import FetchError

Resolver = Callable[[str], list[str]]


def resolve_host(host: str) -> list[str]:
    """Every address the host resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url_allowed(url: str, *, allow_private: bool,
                      resolver: Resolver = resolve_host) -> None:
    """Raise a permanent FetchError if `url` is not http(s) or reaches a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "bad_url", "only http:// and https:// URLs can be fetched",
                         transient=False)
    if allow_private:
        return
    try:
        addresses = resolver(parts.hostname)
    except (OSError, UnicodeError) as exc:
        raise FetchError(url, "dns_failure", f"cannot resolve {parts.hostname!r}: {exc}",
                         transient=True) from exc
    blocked = [a for a in addresses if not is_public_address(a)]
    if blocked or not addresses:
        raise FetchError(
            url, "private_address",
            f"{parts.hostname} resolves to {', '.join(blocked) or 'nothing'}, a private, "
            "loopback, link-local or reserved address; set allow_private_addresses = true in "
            "[settings] to allow it", transient=False)

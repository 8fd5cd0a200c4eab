"""Refuse fetches and deliveries that would reach a private address.

A watched URL, a redirect from it, or an alert channel must not make policywatch connect to the
machine's own network (loopback, private ranges, link-local cloud metadata, reserved space)
unless the settings allow it. Three rules make that hold:

- The URL is judged as the HTTP client reads it: requests prepares it, urllib3's `parse_url`
  reads the prepared URL, and a URL that `urlsplit` reads differently (another host or port) is
  refused, as is any backslash, user name, control character or space (`url_problem`).
- The host is resolved once, every address is judged (embedded IPv4 in IPv4-mapped, NAT64 and
  6to4 addresses unwrapped), and the connection goes to a checked address (`Target.addresses`,
  pinned by monitor.fetch.httputil.PinnedAdapter), so a second DNS answer cannot redirect it.
- `guard_url` and `guard_host` are the two entry points: fetcher, Slack and SMTP call them, and
  so should every new channel.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna
import requests
from urllib3.util import parse_url

from policywatch.monitor.errors import FetchError

Resolver = Callable[[str], list[str]]
AddressJudge = Callable[[str], bool]  # True when the address may be connected to

DEFAULT_PORTS = {"http": 80, "https": 443}
IP = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges Python's `is_global` lets through (or that embed an IPv4 address judged on its own).
_REFUSED_V4 = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.88.99.0/24", "198.18.0.0/15",
    "224.0.0.0/4", "240.0.0.0/4")]
_REFUSED_V6 = [ipaddress.ip_network(n) for n in (
    "::/96",  # IPv4-compatible (deprecated), also :: and ::1
    "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "3fff::/20", "5f00::/16",
    "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8")]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT IPv4-translated


def resolve_host(host: str) -> list[str]:
    """Every address the host resolves to (IPv4 and IPv6), in the resolver's order of
    preference (RFC 6724: the order a connection tries them)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, translated, NAT64, 6to4, compatible)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or ip in _TRANSLATED or (int(ip) >> 32 == 0 and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(address: str) -> str | None:
    """Why `address` must not be connected to, or None when it is a public unicast address."""
    ip: IP = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            why = refusal(str(inner))
            if why or int(ip) >> 32 == 0:
                return f"embeds {inner}" + (f", {why}" if why else " (IPv4-compatible)")
            return None
    refused = _REFUSED_V6 if isinstance(ip, ipaddress.IPv6Address) else _REFUSED_V4
    if any(ip in network for network in refused) or not ip.is_global:
        return "private, loopback, link-local or reserved"
    return None


def is_public_address(address: str) -> bool:
    return refusal(address) is None


def url_problem(url: str) -> str | None:
    """Why a URL is refused before any parsing (the characters parsers disagree about)."""
    if "\\" in url:
        return "contains a backslash, which browsers and HTTP libraries read differently"
    bad = next((c for c in url if ord(c) < 0x21 or ord(c) == 0x7F), None)
    if bad is not None:
        return f"contains the control or space character U+{ord(bad):04X}"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"does not parse: {exc}"
    if "@" in parts.netloc:
        return "contains a user name or password ('user@host'); put credentials elsewhere"
    return None


@dataclass(frozen=True)
class Target:
    """A URL judged for connection: the URL the client sends, its host and port as urllib3
    reads them, and the checked addresses to connect to (empty: not pinned, private allowed)."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...] = ()

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if DEFAULT_PORTS.get(self.scheme) == self.port else f"{name}:{self.port}"


def _bad(url: str, detail: str) -> FetchError:
    return FetchError(url, "bad_url", detail, transient=False)


def _ascii_host(host: str) -> str:
    try:
        return idna.encode(host, uts46=True).decode("ascii") if not host.isascii() else host
    except idna.IDNAError:
        return host


@functools.lru_cache(maxsize=8192)  # a pure function of the URL; watched URLs repeat
def client_target(url: str) -> Target:
    """The scheme, host and port the HTTP client will connect to for `url` (unresolved);
    refuses a URL that urlsplit and urllib3 read as different hosts or ports."""
    problem = url_problem(url)
    if problem:
        raise _bad(url, f"URL {problem}")
    try:
        sent = str(requests.Request("GET", url).prepare().url)
        parsed = parse_url(sent)
        ours, theirs = urlsplit(url), urlsplit(sent)
        split_port = ours.port
    except (ValueError, requests.exceptions.RequestException) as exc:
        raise _bad(url, f"URL does not parse: {exc}") from exc
    scheme = (parsed.scheme or "").lower()
    if scheme not in DEFAULT_PORTS or not parsed.host:
        raise _bad(url, "only http:// and https:// URLs can be fetched")
    host = parsed.host.strip("[]").lower()
    port = parsed.port or DEFAULT_PORTS[scheme]
    readings = {host, _ascii_host(ours.hostname or "").lower(), (theirs.hostname or "").lower()}
    if len(readings) > 1 or (split_port or DEFAULT_PORTS[scheme]) != port:
        raise _bad(url, "URL is read as different hosts by different parsers "
                   f"({', '.join(sorted(readings))}); refusing it")
    return Target(url=sent, scheme=scheme, host=host, port=port)


def guard_host(host: str, *, allow_private: bool, resolver: Resolver = resolve_host,
               judge: AddressJudge = is_public_address, what: str = "") -> tuple[str, ...]:
    """Resolve `host` once and judge every address; return them (connect to one of these and
    nothing else). Empty when `allow_private` (nothing is resolved then). Raises FetchError:
    `private_address` (permanent) or `dns_failure` (transient)."""
    if allow_private:
        return ()
    where = what or host
    try:
        addresses = [str(ipaddress.ip_address(host))]  # a literal is not resolved
    except ValueError:
        try:
            addresses = resolver(host)
        except (OSError, UnicodeError) as exc:
            raise FetchError(where, "dns_failure", f"cannot resolve {host!r}: {exc}",
                             transient=True) from exc
    blocked = [f"{a} ({refusal(a) or 'refused'})" for a in addresses if not judge(a)]
    if blocked or not addresses:
        raise FetchError(
            where, "private_address",
            f"{host} resolves to {', '.join(blocked) or 'nothing'}: not a public address; set "
            "allow_private_addresses = true in [settings] to allow it", transient=False)
    return tuple(addresses)


def guard_url(url: str, *, allow_private: bool, resolver: Resolver = resolve_host,
              judge: AddressJudge = is_public_address) -> Target:
    """Judge `url` as the client will connect: parse it as urllib3 does, resolve once, check
    every address. Connect to `Target.addresses` (monitor.fetch.httputil.pin)."""
    target = client_target(url)
    addresses = guard_host(target.host, allow_private=allow_private, resolver=resolver,
                           judge=judge, what=url)
    return Target(target.url, target.scheme, target.host, target.port, addresses)


def check_url_allowed(url: str, *, allow_private: bool,
                      resolver: Resolver = resolve_host) -> None:
    """Raise a FetchError if `url` is not http(s) or reaches a non-public address."""
    guard_url(url, allow_private=allow_private, resolver=resolver)

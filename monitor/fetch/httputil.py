"""HTTP helpers shared by the fetcher, the Wayback client and the Slack notifier: Retry-After, the
session for many hosts, and the adapter that connects to the address the guard checked."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from policywatch.monitor.fetch.deadline import POOL_CLASSES
from policywatch.monitor.fetch.netguard import Target


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds (integer or decimal) or an HTTP
    date, relative to `now` (a Unix time; default the current time). None when absent or
    unreadable; never negative."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


# --- one HTTP session for many hosts, connecting to checked addresses -------------------------

PIN_ATTRIBUTE = "_policywatch_server_name"


class PinnedAdapter(HTTPAdapter):
    """A transport adapter for requests prepared by `pin`: the URL names the checked IP address,
    the Host header and (for https) the TLS server name and certificate check name the host.
    Connection pools are keyed by (address, port, server name), so keep-alive still works."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        # Connections that honour monitor.fetch.deadline.response_deadline (slow headers too).
        self.poolmanager.pool_classes_by_scheme = POOL_CLASSES

    def build_connection_pool_key_attributes(  # type: ignore[override]  # stubs' TypedDicts
            self, request: requests.PreparedRequest, verify: Any, cert: Any = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert)
        kwargs: dict[str, Any] = dict(pool_kwargs)
        name = getattr(request, PIN_ATTRIBUTE, None)
        if name and host_params["scheme"] == "https":
            kwargs["server_hostname"] = name  # TLS SNI
            kwargs["assert_hostname"] = name  # the certificate must name the host
        return dict(host_params), kwargs


def pin(prepared: requests.PreparedRequest, target: Target,
        address: str | None = None) -> requests.PreparedRequest:
    """Point a prepared request at a checked address of `target` (the first unless named; none
    when it has none), keeping what the server sees: Host header and TLS server name."""
    if not target.addresses:
        return prepared
    address = address or target.addresses[0]
    if address not in target.addresses:
        raise ValueError(f"{address} was not checked for {target.host}: not connecting to it")
    netloc = f"[{address}]" if ":" in address else address
    parts = urlsplit(str(prepared.url))
    prepared.url = urlunsplit((parts.scheme, f"{netloc}:{target.port}", parts.path,
                               parts.query, ""))
    prepared.headers["Host"] = target.host_header
    setattr(prepared, PIN_ATTRIBUTE, target.host)
    return prepared


def send_pinned(session: requests.Session, request: requests.Request, target: Target, *,
                proxies: Proxies, timeout: float | tuple[float, float],
                stream: bool = False) -> requests.Response:
    """Send `request` (whose URL is `target.url`) to the checked address, or through the proxy
    chosen at start (which resolves the name itself). Redirects are never followed here: the
    caller guards each hop. Prepared and sent by hand: no per-request environment scan."""
    prepared = session.prepare_request(request)
    chosen = proxies.for_target(target.scheme, target.host)
    if chosen or not target.addresses:
        return session.send(prepared, timeout=timeout, allow_redirects=False, stream=stream,
                            proxies=chosen)
    # Like the resolver's own connect: the next checked address when one cannot be reached
    # (an IPv6 address on a machine without IPv6), never an address that was not checked.
    for number, address in enumerate(target.addresses, start=1):
        attempt = pin(prepared.copy(), target, address)
        try:
            return session.send(attempt, timeout=timeout, allow_redirects=False, stream=stream,
                                proxies={})
        except requests.exceptions.ConnectionError as exc:
            if number == len(target.addresses) or not _not_connected(exc):
                raise
    raise AssertionError("unreachable")


def _not_connected(exc: requests.exceptions.ConnectionError) -> bool:
    """The connection was never made (refused, unreachable, connect timeout): the request did
    not reach the server, so another address may be tried."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.exceptions.ConnectTimeout) or isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError)


def ensure_pinning(session: requests.Session, pools: int = 10, per_pool: int = 4) -> None:
    """Mount a PinnedAdapter on the session unless it has one (an injected plain session must
    not lose the TLS server name of pinned requests). `pools`: hosts kept alive at once;
    `per_pool`: connections kept per host."""
    for prefix in ("http://", "https://"):
        if not isinstance(session.adapters.get(prefix), PinnedAdapter):
            session.mount(prefix, PinnedAdapter(pool_connections=pools, pool_maxsize=per_pool))


@dataclass(frozen=True)
class Proxies:
    """Proxies chosen once at start (settings.proxy, else the environment), so no request scans
    the environment again. `no_proxy` holds host suffixes that go direct ('*' for all)."""

    by_scheme: dict[str, str] = field(default_factory=dict)
    no_proxy: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, proxy: str | None,
                      environ: Mapping[str, str] | None = None) -> Proxies:
        if proxy:
            return cls({"http": proxy, "https": proxy})
        env = {k.lower(): v for k, v in (os.environ if environ is None else environ).items()}
        found = {s: env[f"{s}_proxy"] for s in ("http", "https") if env.get(f"{s}_proxy")}
        if env.get("all_proxy"):
            found = {"http": env["all_proxy"], "https": env["all_proxy"], **found}
        bypass = tuple(p.strip().lower().lstrip(".") for p in env.get("no_proxy", "").split(",")
                       if p.strip())
        return cls(found, bypass)

    def for_target(self, scheme: str, host: str) -> dict[str, str]:
        """The proxies for one request: {} when it goes direct."""
        proxy = self.by_scheme.get(scheme)
        if not proxy or any(p == "*" or host == p or host.endswith("." + p)
                            for p in self.no_proxy):
            return {}
        return {scheme: proxy}


def make_session(user_agent: str, *, hosts: int = 1,
                 proxies: Proxies | None = None) -> requests.Session:
    """A session for `hosts` hosts: pinning adapters with one pool per host (keep-alive reused
    across checks), no per-request environment scans (trust_env off: `proxies`, chosen once,
    are the session's for clients that call session.get, like the Wayback client), the
    User-Agent set."""
    session = requests.Session()
    session.trust_env = False
    session.proxies = dict((proxies or Proxies()).by_scheme)
    ensure_pinning(session, pools=max(10, hosts))
    session.headers["User-Agent"] = user_agent
    return session

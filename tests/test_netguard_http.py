"""The guard against real servers on loopback: parser differentials in policy URLs and redirect
Locations, DNS rebinding, and connections pinned to the checked address (Host header, TLS server
name and certificate name kept). 127.0.0.1 plays the internal service the guard must protect;
127.0.0.2 plays a public host (an injected address judge says so); names end in .invalid and are
answered by an injected resolver."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from policywatch.monitor.errors import ConfigError, FetchError
from policywatch.monitor.fetch.http import Fetcher
from policywatch.monitor.pipeline import check
from policywatch.monitor.watchlist import Settings, load_watchlist, parse_watchlist
from tests.support import pages
from tests.support.config import load, make_context, write_watchlist
from tests.support.site import Reply, Site

PUBLIC = "127.0.0.2"
POLICY = pages.policy_page(
    "# Privacy Policy\n\nWe collect your e-mail address to send you the newsletter you asked "
    "for, and nothing else. We keep it until you unsubscribe.\n\n## Sharing\n\nWe do not sell "
    "your personal information and we do not share it with anyone except the company that sends "
    "the newsletter on our behalf under contract.\n")
GUARDED = Settings(allow_private_addresses=False, timeout=5, retries=0)


def plays_public(address: str) -> bool:
    return address == PUBLIC


@pytest.fixture
def two_hosts() -> Iterator[tuple[Site, Site]]:
    """An internal site on 127.0.0.1 and a 'public' one on 127.0.0.2, on the same port."""
    internal = Site("127.0.0.1").start()
    try:
        public = Site(PUBLIC, internal.port).start()
    except OSError:
        internal.stop()
        pytest.skip("127.0.0.2 is not usable as a second loopback address here")
    for site in (internal, public):
        site.set_page("/p", POLICY)
    yield internal, public
    public.stop()
    internal.stop()


class Rebinding:
    """DNS that answers the public address on the first call and 127.0.0.1 afterwards."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, host: str) -> list[str]:
        assert host.endswith(".invalid"), host
        self.calls += 1
        return [PUBLIC] if self.calls == 1 else ["127.0.0.1"]


@pytest.fixture
def system_dns(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[str], list[str]]], None]:
    """Route the system resolver's answers for *.invalid names to a test resolver, so an HTTP
    client that resolves again (the rebinding hole) meets the second answer."""
    real = socket.getaddrinfo

    def install(resolver: Callable[[str], list[str]]) -> None:
        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(host, str) and host.endswith(".invalid"):
                return [info for address in resolver(host)
                        for info in real(address, port, *args, **kwargs)]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    return install


def test_validate_refuses_a_backslash_url_naming_file_policy_and_key(tmp_path: Path) -> None:
    url = "http://127.0.0.1:8080\\@policies.invalid/../p"
    path = write_watchlist(tmp_path, [{"name": "sneaky", "url": url}])
    with pytest.raises(ConfigError) as raised:
        load_watchlist(path)
    message = str(raised.value)
    assert str(path) in message
    assert "policy 'sneaky': key 'url'" in message and "backslash" in message


@pytest.mark.parametrize(("url", "detail"), [
    ("http://user:pw@policies.invalid/p", "user name or password"),
    ("http://policies.invalid/p\\u0007", "U\\+0007"),
])
def test_validate_refuses_userinfo_and_control_characters(url: str, detail: str) -> None:
    text = f'[[policy]]\nname = "p"\nurl = "{url}"\n'  # TOML reads \u0007 as BEL
    with pytest.raises(ConfigError, match=f"policy 'p': key 'url': .*{detail}"):
        parse_watchlist(text, "w.toml")


def test_a_backslash_url_never_reaches_the_host_urllib3_reads(
        two_hosts: tuple[Site, Site]) -> None:
    internal, public = two_hosts
    # urlsplit reads the host after '\@' (public.invalid); urllib3 the one before (127.0.0.1).
    url = f"http://127.0.0.1:{internal.port}\\@public.invalid/../p"
    fetcher = Fetcher(requests.Session(), GUARDED, resolver=lambda host: [PUBLIC],
                      judge=plays_public)
    with pytest.raises(FetchError) as raised:
        fetcher.fetch(url)
    assert raised.value.reason == "bad_url" and "backslash" in raised.value.detail
    assert internal.hits["/p"] == 0 and public.hits["/p"] == 0


def test_a_redirect_location_with_a_backslash_is_refused(two_hosts: tuple[Site, Site]) -> None:
    internal, public = two_hosts
    public.set_page("/start", Reply(status=302, headers={
        "Location": f"http://127.0.0.1:{internal.port}\\@public.invalid/p"}))
    fetcher = Fetcher(requests.Session(), GUARDED, resolver=lambda host: [PUBLIC],
                      judge=plays_public)
    with pytest.raises(FetchError) as raised:
        fetcher.fetch(f"http://{PUBLIC}:{public.port}/start")
    assert raised.value.reason == "bad_url"
    assert "redirect" in raised.value.detail and "backslash" in raised.value.detail
    assert public.hits["/start"] == 1 and internal.hits["/p"] == 0


def test_rebinding_dns_cannot_move_the_connection(
        two_hosts: tuple[Site, Site], tmp_path: Path,
        system_dns: Callable[[Callable[[str], list[str]]], None]) -> None:
    internal, public = two_hosts
    dns = Rebinding()
    system_dns(dns)
    url = f"http://rebind.invalid:{public.port}/p"
    ctx = make_context(load(write_watchlist(tmp_path, [{"name": "p", "url": url}],
                                            {"allow_private_addresses": False, "retries": 0})))
    ctx.resolver, ctx.judge = dns, plays_public

    result = check(ctx, ctx.watchlist.policy("p"))

    assert result.outcome == "first_version", result
    assert dns.calls == 1  # resolved once: the client did not ask again
    assert public.hits["/p"] == 1 and internal.hits["/p"] == 0
    assert public.hosts == [f"rebind.invalid:{public.port}"]  # the original Host header


def test_every_check_resolves_again_and_judges_the_new_answer(
        two_hosts: tuple[Site, Site]) -> None:
    internal, public = two_hosts
    dns = Rebinding()
    fetcher = Fetcher(requests.Session(), GUARDED, resolver=dns, judge=plays_public)
    url = f"http://rebind.invalid:{public.port}/p"
    assert fetcher.fetch(url).status == 200
    with pytest.raises(FetchError) as raised:
        fetcher.fetch(url)  # the name now points at 127.0.0.1
    assert raised.value.reason == "private_address" and "127.0.0.1" in raised.value.detail
    assert internal.hits["/p"] == 0


def test_pinned_connections_are_kept_alive(two_hosts: tuple[Site, Site]) -> None:
    _, public = two_hosts
    fetcher = Fetcher(requests.Session(), GUARDED, resolver=lambda host: [PUBLIC],
                      judge=plays_public)
    url = f"http://kept.invalid:{public.port}/p"
    first = fetcher.fetch(url)
    assert fetcher.fetch(url).status == 200
    for _ in range(3):  # unchanged pages: a 304 gives its connection back too
        assert fetcher.fetch(url, etag=first.headers["ETag"]).not_modified
    assert public.hits["/p"] == 5 and public.not_modified["/p"] == 3
    assert public.connections == 1


def test_an_unreachable_checked_address_falls_back_to_the_next_checked_one(
        two_hosts: tuple[Site, Site]) -> None:
    internal, public = two_hosts
    # 127.0.0.3 plays a checked address nothing listens on (say, IPv6 without a route).
    dns_order = ["127.0.0.3", PUBLIC]
    fetcher = Fetcher(requests.Session(), GUARDED, resolver=lambda host: dns_order,
                      judge=lambda address: address in dns_order)
    assert fetcher.fetch(f"http://dual.invalid:{public.port}/p").status == 200
    assert public.hits["/p"] == 1 and internal.hits["/p"] == 0


def _self_signed(directory: Path, name: str) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}"],
                   check=True, capture_output=True)
    return cert, key


def test_https_pinned_to_the_address_keeps_server_name_and_certificate_check(
        tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path, "pinned.invalid")
    server_names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)  # type: ignore
    site = Site(PUBLIC)
    site.server.socket = context.wrap_socket(site.server.socket, server_side=True)
    site.set_page("/p", POLICY)
    session = requests.Session()
    session.verify = str(cert)
    with site:
        fetcher = Fetcher(session, GUARDED, resolver=lambda host: [PUBLIC], judge=plays_public)
        page = fetcher.fetch(f"https://pinned.invalid:{site.port}/p")
        assert page.status == 200 and b"newsletter" in page.body
        assert server_names == ["pinned.invalid"]
        assert site.hosts == [f"pinned.invalid:{site.port}"]
        # The certificate is checked against the name, not the address it was pinned to.
        wrong = Fetcher(session, GUARDED, resolver=lambda host: [PUBLIC], judge=plays_public)
        with pytest.raises(FetchError) as raised:
            wrong.fetch(f"https://other.invalid:{site.port}/p")
        assert raised.value.reason == "tls_error"

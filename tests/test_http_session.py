"""The HTTP session for many hosts: proxies chosen once at start (settings.proxy, else the
environment, with no_proxy), never looked up again per request; pools sized to the hosts;
connections kept alive across checks (see also test_netguard_http.py)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import requests

from policywatch.monitor.context import open_context
from policywatch.monitor.errors import FetchError
from policywatch.monitor.fetch.http import Fetcher
from policywatch.monitor.fetch.httputil import PinnedAdapter, Proxies, make_session
from policywatch.monitor.pipeline import check
from policywatch.monitor.watchlist import Settings
from tests.support import pages
from tests.support.config import load, write_watchlist
from tests.support.site import Site

LOCAL = Settings(allow_private_addresses=True, timeout=5, retries=0)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(("environ", "scheme", "host", "expected"), [
    ({"HTTPS_PROXY": "http://proxy.invalid:3128"}, "https", "a.invalid",
     {"https": "http://proxy.invalid:3128"}),
    ({"https_proxy": "http://proxy.invalid:3128"}, "http", "a.invalid", {}),
    ({"ALL_PROXY": "http://proxy.invalid:1"}, "http", "a.invalid", {"http": "http://proxy.invalid:1"}),
    ({"HTTP_PROXY": "http://p.invalid:1", "NO_PROXY": "corp.invalid,.intra.invalid"}, "http",
     "policy.corp.invalid", {}),
    ({"HTTP_PROXY": "http://p.invalid:1", "NO_PROXY": "corp.invalid"}, "http",
     "notcorp.invalid", {"http": "http://p.invalid:1"}),
    ({"HTTP_PROXY": "http://p.invalid:1", "no_proxy": "*"}, "http", "a.invalid", {}),
])
def test_proxies_from_the_environment(environ: dict[str, str], scheme: str, host: str,
                                      expected: dict[str, str]) -> None:
    assert Proxies.from_settings(None, environ).for_target(scheme, host) == expected


def test_the_settings_proxy_wins_over_the_environment() -> None:
    proxies = Proxies.from_settings("http://configured.invalid:8080",
                                    {"HTTP_PROXY": "http://env.invalid:1"})
    assert proxies.for_target("http", "a.invalid") == {"http": "http://configured.invalid:8080"}


def test_the_environment_is_read_once_at_start(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    with Site() as site:
        site.set_page("/p", pages.policy_page("We collect your e-mail address. " * 10))
        monkeypatch.delenv("HTTP_PROXY", raising=False)
        monkeypatch.delenv("http_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        wl = load(write_watchlist(tmp_path, [{"name": "p", "url": site.url("/p")}]))
        ctx = open_context(wl)
        # A proxy appearing in the environment later is not looked up per request.
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
        assert check(ctx, wl.policy("p")).outcome == "first_version"
        assert site.hits["/p"] == 1


def test_requests_go_through_the_configured_proxy(tmp_path: Path) -> None:
    with Site() as proxy:
        fetcher = Fetcher(make_session("pw-test"), LOCAL,
                          proxies=Proxies.from_settings(proxy.url("")))
        url = "http://policy.invalid/privacy"
        with pytest.raises(FetchError, match="http_404"):  # the stand-in proxy knows no pages
            fetcher.fetch(url)
        assert proxy.hits[url] == 1  # absolute-form request line: a proxy request


def test_the_session_is_sized_for_the_hosts_and_ignores_the_environment() -> None:
    session = make_session("pw-test", hosts=50,
                           proxies=Proxies({"https": "http://proxy.invalid:3128"}))
    adapter = session.get_adapter("https://a.invalid/")
    assert isinstance(adapter, PinnedAdapter)
    assert adapter._pool_connections == 50  # one kept-alive pool per host
    assert session.trust_env is False and session.headers["User-Agent"] == "pw-test"
    assert session.proxies == {"https": "http://proxy.invalid:3128"}  # for session.get users


def test_an_injected_plain_session_gets_the_pinning_adapter() -> None:
    session = requests.Session()
    Fetcher(session, LOCAL)
    assert isinstance(session.get_adapter("https://a.invalid/"), PinnedAdapter)

"""The private-address guard (cases in tests/cases/netguard/*.toml) and Retry-After parsing.
Nothing here connects: a resolver is injected, and names end in .invalid."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.errors import FetchError
from policywatch.monitor.fetch.http import parse_retry_after
from policywatch.monitor.fetch.netguard import (
    check_url_allowed,
    client_target,
    guard_url,
    is_public_address,
    refusal,
)

CASES = Path(__file__).parent / "cases/netguard"
ADDRESSES: dict[str, Any] = tomllib.loads((CASES / "addresses.toml").read_text())
URLS: dict[str, Any] = tomllib.loads((CASES / "urls.toml").read_text())


@pytest.mark.parametrize("name", sorted(ADDRESSES))
def test_address_judgement(name: str) -> None:
    case = ADDRESSES[name]
    address = case["address"]
    assert is_public_address(address) is not case["refused"]
    if not case["refused"]:
        guard_url("https://policy.invalid/", allow_private=False, resolver=lambda host: [address])
        return
    with pytest.raises(FetchError) as raised:
        guard_url("http://policy.invalid/privacy", allow_private=False,
                  resolver=lambda host: [address])
    assert raised.value.reason == "private_address" and not raised.value.transient
    assert address in raised.value.detail and "allow_private_addresses" in raised.value.detail
    if "embeds" in case:
        assert f"embeds {case['embeds']}" in str(refusal(address))


@pytest.mark.parametrize("name", sorted(URLS))
def test_url_as_the_client_reads_it(name: str) -> None:
    case = URLS[name]
    url = case["url"].replace("{port}", "8080")
    if case.get("ok"):
        assert client_target(url).host == case["host"]
        return
    with pytest.raises(FetchError) as raised:
        guard_url(url, allow_private=True)  # refused even where private addresses are allowed
    assert raised.value.reason == "bad_url" and not raised.value.transient
    assert case["detail"] in raised.value.detail


def test_an_ip_literal_is_judged_not_resolved() -> None:
    def lying(host: str) -> list[str]:
        return ["8.8.8.8"]

    with pytest.raises(FetchError, match="127.0.0.1"):
        guard_url("http://127.0.0.1:8080/p", allow_private=False, resolver=lying)
    with pytest.raises(FetchError, match="::1"):
        guard_url("http://[::1]:8080/p", allow_private=False, resolver=lying)


def test_the_guard_returns_every_checked_address() -> None:
    target = guard_url("https://policy.invalid:8443/p?q=1", allow_private=False,
                       resolver=lambda host: ["8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946"])
    assert target.addresses == ("8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946")
    assert (target.scheme, target.host, target.port) == ("https", "policy.invalid", 8443)
    assert target.host_header == "policy.invalid:8443"


def test_one_private_address_among_public_ones_is_refused() -> None:
    with pytest.raises(FetchError, match="10.0.0.7"):
        check_url_allowed("https://policy.invalid/", allow_private=False,
                          resolver=lambda host: ["93.184.216.34", "10.0.0.7"])


def test_allow_private_addresses_skips_resolution() -> None:
    def no_dns(host: str) -> list[str]:
        raise AssertionError("must not resolve")

    check_url_allowed("http://127.0.0.1:8080/p", allow_private=True, resolver=no_dns)


@pytest.mark.parametrize("url", ["ftp://policy.example/p", "file:///etc/passwd", "http:///p"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(FetchError) as raised:
        check_url_allowed(url, allow_private=True)
    assert raised.value.reason == "bad_url"


def test_unresolvable_host_is_transient() -> None:
    def failing(host: str) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(FetchError) as raised:
        check_url_allowed("https://nowhere.invalid/", allow_private=False, resolver=failing)
    assert raised.value.reason == "dns_failure" and raised.value.transient


@pytest.mark.parametrize(("header", "seconds"), [("120", 120.0), ("0", 0.0), ("soon", None),
                                                 ("", None)])
def test_retry_after_seconds(header: str, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("Tue, 14 Nov 2023 22:13:40 GMT", now=now) == pytest.approx(20.0)

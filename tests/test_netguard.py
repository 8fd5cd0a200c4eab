"""The private-address guard and Retry-After parsing."""

from __future__ import annotations

import pytest

from policywatch.monitor.errors import FetchError
from policywatch.monitor.fetch.http import parse_retry_after
from policywatch.monitor.fetch.netguard import check_url_allowed, is_public_address

BLOCKED = ["127.0.0.1", "127.0.0.50", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
           "0.0.0.0", "100.64.0.1", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
           "::ffff:10.0.0.1", "240.0.0.1"]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946"]


@pytest.mark.parametrize("address", BLOCKED)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(address)
    with pytest.raises(FetchError) as raised:
        check_url_allowed("http://policy.example/privacy", allow_private=False,
                          resolver=lambda host: [address])
    assert raised.value.reason == "private_address" and not raised.value.transient
    assert address in raised.value.detail and "allow_private_addresses" in raised.value.detail


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(address)
    check_url_allowed("https://policy.example/", allow_private=False,
                      resolver=lambda host: [address])


def test_one_private_address_among_public_ones_is_refused() -> None:
    with pytest.raises(FetchError, match="10.0.0.7"):
        check_url_allowed("https://policy.example/", allow_private=False,
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

"""Every fetch and content failure leaves a checks row with a clear reason, no version, and the
other policies unaffected (cases in tests/cases/fetch/failures.toml)."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.pipeline import check
from policywatch.storage.checks import recent_checks
from policywatch.storage.versions import timeline
from tests.support import pages
from tests.support.config import RecordedSleep, load, make_context, write_watchlist
from tests.support.site import Reply, Site

CASES = tomllib.loads((Path(__file__).parent / "cases/fetch/failures.toml").read_text())
POLICY_TEXT = (
    "# Privacy Policy\n\nLast updated: March 1, 2024\n\n## What we collect\n\n"
    "We collect your name, email address and the pages you visit. We use this information to "
    "provide and improve the service and to keep your account secure.\n\n## Sharing\n\n"
    "We do not sell your personal information. We share it only with service providers who "
    "process it on our behalf under contract.\n\n## Your rights\n\n"
    "You may ask us to access, correct or delete your personal information at any time by "
    "writing to privacy@example.com.\n"
)


def body_of(kind: str) -> bytes:
    bodies = {
        "policy": lambda: pages.policy_page(POLICY_TEXT),
        "not_found": lambda: "<html><body><h1>Not Found</h1></body></html>",
        "error": lambda: "<html><body>Internal error</body></html>",
        "empty": lambda: "",
        "bot_check": pages.bot_check_page,
        "cookie_wall": pages.cookie_wall_page,
        "soft_404": pages.soft_404_page,
        "chrome_only": lambda: pages.policy_page("").replace("<main", "<div").replace(
            "</main>", "</div>"),
        "oversize": lambda: pages.policy_page(POLICY_TEXT * 400),
    }
    if kind == "binary":
        return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x01\x02" + bytes(range(256)) * 40
    if kind == "image":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
    text = bodies[kind]()
    return text.encode("utf-8") if isinstance(text, str) else text


def reply_of(spec: dict[str, Any]) -> Reply:
    return Reply(status=spec.get("status", 200), body=body_of(spec.get("body", "policy")),
                 content_type=spec.get("content_type", "text/html; charset=utf-8"),
                 headers=dict(spec.get("headers", {})), delay=spec.get("delay", 0.0))


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/policy"


def invalid_names(host: str) -> list[str]:
    """DNS for the redirect case: public.invalid is the test site, internal.invalid another
    loopback address (never connected to: the guard refuses it first)."""
    return {"public.invalid": ["127.0.0.1"], "internal.invalid": ["127.0.0.2"]}[host]


def site_plays_public(address: str) -> bool:
    """The test site's address plays a public host; every other address keeps its judgement."""
    return address == "127.0.0.1"


@pytest.mark.parametrize("name", sorted(CASES))
def test_failure_is_recorded_and_isolated(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    with Site() as site:
        site.set_page("/healthy", pages.policy_page(POLICY_TEXT))
        for reply in case.get("replies", []):
            site.queue("/policy", reply_of(reply))
        if "then" in case:
            site.set_page("/policy", reply_of(case["then"]))
        for path, spec in case.get("extra_pages", {}).items():
            site.set_page(path, reply_of(spec))
        url = {"closed_port": closed_port_url(),
               "public_redirect": f"http://public.invalid:{site.port}/start"}.get(
            case.get("url", ""), site.url("/policy"))
        if case.get("url") == "public_redirect":
            site.set_page("/start", Reply(status=302, headers={
                "Location": f"http://internal.invalid:{site.port}/policy"}))
            site.set_page("/policy", reply_of({"body": "policy"}))
        policies = [{"name": "broken", "url": url},
                    {"name": "healthy", "url": site.url("/healthy")}]
        settings = case.get("settings", {})
        ctx = make_context(load(write_watchlist(tmp_path, policies, settings)), RecordedSleep())
        if case.get("url") == "public_redirect":
            ctx.resolver, ctx.judge = invalid_names, site_plays_public
        elif not settings.get("allow_private_addresses", True):
            healthy_ctx = make_context(load(write_watchlist(tmp_path, policies)))
            assert check(healthy_ctx, healthy_ctx.watchlist.policy("healthy")).outcome == \
                "first_version"
        result = check(ctx, ctx.watchlist.policy("broken"))
        healthy = check(ctx, ctx.watchlist.policy("healthy"))

    assert result.outcome == case["outcome"], result
    rows = recent_checks(ctx.db, "broken")
    assert len(rows) == 1 and rows[0].outcome == case["outcome"]
    if case["outcome"] == "failed":
        assert result.reason == case["reason"], result
        assert rows[0].reason == case["reason"] and rows[0].detail
        assert bool(rows[0].transient) is case["transient"]
        assert timeline(ctx.db, "broken") == []
    if "waits" in case:
        assert ctx.sleep.waits == case["waits"]  # type: ignore[attr-defined]
    if settings.get("allow_private_addresses", True) or case.get("url") == "public_redirect":
        assert healthy.outcome in ("first_version", "unchanged"), healthy
    assert len(timeline(ctx.db, "healthy")) == 1

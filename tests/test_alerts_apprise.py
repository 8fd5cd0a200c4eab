"""Apprise channels against a real receiver on 127.0.0.1 (Apprise's generic json:// service):
the alert arrives once, a failing then recovering receiver gets it delivered once, the
private-address guard holds, a URL Apprise cannot read is permanent, and the Markdown body keeps
hostile policy text inert and short."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policywatch.alerts.message import AlertMessage, preview_view
from policywatch.alerts.outbox import dispatch_pending
from policywatch.alerts.render_markdown import md, render_markdown
from policywatch.storage.changes import AlertRoute
from policywatch.storage.db import open_db
from policywatch.storage.outbox import get_alert
from tests.support.alertdb import FakeClock, add_change, make_watchlist, sale_result
from tests.support.config import RecordedSleep
from tests.support.slack import SlackReply
from tests.support.webhook import WebhookReceiver

pytest.importorskip("apprise", reason="the apprise extra is not installed")

ENV = "PW_TEST_APPRISE_URLS"
CHANNEL = {"type": "apprise", "urls_env": ENV, "allow_private_address": True}


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


def json_url(receiver: WebhookReceiver) -> str:
    return receiver.url.replace("http://", "json://", 1)


def _dispatch(tmp_path: Path, urls: str, channel: dict[str, Any] | None = None,
              passes: int = 1, settings: dict[str, Any] | None = None) -> Any:
    watchlist = make_watchlist(tmp_path, {"chat": channel or CHANNEL}, settings=settings)
    db = open_db(watchlist.settings.database)
    add_change(db, sale_result(), [AlertRoute("chat")])
    for _ in range(passes):
        dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep(),
                         environ={ENV: urls})
    return db


def test_alert_arrives_once_as_markdown(tmp_path: Path, receiver: WebhookReceiver) -> None:
    db = _dispatch(tmp_path, json_url(receiver))

    [request] = receiver.wait_for(1)
    payload = request.payload
    assert payload["title"] == "[policywatch] HIGH · Kareo privacy policy · sale of data introduced"
    assert "We ~~do not sell~~ **may sell** your data\\." in payload["message"]
    assert "Why: 'do not sell' became 'may sell'" in payload["message"]
    assert get_alert(db, 1).status == "sent"


def test_failing_then_recovering_receiver_delivers_once(tmp_path: Path,
                                                        receiver: WebhookReceiver) -> None:
    receiver.script(SlackReply(500, "down"), SlackReply(503, "still down"))

    db = _dispatch(tmp_path, json_url(receiver))

    assert [r.status for r in receiver.wait_for(3)] == [500, 503, 200]
    row = get_alert(db, 1)
    assert (row.status, row.attempts) == ("sent", 3)


def test_two_urls_in_one_variable_both_receive(tmp_path: Path, receiver: WebhookReceiver) -> None:
    with WebhookReceiver() as other:
        db = _dispatch(tmp_path, f"{json_url(receiver)}, {json_url(other)}")
        assert len(other.wait_for(1)) == 1
    assert len(receiver.wait_for(1)) == 1 and get_alert(db, 1).status == "sent"


def test_private_host_refused_without_allow_private_address(tmp_path: Path,
                                                            receiver: WebhookReceiver) -> None:
    db = _dispatch(tmp_path, json_url(receiver), {"type": "apprise", "urls_env": ENV},
                   settings={"allow_private_addresses": False})

    row = get_alert(db, 1)
    assert row.status == "failed" and receiver.requests == []
    error = row.last_error or ""
    assert "Apprise URL 1 of $PW_TEST_APPRISE_URLS" in error and "refused" in error
    assert "allow_private_address = true" in error


def test_a_url_apprise_cannot_read_is_permanent(tmp_path: Path) -> None:
    db = _dispatch(tmp_path, "nosuchservice://x/y")

    row = get_alert(db, 1)
    assert row.status == "failed" and row.attempts == 1
    assert "is not a URL Apprise understands" in (row.last_error or "")
    assert "nosuchservice" not in (row.last_error or "")  # the URL may hold a secret


@pytest.mark.parametrize(("raw", "inert"), [
    ("<!channel> @everyone", "\\<\\!channel\\> @\u200beveryone"),
    ("**bold** [link](http://evil.example)", "\\*\\*bold\\*\\* \\[link\\]\\(http://evil\\.example\\)"),
    ("<@U123> <script>", "\\<@U123\\> \\<script\\>"),
])
def test_markdown_keeps_policy_text_inert(raw: str, inert: str) -> None:
    assert md(raw) == inert


def test_a_huge_change_is_capped() -> None:
    view = preview_view("kareo", sale_result("y" * 50_000), title="Kareo")
    body = render_markdown(AlertMessage(kind="change", channel="chat", message_id="m",
                                        subject="s", changes=(view,)))
    assert len(body) < 4_000 and "more characters not shown" in body

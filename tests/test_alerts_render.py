"""Hostile policy text (cases in tests/cases/alerts/hostile.toml) arrives escaped in e-mail,
inert in Slack and free of control characters everywhere; 50,000 characters of it arrive
truncated with a line saying how much more there is, through a real SMTP server and a real
webhook receiver; Slack's limits (3,000 characters per text block, 50 blocks) always hold."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from email import message_from_string, policy
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policywatch.alerts.message import AlertMessage, ChangeView, UnitView, change_subject
from policywatch.alerts.outbox import dispatch_pending
from policywatch.alerts.render_email import MAX_UNITS, render_html, render_text
from policywatch.alerts.render_slack import MAX_BLOCK_TEXT, MAX_BLOCKS, slack_payload
from policywatch.monitor.model import ChangeUnit, DiffResult, Span
from policywatch.storage.changes import AlertRoute
from policywatch.storage.db import open_db
from tests.support.alertdb import FakeClock, add_change, make_watchlist
from tests.support.config import RecordedSleep
from tests.support.slack import SlackReceiver
from tests.support.smtp import SmtpServer

CASES = {c["name"]: c for c in tomllib.loads(
    (Path(__file__).parent / "cases" / "alerts" / "hostile.toml").read_text("utf-8"))["case"]}
ALLOWED_TAGS = {"html", "head", "meta", "title", "body", "h2", "p", "a", "b", "i", "ol", "li",
                "blockquote", "del", "ins", "br", "hr"}
ALLOWED_ATTRIBUTES = {"style", "href", "charset"}
CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
SLACK_LINK = re.compile(r"<https?://[^<>|\s]+>")
BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)
LOOKALIKES = str.maketrans({"\u2217": "*", "\u02cd": "_", "\u02dc": "~", "\u02cb": "`",
                            "\uff20": "@"})


def hostile_result(text: str, units: int = 1) -> DiffResult:
    unit = ChangeUnit(kind="modified", section=text[:200], old="We do not sell data.",
                      new=f"We may sell data. {text}",
                      spans=[Span("equal", "We "), Span("delete", "do not sell"),
                             Span("insert", "may sell"), Span("equal", " data. "),
                             Span("insert", text)],
                      material=True, categories=["sale"], severity="high", direction="worse",
                      reason=f"quoted: {text[:300]}")
    return DiffResult(changes=[unit] * units, material=True, severity="high",
                      direction="worse", categories=["sale"], summary=text[:120])


def message_for(result: DiffResult) -> AlertMessage:
    from policywatch.alerts.message import preview_view

    view = preview_view("kareo", result, title="Kareo privacy policy",
                        url="https://kareo.example/privacy")
    return AlertMessage(kind="change", channel="c", message_id="<policywatch.change-1.c@x>",
                        subject=change_subject(view), changes=(view,))


def assert_html_is_only_ours(html: str) -> lxml.html.HtmlElement:
    document = lxml.html.document_fromstring(html)
    for element in document.iter():
        assert element.tag in ALLOWED_TAGS, element.tag
        assert set(element.attrib) <= ALLOWED_ATTRIBUTES, element.attrib
        if "href" in element.attrib:
            assert element.attrib["href"].startswith(("https://", "http://"))
    return document


def slack_texts(payload: dict[str, Any]) -> list[str]:
    texts = [payload["text"]]
    for block in payload["blocks"]:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts.extend(element["text"] for element in block.get("elements", []))
    return texts


def assert_slack_is_inert(payload: dict[str, Any], forbidden: Sequence[str] = ()) -> None:
    assert len(payload["blocks"]) <= MAX_BLOCKS
    for text in slack_texts(payload):
        assert len(text) <= MAX_BLOCK_TEXT
        assert not re.search(r"[<>]", SLACK_LINK.sub("", text)), text
        assert not BROADCAST.search(text), text
        assert not CONTROLS.search(text)
        for bad in forbidden:
            assert bad not in text


def unslack(text: str) -> str:
    """What a reader sees, markup aside: entities decoded, look-alikes mapped back."""
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text.translate(LOOKALIKES)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_text_is_escaped_in_email(name: str) -> None:
    text = CASES[name]["text"]
    message = message_for(hostile_result(text))

    document = assert_html_is_only_ours(render_html(message))
    plain = render_text(message)

    visible = CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    assert visible in document.text_content()  # shown as text, not interpreted
    assert visible in plain
    assert not CONTROLS.search(plain)
    assert "\n" not in message.subject and "\r" not in message.subject


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_text_is_inert_in_slack(name: str) -> None:
    text = CASES[name]["text"]
    payload = slack_payload(message_for(hostile_result(text)))

    assert_slack_is_inert(payload, CASES[name]["slack_forbidden"])
    visible = CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    assert visible in unslack("\n".join(slack_texts(payload)))  # the words still arrive


def fifty_thousand() -> str:
    pieces = [case["text"] for case in CASES.values()]
    text = ""
    while len(text) < 50_000:
        text += " ".join(pieces) + "\n"
    return text[:50_000]


@pytest.fixture
def servers() -> Iterator[tuple[SmtpServer, SlackReceiver]]:
    with SmtpServer() as smtp, SlackReceiver() as slack:
        yield smtp, slack


def test_fifty_thousand_hostile_characters_arrive_escaped_and_truncated(
        tmp_path: Path, servers: tuple[SmtpServer, SlackReceiver]) -> None:
    smtp, slack = servers
    watchlist = make_watchlist(tmp_path, {
        "mail": smtp.channel_options(),
        "slack": {"type": "slack", "webhook_url_env": "PW_TEST_HOOK", "timeout": 5}})
    db = open_db(watchlist.settings.database)
    add_change(db, hostile_result(fifty_thousand()), [AlertRoute("mail"), AlertRoute("slack")])

    report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep(),
                              environ={"PW_TEST_HOOK": slack.url})

    assert report.sent == 2
    [mail] = smtp.wait_for(1)
    assert len(mail.raw) < 200_000  # capped, not 50,000 characters escaped several times over
    reparsed = message_from_string(mail.raw.decode(), policy=policy.default)
    assert "\n" not in str(reparsed["Subject"]) and reparsed["Bcc"] is None
    html, plain = mail.body("html"), mail.body("plain").replace("\r\n", "\n")  # wire CRLF
    assert_html_is_only_ours(html)
    assert re.search(r"… [\d,]+ more characters not shown", html)
    assert re.search(r"… [\d,]+ more characters not shown", plain)
    assert not CONTROLS.search(plain)

    [request] = slack.wait_for(1)
    assert_slack_is_inert(request.payload, ["<!channel>", "<script>", "@here"])
    whole = "\n".join(request.texts)
    shown = re.search(r"… ([\d,]+) more characters not shown", whole)
    assert shown and int(shown.group(1).replace(",", "")) > 40_000


def test_many_changes_stay_within_slack_block_limit_and_email_cap() -> None:
    result = hostile_result("We may now sell location data to brokers. " * 30, units=120)
    message = message_for(result)

    payload = slack_payload(message)
    assert_slack_is_inert(payload)
    assert len(payload["blocks"]) == MAX_BLOCKS
    assert re.search(r"… \d+ more sections not shown", payload["blocks"][-2]["text"]["text"])

    html = render_html(message)
    assert html.count("<li>") == MAX_UNITS
    assert f"… {120 - MAX_UNITS} more material changes not shown" in html
    assert len(html) < 200_000


def test_long_unchanged_context_is_shortened_around_the_change() -> None:
    before, after = "Old words. " * 200, " More old words." * 200
    unit = UnitView(kind="modified", section="Sharing", severity="high", direction="worse",
                    categories=("sale",), reason="r",
                    spans=(("equal", before), ("delete", "never"), ("insert", "may"),
                           ("equal", after)))
    view = ChangeView(change_id=1, policy="p", title="P", url=None, severity="high",
                      direction="worse", categories=("sale",), summary="s", window_start=None,
                      window_end=None, units=(unit,))
    plain = render_text(AlertMessage("change", "c", "<id@x>", "s", changes=(view,)))

    assert "[-never-]{+may+}" in plain
    assert len(plain) < 1_500  # 4,400 characters of unchanged context shortened
    assert "… Old words." in plain or "…" in plain.split("[-never-]")[0]


TOKENS = ["<", ">", "&", "!", "@", "here", "channel", "everyone", "*", "_", "~", "`", "|", "#",
          " ", "\n", "\x1b", "\u202e", "a", "https://x.example", "amp;", "lt;", "U012", "@here",
          "@Channel", "<!everyone>", "<@U012>"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=120).map("".join) | st.text(max_size=300))
def test_any_policy_text_is_inert_in_slack_and_html(text: str) -> None:
    message = message_for(hostile_result(text))
    assert_slack_is_inert(slack_payload(message))
    assert_html_is_only_ours(render_html(message))

"""The webhook channel against a real receiver on 127.0.0.1 that verifies the signature and drops
duplicates by Idempotency-Key: what arrives (a document valid against the shipped JSON schema),
each kind of answer (cases in tests/cases/channels/webhook_replies.toml), the private-address
guard, missing secrets, hostile text, and a dispatcher killed mid-send."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policywatch.alerts.outbox import dispatch_pending
from policywatch.alerts.render_webhook import SCHEMA_PATH
from policywatch.storage.changes import AlertRoute, message_id
from policywatch.storage.db import open_db
from policywatch.storage.outbox import get_alert
from tests.support.alertdb import POLICY_URL, FakeClock, add_change, make_watchlist, sale_result
from tests.support.config import RecordedSleep
from tests.support.slack import SlackReply
from tests.support.webhook import WebhookReceiver

URL_ENV, SECRET_ENV, SECRET = "PW_TEST_HOOK_URL", "PW_TEST_HOOK_SECRET", "s3cr3t-for-tests"
HOOK = {"type": "webhook", "url_env": URL_ENV, "secret_env": SECRET_ENV, "timeout": 5,
        "allow_private_address": True}
CASES = tomllib.loads((Path(__file__).parent / "cases" / "channels"
                       / "webhook_replies.toml").read_text())
SCHEMA = jsonschema.Draft202012Validator(
    __import__("json").loads(SCHEMA_PATH.read_text()))


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


def _send(tmp_path: Path, hook: WebhookReceiver, channel: dict[str, Any] | None = None,
          result: Any = None, settings: dict[str, Any] | None = None
          ) -> tuple[Any, Any, RecordedSleep]:
    watchlist = make_watchlist(tmp_path, {"hook": channel or HOOK}, settings=settings)
    db = open_db(watchlist.settings.database)
    add_change(db, result or sale_result(), [AlertRoute("hook")])
    sleep = RecordedSleep()
    report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=sleep,
                              environ={URL_ENV: hook.url, SECRET_ENV: SECRET})
    return db, report, sleep


def test_signed_document_arrives_once_and_matches_the_schema(tmp_path: Path,
                                                            hook: WebhookReceiver) -> None:
    db, report, _ = _send(tmp_path, hook)

    assert report.sent == 1
    [request] = hook.wait_for(1)
    assert request.signed_by(SECRET) and not request.signed_by("another secret")
    assert request.message_key == message_id(1, "hook")
    document = request.payload
    SCHEMA.validate(document)
    [change] = document["changes"]
    assert (change["policy"], change["url"], change["severity"]) == ("kareo", POLICY_URL, "high")
    assert change["direction"] == "worse" and change["categories"] == ["sale"]
    [unit] = change["units"]
    assert unit["reason"] == "'do not sell' became 'may sell'"
    assert (unit["removed"], unit["added"]) == ("do not sell", "may sell")
    assert change["other_changes"] == 1 and change["window"]["end"].startswith("2026-03-02")
    assert get_alert(db, 1).status == "sent"


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_answer_of_the_receiver(case: str, tmp_path: Path, hook: WebhookReceiver) -> None:
    spec = CASES[case]
    hook.script(*(SlackReply(status, body, headers) for status, body, headers in spec["replies"]))

    db, _, sleep = _send(tmp_path, hook)

    row = get_alert(db, 1)
    assert row.status == spec["status"]
    assert len(hook.wait_for(spec["requests"])) == spec["requests"]
    if "error" in spec:
        assert spec["error"] in (row.last_error or "")
    if "waits" in spec:
        assert len(sleep.waits) == len(spec["waits"])
        for waited, expected in zip(sleep.waits, spec["waits"], strict=True):
            assert 0.9 < waited <= 2.0 if expected < 0 else waited == expected
    if row.status == "sent":
        assert len(hook.delivered()) == 1 and all(r.signed_by(SECRET) for r in hook.requests)


def test_a_private_receiver_is_refused_unless_the_channel_allows_it(
        tmp_path: Path, hook: WebhookReceiver) -> None:
    db, report, _ = _send(tmp_path, hook, {**HOOK, "allow_private_address": False},
                          settings={"allow_private_addresses": False})

    assert report.failed == 1 and hook.requests == []
    error = get_alert(db, 1).last_error or ""
    assert "refused" in error and "allow_private_address = true" in error
    assert hook.url not in error  # the URL is a secret


def test_missing_secret_is_permanent_and_named(tmp_path: Path, hook: WebhookReceiver) -> None:
    watchlist = make_watchlist(tmp_path, {"hook": HOOK})
    db = open_db(watchlist.settings.database)
    add_change(db, sale_result(), [AlertRoute("hook")])

    dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep(),
                     environ={URL_ENV: hook.url})

    assert get_alert(db, 1).status == "failed" and hook.requests == []
    assert f"{SECRET_ENV} (secret_env) is not set" in (get_alert(db, 1).last_error or "")


def test_hostile_text_is_capped_and_stripped(tmp_path: Path, hook: WebhookReceiver) -> None:
    hostile = "\u202e<script>alert(1)</script>\x07" + "x" * 50_000
    _send(tmp_path, hook, result=sale_result(hostile))

    [request] = hook.wait_for(1)
    SCHEMA.validate(request.payload)
    [unit] = request.payload["changes"][0]["units"]
    assert len(unit["added"]) <= 2_000 and "\u202e" not in unit["added"]
    assert "\x07" not in unit["added"] and len(request.body) < 20_000


def test_killed_dispatcher_loses_nothing_and_the_receiver_dedupes(tmp_path: Path,
                                                                  hook: WebhookReceiver) -> None:
    from tests.test_outbox_kill import start_dispatcher, wait_until

    watchlist = make_watchlist(tmp_path, {"hook": {**HOOK, "timeout": 20}})
    db = open_db(watchlist.settings.database)
    add_change(db, sale_result(), [AlertRoute("hook")])
    env = {URL_ENV: hook.url, SECRET_ENV: SECRET}
    hook.hold()

    first = start_dispatcher(watchlist.path, env)
    try:
        wait_until(lambda: len(hook.requests) == 1)
        assert get_alert(db, 1).status == "sending"
    finally:
        first.kill()
        first.wait(10)
    hook.release()  # the receiver got it; the dispatcher never heard back

    second = start_dispatcher(watchlist.path, env)
    output, _ = second.communicate(timeout=30)

    assert second.returncode == 0, output
    assert get_alert(db, 1).status == "sent"
    requests = hook.wait_for(2)
    assert len({r.message_key for r in requests}) == 1 and len(hook.delivered()) == 1
    assert all(r.signed_by(SECRET) for r in requests)


@pytest.mark.parametrize("kind", ["webhook", "apprise"])
def test_alerts_test_reaches_both_channel_types(kind: str, tmp_path: Path,
                                                hook: WebhookReceiver,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from policywatch.monitor.cli import cli

    if kind == "apprise":
        pytest.importorskip("apprise", reason="the apprise extra is not installed")
        channel: dict[str, Any] = {"type": "apprise", "urls_env": URL_ENV,
                                   "allow_private_address": True}
        monkeypatch.setenv(URL_ENV, hook.url.replace("http://", "json://", 1))
    else:
        channel = HOOK
        monkeypatch.setenv(URL_ENV, hook.url)
        monkeypatch.setenv(SECRET_ENV, SECRET)
    watchlist = make_watchlist(tmp_path, {"team": channel})

    result = CliRunner().invoke(cli, ["--config", str(watchlist.path), "alerts", "test", "team"])

    assert result.exit_code == 0, result.output
    assert "sent a test message to team" in result.output
    [request] = hook.wait_for(1)
    if kind == "webhook":
        assert request.signed_by(SECRET) and request.payload["kind"] == "test"
        SCHEMA.validate(request.payload)
    else:
        assert request.payload["title"] == "[policywatch] test message for channel team"


def test_the_readme_receiver_snippet_verifies_a_real_signature() -> None:
    import re

    from policywatch.alerts.webhook_notifier import signature

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    [snippet] = [block for block in re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
                 if "is_from_policywatch" in block]
    namespace: dict[str, Any] = {}
    exec(snippet, namespace)  # noqa: S102 - the README's own example
    body = b'{"id":"policywatch.change-1.tickets@policywatch.local"}'
    assert namespace["is_from_policywatch"](body, signature(SECRET, body), SECRET)
    assert not namespace["is_from_policywatch"](body + b" ", signature(SECRET, body), SECRET)


def test_the_document_links_the_change_page_when_report_url_is_set(
        tmp_path: Path, hook: WebhookReceiver) -> None:
    from policywatch.monitor.report.paths import change_page_url

    base = "https://reports.example.invalid/pw/"
    watchlist = make_watchlist(tmp_path, {"hook": HOOK}, settings={"report_url": base})
    db = open_db(watchlist.settings.database)
    change_id = add_change(db, sale_result(), [AlertRoute("hook")])

    dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep(),
                     environ={URL_ENV: hook.url, SECRET_ENV: SECRET})

    [request] = hook.wait_for(1)
    SCHEMA.validate(request.payload)
    assert request.payload["changes"][0]["report_url"] == change_page_url(base, "kareo",
                                                                         change_id)

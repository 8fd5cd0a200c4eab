"""`policywatch run` as a subprocess against a local web site, a real SMTP server and a Slack
receiver, with intervals of one second. Every wait polls the daemon's JSON log (or the servers)
with a generous deadline; no fixed sleep decides an outcome."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from policywatch.storage.db import open_db
from policywatch.storage.status import alert_queue_depth
from policywatch.storage.versions import timeline
from tests.support.config import write_watchlist
from tests.support.pages import policy_page
from tests.support.site import Reply, Site, html
from tests.support.slack import SlackReceiver
from tests.support.smtp import SmtpServer

POLICY = (Path(__file__).parent / "cases" / "daemon" / "e2e_policy.md").read_text()
SAFE = "We do not sell your personal information."
SOLD = "We may sell your personal information to data brokers."
MATERIAL = POLICY.replace(SAFE, SOLD)
# Same words, different form: other chrome, extra whitespace, another bullet style.
FORM_ONLY = POLICY.replace(". We", ".  We").replace("information we hold", "information  we hold")
DEADLINE = 40.0  # seconds: generous, for a loaded 2-core machine
SLACK_ENV = "PW_E2E_SLACK_URL"

pytestmark = pytest.mark.timeout(180)


def wait_until(predicate: Callable[[], Any], what: str, timeout: float = DEADLINE) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class DaemonProcess:
    """`policywatch run` in a subprocess, its JSON log in a file we can poll."""

    def __init__(self, config: Path, env: dict[str, str], log: Path) -> None:
        self.config, self.env, self.log = config, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> DaemonProcess:
        command = [sys.executable, "-c", "from policywatch.monitor.cli import main; main()",
                   "--config", str(self.config), "run", "--log-format", "json",
                   "--dispatch-interval", "0.5", "--watch-interval", "0.3",
                   "--catchup-spread", "0", "--grace", "3", "--workers", "2"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log,
                                            cwd=self.config.parent)
        return self

    def events(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                with contextlib.suppress(json.JSONDecodeError):  # a line being written
                    out.append(json.loads(line))
        return out

    def checks(self, policy: str, outcome: str | None = None) -> list[dict[str, Any]]:
        return [e for e in self.events() if e.get("logger") == "policywatch.check"
                and e.get("policy") == policy and outcome in (None, e.get("outcome"))]

    def wait_checks(self, policy: str, count: int, outcome: str | None = None) -> None:
        self.assert_alive()
        wait_until(lambda: len(self.checks(policy, outcome)) >= count or self.dead(),
                   f"{count} checks of {policy} ({outcome or 'any'})")
        self.assert_alive()

    def wait_more_checks(self, policy: str, more: int) -> None:
        self.wait_checks(policy, len(self.checks(policy)) + more)

    def wait_log(self, text: str) -> dict[str, Any]:
        found: dict[str, Any] = wait_until(
            lambda: next((e for e in self.events() if text in e.get("message", "")), None),
            f"a log line with {text!r}")
        return found

    def dead(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def assert_alive(self) -> None:
        assert not self.dead(), "the daemon died:\n" + self.log.read_text()[-3000:]

    def terminate(self) -> tuple[int, float]:
        assert self.process is not None
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(30)
        return code, time.monotonic() - started

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no handler, no clean-up
        self.process.wait(30)


@dataclass
class World:
    site: Site
    smtp: SmtpServer
    slack: SlackReceiver
    directory: Path
    env: dict[str, str]
    daemons: list[DaemonProcess]

    def watch(self, names: list[str], **settings: Any) -> Path:
        tables = [{"name": n, "url": self.site.url(f"/{n}"), "interval": "1s",
                   "alerts": ["email", "slack"]} for n in names]
        channels = {"email": self.smtp.channel_options(),
                    "slack": {"type": "slack", "webhook_url_env": SLACK_ENV}}
        return write_watchlist(self.directory, tables,
                               {"per_host_delay": 0, "jitter": 0, **settings}, channels)

    def daemon(self) -> DaemonProcess:
        process = DaemonProcess(self.directory / "watchlist.toml", self.env,
                                self.directory / "daemon.log").start()
        self.daemons.append(process)
        return process

    def serve(self, name: str, text: str, **style: Any) -> None:
        self.site.set_page(f"/{name}", policy_page(text, **style))

    def versions(self, name: str) -> int:
        return len(timeline(open_db(self.directory / "test.db"), name))

    def email_ids(self) -> list[str]:
        return [str(mail.message["Message-ID"]) for mail in self.smtp.received]


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[World]:
    with Site() as site, SmtpServer() as smtp, SlackReceiver() as slack:
        env = {**os.environ, SLACK_ENV: slack.url}
        state = World(site, smtp, slack, tmp_path, env, [])
        yield state
        for process in state.daemons:
            if not process.dead():
                process.kill()


def assert_one_alert_each(world: World) -> None:
    """Exactly one distinct email and one distinct Slack message (by their stable ids)."""
    wait_until(lambda: world.smtp.received and world.slack.delivered(), "an email and a Slack "
               "message")
    assert len(set(world.email_ids())) == 1
    assert len(world.slack.delivered()) == 1


def test_material_change_alerts_once_form_change_not_at_all(world: World) -> None:
    world.serve("acme", POLICY)
    world.watch(["acme"])
    daemon = world.daemon()
    daemon.wait_checks("acme", 1, "first_version")

    world.serve("acme", FORM_ONLY, chrome=1, bullet="•")
    daemon.wait_more_checks("acme", 3)  # the later ones saw the new form
    assert world.versions("acme") == 1
    assert not world.smtp.received and not world.slack.requests

    world.serve("acme", MATERIAL, chrome=1)
    daemon.wait_checks("acme", 1, "new_version")
    assert_one_alert_each(world)
    daemon.wait_more_checks("acme", 3)  # later checks and dispatch passes send nothing more
    assert len(world.smtp.received) == 1 and len(world.slack.requests) == 1

    subject = str(world.smtp.received[0].message["Subject"])
    assert "acme" in subject.lower() and "sale" in subject.lower(), subject
    slack_text = " ".join(world.slack.requests[0].texts).lower()
    assert "sale" in slack_text and "data brokers" in slack_text

    code, seconds = daemon.terminate()
    assert code == 0 and seconds < 10
    assert "stopped" in daemon.events()[-1]["message"]


def test_watchlist_edits_while_running(world: World) -> None:
    for name in ("alpha", "beta", "gamma"):
        world.serve(name, POLICY.replace("Acme", name.title()))
    world.watch(["alpha", "beta"])
    daemon = world.daemon()
    daemon.wait_checks("alpha", 1, "first_version")
    daemon.wait_checks("beta", 1, "first_version")

    world.watch(["alpha", "gamma"])  # beta removed, gamma added
    daemon.wait_checks("gamma", 1, "first_version")
    daemon.wait_log("beta: removed from the watchlist")
    daemon.wait_more_checks("alpha", 1)  # a beta check in flight at removal has ended by now
    beta_hits = world.site.hits["/beta"]
    daemon.wait_more_checks("alpha", 3)
    assert world.site.hits["/beta"] == beta_hits

    path = world.directory / "watchlist.toml"
    path.write_text(path.read_text().replace('interval = "1s"', 'interval = "every second"', 1))
    refused = daemon.wait_log("watchlist change refused")
    assert "policy 'alpha': key 'interval'" in refused["message"]
    assert refused["level"] == "ERROR"
    daemon.wait_more_checks("alpha", 2)  # checks go on under the old watchlist
    daemon.wait_more_checks("gamma", 2)

    code, seconds = daemon.terminate()
    assert code == 0 and seconds < 10


def test_kill_during_a_check_then_restart(world: World) -> None:
    world.serve("acme", POLICY)
    world.watch(["acme"])
    daemon = world.daemon()
    daemon.wait_checks("acme", 1, "first_version")

    page = policy_page(MATERIAL)
    world.site.set_page("/acme", page)
    hits = world.site.hits["/acme"]
    world.site.queue("/acme", Reply(body=page.encode(), delay=30))  # the next fetch hangs
    wait_until(lambda: world.site.hits["/acme"] > hits, "the hanging fetch")
    daemon.kill()

    restarted = world.daemon()
    restarted.wait_checks("acme", 1, "new_version")
    assert_one_alert_each(world)
    restarted.wait_more_checks("acme", 2)
    assert world.versions("acme") == 2
    assert len(world.smtp.received) == 1 and len(world.slack.requests) == 1
    code, _ = restarted.terminate()
    assert code == 0


def test_kill_during_alert_dispatch_then_restart(world: World) -> None:
    world.serve("acme", POLICY)
    world.watch(["acme"])
    daemon = world.daemon()
    daemon.wait_checks("acme", 1, "first_version")

    world.slack.hold()  # the Slack post hangs: the daemon is killed while sending
    world.serve("acme", MATERIAL)
    wait_until(lambda: world.slack.requests, "the Slack post in flight")
    daemon.kill()
    world.slack.release()

    restarted = world.daemon()
    wait_until(lambda: world.smtp.received and world.slack.delivered(), "both alerts")
    depth = wait_until(lambda: (lambda d: d if d["sent"] == 2 else None)(
        alert_queue_depth(open_db(world.directory / "test.db"))), "both alerts marked sent")
    assert depth["pending"] == depth["sending"] == depth["failed"] == 0
    restarted.wait_more_checks("acme", 2)
    # Nothing lost; a message cut off by the kill is sent again at most once, with the same
    # stable id, which receivers use to drop it.
    assert len(set(world.email_ids())) == 1 and len(world.smtp.received) <= 2
    assert len(world.slack.delivered()) == 1 and len(world.slack.requests) <= 2
    assert len({r.message_key for r in world.slack.requests}) == 1
    assert world.versions("acme") == 2
    code, _ = restarted.terminate()
    assert code == 0


def test_a_failing_page_does_not_stop_the_others(world: World) -> None:
    """A page that fails (404) is logged as a failed check and the daemon goes on."""
    world.site.set_page("/gone", html("<html><body><h1>Not Found</h1></body></html>", 404))
    world.serve("acme", POLICY)
    world.watch(["acme", "gone"])
    daemon = world.daemon()
    daemon.wait_checks("gone", 1, "failed")
    daemon.wait_checks("acme", 1, "first_version")
    daemon.wait_more_checks("acme", 2)
    code, _ = daemon.terminate()
    assert code == 0

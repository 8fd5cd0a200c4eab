"""The report's command line, its incremental writing, `--serve` on 127.0.0.1, alert links to
change pages (settings.report_url), and `diff --output/--material-only`."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

import policywatch.monitor.cli  # noqa: F401  (registers every command on the root group)
from policywatch.alerts.compose import compose
from policywatch.alerts.render_email import render_text
from policywatch.alerts.render_slack import slack_payload
from policywatch.monitor.cli.root import cli
from policywatch.monitor.errors import ConfigError
from policywatch.monitor.pipeline import check
from policywatch.monitor.report import build_report
from policywatch.monitor.report.serve import make_server
from policywatch.monitor.watchlist import parse_watchlist
from policywatch.storage.outbox import AlertRow, due_alerts
from policywatch.storage.report import report_changes
from tests.support.archive_server import ArchiveServer
from tests.support.pages import policy_page
from tests.support.reportdb import ReportWorld, build_world, with_sale
from tests.support.site import Site


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[ReportWorld]:
    with Site() as site, ArchiveServer() as archive:
        yield build_world(tmp_path, site, archive)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def mtimes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_report_command_writes_the_site_and_says_where(world: ReportWorld, tmp_path: Path
                                                        ) -> None:
    out = tmp_path / "site"
    code, output = run("--config", str(world.watchlist_path), "report", "--out", str(out))
    assert code == 0, output
    assert (out / "index.html").is_file() and (out / "feed.atom").is_file()
    assert f"open {(out / 'index.html').resolve().as_uri()}" in output
    assert "0 unchanged" in output
    code, output = run("--config", str(world.watchlist_path), "report", "--out", str(out))
    assert code == 0 and " 0 written" in output.replace("(0 written", " 0 written")


def test_default_directory_is_beside_the_watchlist(world: ReportWorld) -> None:
    code, output = run("--config", str(world.watchlist_path), "report")
    assert code == 0, output
    assert (world.watchlist_path.parent / "report" / "index.html").is_file()


def test_named_policies_only(world: ReportWorld, tmp_path: Path) -> None:
    out = tmp_path / "some"
    code, _ = run("--config", str(world.watchlist_path), "report", "--out", str(out), "seed0")
    assert code == 0
    assert sorted(p.name for p in (out / "policy").iterdir()) == ["seed0"]
    code, output = run("--config", str(world.watchlist_path), "report", "--out", str(out),
                       "nosuch")
    assert code == 2 and "nosuch" in output


def test_a_rerun_rewrites_only_the_pages_whose_data_changed(world: ReportWorld,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "inc"
    first = build_report(world.ctx.db, world.watchlist, out)
    assert first.unchanged == 0 and len(first.written) == first.pages
    before = mtimes(out)
    again = build_report(world.ctx.db, world.watchlist, out)
    assert again.written == [] and again.unchanged == first.pages
    assert {k: v for k, v in mtimes(out).items() if k != ".policywatch-report.json"} == \
        {k: v for k, v in before.items() if k != ".policywatch-report.json"}
    # seed2 changes: its pages, the indexes and the feeds change; no other policy's page does.
    world.site.set_page("/policy/2", policy_page(with_sale(world.seeds[sorted(world.seeds)[2]])))
    assert check(world.ctx, world.watchlist.policy("seed2")).outcome == "new_version"
    [change] = report_changes(world.ctx.db, ["seed2"])["seed2"]
    third = build_report(world.ctx.db, world.watchlist, out)
    written = set(third.written)
    assert {"policy/seed2/index.html", f"policy/seed2/change-{change.id}.html",
            "policy/seed2/feed.atom", "index.html", "feed.atom"} <= written
    assert not [p for p in written if p.startswith("policy/") and "/seed2/" not in p]
    assert {"tag-health.html", "tag-health-severity.html"} <= written  # seed2's tag
    assert "tag-vendor.html" not in written and "tag-retail.html" not in written


def test_a_policy_that_leaves_the_watchlist_loses_its_pages(world: ReportWorld,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "prune"
    build_report(world.ctx.db, world.watchlist, out)
    assert (out / "policy/broken/index.html").is_file()
    fewer = replace(world.watchlist, policies=tuple(
        p for p in world.watchlist.policies if p.name != "broken"))
    result = build_report(world.ctx.db, fewer, out)
    assert "policy/broken/index.html" in result.removed
    assert not (out / "policy/broken/index.html").exists()


def test_serve_answers_on_loopback_only(world: ReportWorld, tmp_path: Path) -> None:
    out = tmp_path / "served"
    build_report(world.ctx.db, world.watchlist, out)
    server = make_server(out, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        response = requests.get(f"http://127.0.0.1:{port}/index.html", timeout=5)
        assert response.status_code == 200 and "Seed policy 0" in response.text
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        feed = requests.get(f"http://127.0.0.1:{port}/feed.atom", timeout=5)
        assert feed.headers["Content-Type"].startswith("application/atom+xml")
    finally:
        server.shutdown()
        server.server_close()


def test_serve_flag_is_documented() -> None:
    code, output = run("report", "--help")
    assert code == 0 and "--serve" in output and "127.0.0.1" in output and "--port" in output


# --- alerts link to the change page --------------------------------------------------------

def seed0_alert(world: ReportWorld) -> AlertRow:
    change_id = report_changes(world.ctx.db, ["seed0"])["seed0"][0].id
    [row] = [a for a in due_alerts(world.ctx.db, "9999")
             if a.kind == "change" and a.change_id == change_id]
    return row


def test_alerts_link_the_change_page_when_report_url_is_set(world: ReportWorld,
                                                             tmp_path: Path) -> None:
    base = "https://reports.example.invalid/pw"
    published = replace(world.watchlist, settings=replace(world.watchlist.settings,
                                                          report_url=base))
    row = seed0_alert(world)
    message = compose(world.ctx.db, published, row)
    link = f"{base}/policy/seed0/change-{row.change_id}.html"
    assert f"Change page: {link}" in render_text(message)
    assert link in str(slack_payload(message))
    out = tmp_path / "pub"
    build_report(world.ctx.db, published, out)
    assert (out / link.removeprefix(base + "/")).is_file()
    plain = compose(world.ctx.db, world.watchlist, row)
    assert "Change page" not in render_text(plain)


def test_report_url_must_be_a_web_url() -> None:
    with pytest.raises(ConfigError, match="report_url"):
        parse_watchlist('[settings]\nreport_url = "javascript:alert(1)"\n')
    settings = parse_watchlist('[settings]\nreport_url = "https://r.example.invalid/"\n').settings
    assert settings.report_url == "https://r.example.invalid/"


# --- diff --output and --material-only ------------------------------------------------------

OLD = "# Sharing\n\nWe do not sell your data. We keep logs for 30 days.\n\nVisit our web site.\n"
NEW = "# Sharing\n\nWe sell your data. We keep logs for 30 days.\n\nVisit our website.\n"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_diff_output_writes_the_file(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "a.md").write_text(OLD, encoding="utf-8")
    (tmp_path / "b.md").write_text(NEW, encoding="utf-8")
    target = tmp_path / f"out.{fmt}"
    code, stdout = run("diff", str(tmp_path / "a.md"), str(tmp_path / "b.md"), "--format", fmt,
                       "--output", str(target))
    assert code == 0
    written = target.read_text(encoding="utf-8")
    _, printed = run("diff", str(tmp_path / "a.md"), str(tmp_path / "b.md"), "--format", fmt)
    if fmt == "json":  # the differ's timing differs from run to run
        written, printed = (re.sub(r'"elapsed_ms": [\d.]+', "", t) for t in (written, printed))
    assert written == printed and "sell" in written
    assert "sell" not in stdout


def test_diff_material_only_drops_other_changes(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(OLD, encoding="utf-8")
    (tmp_path / "b.md").write_text(NEW, encoding="utf-8")
    args = ["diff", str(tmp_path / "a.md"), str(tmp_path / "b.md"), "--format", "json"]
    import json

    full = json.loads(run(*args)[1])
    only = json.loads(run(*args, "--material-only")[1])
    assert any(not u["material"] for u in full["changes"])
    assert only["changes"] == [u for u in full["changes"] if u["material"]] != []
    assert only["severity"] == full["severity"]


def test_diff_output_to_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(OLD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "a.md"), str(tmp_path / "a.md"),
                                      "--output", str(tmp_path / "missing" / "x.txt")])
    assert result.exit_code == 1 and "cannot write" in result.output
    assert os.path.exists(tmp_path / "a.md")


def test_report_serve_from_the_command_line(world: ReportWorld, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    out = tmp_path / "cli-served"
    command = [sys.executable, "-c", "from policywatch.monitor.cli import main; main()", "--config",
               str(world.watchlist_path), "report", "--out", str(out), "--serve", "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, text=True,
                              cwd=Path(__file__).resolve().parents[1])
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(3)]
        match = re.search(r"serving http://127\.0\.0\.1:(\d+)/", lines[-1])
        assert match, lines
        page = requests.get(f"http://127.0.0.1:{match[1]}/policy/seed0/index.html", timeout=10)
        assert page.status_code == 200 and "Seed policy 0" in page.text
    finally:
        server.send_signal(signal.SIGINT)
        stdout, _ = server.communicate(timeout=30)
    assert server.returncode == 0 and "stopped" in stdout

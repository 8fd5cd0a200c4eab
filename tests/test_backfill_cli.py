"""`policywatch backfill` and `history` on backfilled policies, and a backfill killed midway
(a real process, SIGKILL) then run again."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from policywatch.monitor.cli.root import cli
from policywatch.storage import archive as archive_store
from policywatch.storage.db import open_db
from tests.support.archive_server import ArchiveServer, Fault, history_captures
from tests.support.config import write_watchlist
from tests.test_backfill import (
    FIRST_CAPTURE,
    URL,
    clean_run_dump,
    dump,
    history,
    render,
    synthetic_history,
)

REPO = Path(__file__).resolve().parents[1]
FAST = {"archive_index_rate": 1000.0, "archive_capture_rate": 1000.0, "timeout": 2}


@pytest.fixture()
def archive() -> Iterator[ArchiveServer]:
    with ArchiveServer() as server:
        yield server


def serve(archive: ArchiveServer, texts: list[str], url: str = URL) -> list[str]:
    """Serve the history; return the timestamps of every capture."""
    plan = history_captures(texts, url, render, FIRST_CAPTURE)
    archive.add(*itertools.chain.from_iterable(plan))
    return [c.timestamp for c in itertools.chain.from_iterable(plan)]


def invoke(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def watchlist(directory: Path, archive: ArchiveServer) -> Path:
    return write_watchlist(directory, [
        {"name": "pol", "url": URL, "wayback": True},
        {"name": "plain", "url": "https://example.org/terms"},
    ], {"archive_url": archive.base_url, **FAST})


def test_backfill_without_names_does_the_wayback_policies_and_lists_failures(
        archive: ArchiveServer, tmp_path: Path) -> None:
    stamps = serve(archive, synthetic_history())
    archive.fail_capture(stamps[2], Fault(status=404))  # listed (chrome 1 after chrome 0)
    result = invoke(watchlist(tmp_path, archive), "backfill")
    lines = [line for line in result.output.splitlines()  # progress lines go to stderr
             if not line.endswith("captures to process")]
    assert result.exit_code == 0
    assert lines[0].startswith("pol: ") and "1 failed" in lines[0]
    assert not any(line.startswith("plain:") for line in lines)
    assert lines[1].startswith("failed captures")
    assert lines[2].startswith(f"  pol {stamps[2]}: http_404")


def test_backfill_of_a_named_policy_without_wayback(archive: ArchiveServer,
                                                    tmp_path: Path) -> None:
    serve(archive, synthetic_history())
    result = invoke(watchlist(tmp_path, archive), "backfill", "plain")
    assert result.exit_code == 0
    assert result.output.startswith("plain: nothing new to process")
    assert "(index: 0 listed, 0 distinct)" in result.output


def test_backfill_with_no_wayback_policy_is_a_usage_error(archive: ArchiveServer,
                                                          tmp_path: Path) -> None:
    config = write_watchlist(tmp_path, [{"name": "plain", "url": URL}],
                             {"archive_url": archive.base_url})
    result = CliRunner().invoke(cli, ["--config", str(config), "backfill"])
    assert result.exit_code == 2 and "wayback" in result.output


def test_an_unreadable_index_exits_1_with_the_reason(archive: ArchiveServer,
                                                     tmp_path: Path) -> None:
    archive.fail_index(*[Fault(status=503)] * 2)
    config = write_watchlist(tmp_path, [{"name": "pol", "url": URL, "wayback": True}],
                             {"archive_url": archive.base_url, "retries": 1})  # 1 s of backoff
    result = invoke(config, "backfill", "pol")
    assert result.exit_code == 1
    assert (f"pol: backfill failed: the archive index at {archive.base_url} could not be "
            "read: http_503") in result.output


def test_history_shows_source_and_capture_dates(archive: ArchiveServer, tmp_path: Path) -> None:
    stamps = serve(archive, synthetic_history())
    config = watchlist(tmp_path, archive)
    invoke(config, "backfill", "pol")
    rows = json.loads(invoke(config, "history", "pol", "--format", "json").output)
    assert rows[0]["source"] == "archive" and rows[0]["archive_timestamp"] == stamps[0]
    assert rows[0]["first_seen"].startswith("2019-01-01")
    text = invoke(config, "history", "pol").output.splitlines()
    assert "archive" in text[1] and stamps[0] in text[1] and "2019-01-01" in text[1]


def test_a_killed_backfill_resumes_to_the_same_history(archive: ArchiveServer,
                                                       tmp_path: Path) -> None:
    texts = history("contrib", "Xanga")
    serve(archive, texts)
    archive.state.capture_delay = 0.03  # slow enough to be killed midway
    (tmp_path / "killed").mkdir()
    config = write_watchlist(tmp_path / "killed", [{"name": "pol", "url": URL, "wayback": True}],
                             {"archive_url": archive.base_url, **FAST})
    process = subprocess.Popen(
        [sys.executable, "-c", "from policywatch.monitor.cli import main; main()",
         "--config", str(config), "backfill"], cwd=REPO, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))})
    wait_for_downloads(archive, 12, process)
    process.kill()
    process.wait(timeout=10)
    db = open_db(tmp_path / "killed" / "test.db")
    stored_before = {c.digest for c in archive_store.all_captures(db, "pol") if c.snapshot_id}
    all_digests = {c.digest for c in archive.state.captures}
    assert 0 < len(stored_before) < len(all_digests)  # killed midway
    downloads_before = archive.downloads

    archive.state.capture_delay = 0.0
    result = invoke(config, "backfill")
    assert result.exit_code == 0, result.output

    again = archive.downloads - downloads_before
    assert not set(again) & stored_before  # nothing stored before the kill was fetched again
    assert sum(n - 1 for n in archive.downloads.values()) <= 1  # at most the one in flight
    assert dump(db, "pol") == clean_run_dump(texts, tmp_path / "clean")


def wait_for_downloads(archive: ArchiveServer, count: int,
                       process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if sum(archive.downloads.values()) >= count:
            return
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            raise AssertionError(f"the backfill ended before it could be killed: {stderr}")
        time.sleep(0.01)
    raise AssertionError("the backfill made no progress")

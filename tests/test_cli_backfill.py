"""`policywatch backfill` shows progress on stderr (plain lines when it is not a terminal, a
tqdm bar on one), ends with a summary whose numbers add up, and says a network error in one line
(in full with --verbose). Through the real console script against a local archive."""

from __future__ import annotations

import io
import json
import re
import socket
from pathlib import Path

import pytest

from policywatch.monitor.cli.errtext import short_error
from policywatch.monitor.cli.progress import BackfillProgress
from policywatch.monitor.history.backfill import BackfillEvent
from tests.support.archive_server import ArchiveServer, Fault
from tests.support.cases import load_named_cases
from tests.support.config import write_watchlist
from tests.support.console import policywatch
from tests.test_backfill import URL, synthetic_history
from tests.test_backfill_cli import FAST, serve

SUMMARY = re.compile(
    r"^pol: (\d+) captures processed: (\d+) new versions, (\d+) with the text of a stored "
    r"version, (\d+) rejected, (\d+) failed; bytes: (\d+) downloaded, (\d+) reused from an "
    r"identical capture, (\d+) not obtained; (\d+) changes recorded", re.MULTILINE)
NETWORK = load_named_cases(Path(__file__).parent / "cases" / "cli_network_errors")


def test_progress_lines_and_a_summary_that_adds_up(tmp_path: Path) -> None:
    with ArchiveServer() as archive:
        stamps = serve(archive, synthetic_history())
        archive.fail_capture(stamps[2], Fault(status=404))
        config = str(write_watchlist(tmp_path, [{"name": "pol", "url": URL, "wayback": True}],
                                     {"archive_url": archive.base_url, **FAST}))
        result = policywatch("--config", config, "backfill", "--progress-interval", "0")
    assert result.returncode == 0, result.stdout + result.stderr
    found = SUMMARY.search(result.stdout)
    assert found, result.stdout
    done, new, same, rejected, failed, downloaded, reused, missing, changes = map(
        int, found.groups())
    assert done == new + same + rejected + failed == downloaded + reused + missing
    listed = int(re.search(r"\(index: (\d+) listed", result.stdout).group(1))  # type: ignore[union-attr]
    # Every listed capture, and the repeats found when dating each version's end.
    assert failed == missing == 1 and done >= listed > 0
    versions = json.loads(policywatch("--config", config, "history", "pol",
                                      "--format", "json").stdout)
    assert new == len(versions) and changes == len(versions) - 1
    progress = [line for line in result.stderr.splitlines() if line.startswith("pol: ")]
    assert re.fullmatch(r"pol: \d+ captures to process", progress[0])
    assert any(re.match(rf"pol: {done}/{done} captures: {new} new versions", line)
               for line in progress), result.stderr


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_archive_is_one_short_line_and_verbose_shows_all(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    config = str(write_watchlist(tmp_path, [{"name": "pol", "url": URL, "wayback": True}],
                                 {"archive_url": base, "retries": 0}))
    short = policywatch("--config", config, "backfill")
    assert short.returncode == 1
    line = next(x for x in short.stdout.splitlines() if x.startswith("pol:"))
    assert line == (f"pol: backfill failed: the archive index at {base} could not be read: "
                    "connection_error: Connection refused (transient, try again later; "
                    "--verbose for details)")
    assert short.stderr.strip() == "Error: 1 of 1 policies could not be backfilled"
    full = policywatch("--config", config, "backfill", "--verbose").stdout
    assert "Max retries exceeded" in full and "/cdx/search/cdx?url=" in full


@pytest.mark.parametrize("name", sorted(NETWORK))
def test_short_error(name: str) -> None:
    assert short_error(NETWORK[name]["detail"]) == NETWORK[name]["short"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar_not_lines() -> None:
    stream = Terminal()
    progress = BackfillProgress("pol", stream=stream)
    progress(BackfillEvent("queued", total=3))
    for result in ("inserted", "extended", "failed"):
        progress(BackfillEvent("capture", result=result, downloaded=result != "failed"))
    progress.close()
    assert "\r" in stream.getvalue() and "pol:   0%" in stream.getvalue()
    assert "captures to process" not in stream.getvalue()
    assert progress.summary().startswith("3 captures processed: 1 new versions, 1 with the "
                                         "text of a stored version, 0 rejected, 1 failed")

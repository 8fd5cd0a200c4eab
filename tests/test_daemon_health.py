"""/healthz tells the truth and the service checks its database at start: a database that
refuses writes (SQLite's own read-only mode, PRAGMA query_only: root ignores file permissions)
makes every real check fail with one clear log line and /healthz answer 503 with the reason;
checks crashing with internal errors do too; a database that cannot be written at start stops
`policywatch run` with a clear error."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.context import Context
from policywatch.monitor.errors import StorageError
from policywatch.monitor.pipeline import check
from policywatch.monitor.service.daemon import Daemon, DaemonOptions
from policywatch.monitor.watchlist import Policy, Watchlist, load_watchlist
from tests.support import pages
from tests.support.config import write_watchlist
from tests.support.site import Site

TEXT = ("# Privacy Policy\n\nWe collect your e-mail address to send you the newsletter you "
        "asked for. We keep it until you unsubscribe and we never sell it.\n\n## Sharing\n\n"
        "We share it only with the company that sends the newsletter for us, under contract.\n")
OPTIONS = DaemonOptions(workers=1, grace=0.5, catchup_spread=0, metrics_port=0)


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        time.sleep(0.02)


def healthz(daemon: Daemon) -> tuple[int, dict[str, Any]]:
    url = f"http://127.0.0.1:{daemon.metrics_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        for i in range(2):
            running.set_page(f"/p{i}", pages.policy_page(TEXT))
        yield running


def watchlist_for(tmp_path: Path, site: Site, count: int = 1) -> Watchlist:
    tables = [{"name": f"p{i}", "url": site.url(f"/p{i}"), "interval": "1h"}
              for i in range(count)]
    return load_watchlist(write_watchlist(tmp_path, tables, {"per_host_delay": 0, "jitter": 0}))


class ReadOnlyDatabase:
    """The real check, on a database connection that refuses every write."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, ctx: Context, policy: Policy) -> Any:
        ctx.db.execute("PRAGMA query_only = ON")
        self.calls += 1
        return check(ctx, policy)


def crash_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_unwritable_database_gives_one_line_per_check_and_503(
        tmp_path: Path, site: Site, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    checks = ReadOnlyDatabase()
    daemon = Daemon(watchlist_for(tmp_path, site, 2), OPTIONS, check_fn=checks)
    daemon._db.execute("PRAGMA query_only = ON")  # the daemon's own records fail too
    daemon.start()
    try:
        wait_until(lambda: len(crash_records(caplog)) >= 2)
        status, health = healthz(daemon)
    finally:
        daemon.shutdown()

    assert checks.calls == 2 and site.hits["/p0"] == 1
    errors = crash_records(caplog)
    assert len(errors) == 2, [r.getMessage() for r in errors]  # one per check, not two
    for record in errors:
        assert record.exc_info is None  # no traceback: the reason says it all
        assert "check failed: the database cannot be written" in record.getMessage()
        assert "readonly" in record.getMessage() and "not recorded either" in record.getMessage()
    assert status == 503 and health["status"] == "unhealthy"
    assert any("database cannot be written" in r for r in health["reasons"])


def test_checks_crashing_with_internal_errors_give_503(
        tmp_path: Path, site: Site, caplog: pytest.LogCaptureFixture) -> None:
    def crash(ctx: Context, policy: Policy) -> Any:
        raise RuntimeError("a bug in the extractor")

    daemon = Daemon(watchlist_for(tmp_path, site), OPTIONS, check_fn=crash)
    daemon.start()
    try:
        wait_until(lambda: len(crash_records(caplog)) >= 1)
        status, health = healthz(daemon)
    finally:
        daemon.shutdown()

    [record] = crash_records(caplog)  # one record, with the bug's traceback
    assert "internal error: RuntimeError: a bug in the extractor" in record.getMessage()
    assert record.exc_info is not None
    assert status == 503
    assert health["reasons"] == ["the last 1 check(s) failed with internal errors"]


def test_healthy_service_answers_200(tmp_path: Path, site: Site) -> None:
    def real(ctx: Context, policy: Policy) -> Any:
        return check(ctx, policy)

    daemon = Daemon(watchlist_for(tmp_path, site), OPTIONS, check_fn=real)
    daemon.start()
    try:
        wait_until(lambda: site.hits["/p0"] == 1)
        wait_until(lambda: daemon.metrics.registry.get_sample_value(
            "policywatch_checks_total", {"outcome": "first_version"}) == 1)
        status, health = healthz(daemon)
    finally:
        daemon.shutdown()
    assert (status, health["status"]) == (200, "ok") and "reasons" not in health


def _unwritable_cases(tmp_path: Path) -> dict[str, Path]:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    directory_db = tmp_path / "db-is-a-directory.db"
    directory_db.mkdir()
    shm_dir = tmp_path / "shm"
    shm_dir.mkdir()
    (shm_dir / "test.db-shm").mkdir()  # SQLite cannot map this -shm
    return {"directory is a file": blocker / "test.db", "database is a directory": directory_db,
            "shm is not a file": shm_dir / "test.db"}


@pytest.mark.parametrize("case", ["directory is a file", "database is a directory",
                                  "shm is not a file"])
def test_the_service_refuses_to_start_on_an_unwritable_database(tmp_path: Path,
                                                                case: str) -> None:
    database = _unwritable_cases(tmp_path)[case]
    path = write_watchlist(tmp_path, [{"name": "p", "url": "http://127.0.0.1:9/p"}],
                           {"database": str(database)})
    with pytest.raises(StorageError, match="the database is not writable"):
        Daemon(load_watchlist(path), OPTIONS)
    run = subprocess.run([sys.executable, "-c", "from policywatch.monitor.cli import main; main()",
                          "--config", str(path), "run"], capture_output=True, text=True,
                         timeout=60, env={**os.environ, "CI": "true"})
    assert run.returncode != 0 and run.returncode > 0  # an error exit, not a signal
    assert "the database is not writable" in run.stderr + run.stdout
    assert str(database.parent) in run.stderr + run.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_shm_file_is_refused_at_start(tmp_path: Path) -> None:
    database = tmp_path / "test.db"
    path = write_watchlist(tmp_path, [{"name": "p", "url": "http://127.0.0.1:9/p"}])
    Path(f"{database}-shm").write_bytes(b"")
    os.chmod(f"{database}-shm", 0o444)
    with pytest.raises(StorageError, match="-shm cannot be opened for writing"):
        Daemon(load_watchlist(path), OPTIONS)

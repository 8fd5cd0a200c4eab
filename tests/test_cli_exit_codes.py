"""One convention for every command, run through the real console script: exit 0 when the work
was done, 1 when it failed, 2 for a usage or configuration error; an `Error: ...` line on stderr
whenever the exit is not 0; never a traceback or a Python `None` (cases in
tests/cases/cli/exit_codes.toml)."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest

from policywatch.storage.db import open_db
from policywatch.storage.versions import NewVersion, add_version
from tests.support.cases import load_named_cases
from tests.support.config import write_watchlist
from tests.support.console import policywatch

CASES = load_named_cases(Path(__file__).parent / "cases" / "cli")
OLD = "# Sharing\n\nWe do not sell your data.\n"
NEW = "# Sharing\n\nWe sell your data.\n"


def closed_url() -> str:
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/privacy"


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    url = closed_url()
    good = write_watchlist(folder, [{"name": "acme", "url": "https://acme.invalid/privacy"},
                                    {"name": "down", "url": url}], {"retries": 0})
    good.rename(folder / "good.toml")
    (folder / "bad.toml").write_text(
        (Path(__file__).parent / "cases" / "watchlist" / "duplicate_names.toml").read_text())
    db = open_db(folder / "test.db")
    for text, seen in ((OLD, "2024-01-10T00:00:00.000000Z"), (NEW, "2024-03-05T00:00:00.000000Z")):
        add_version(db, NewVersion("acme", text, f"hash-{seen}", 1, None, seen))
    db.conn.close()
    (folder / "a.md").write_text(OLD, encoding="utf-8")
    (folder / "b.md").write_text(NEW, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_command_line(name: str, fixture_dir: Path) -> None:
    case: dict[str, Any] = CASES[name]
    args = [arg.replace("{dir}", str(fixture_dir)) for arg in case["args"]]
    result = policywatch(*args, cwd=fixture_dir)
    shown = f"policywatch {' '.join(args)}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    assert result.returncode == case["exit"], shown
    for stream in ("stdout", "stderr"):
        if stream in case:
            assert re.search(case[stream], getattr(result, stream), re.MULTILINE), shown
    assert "Traceback" not in result.stderr, shown
    assert not re.search(r"\bNone\b", result.stdout + result.stderr), shown
    if case.get("json"):
        json.loads(result.stdout)
    elif result.returncode:
        assert re.search(r"^Error: ", result.stderr, re.MULTILINE), shown

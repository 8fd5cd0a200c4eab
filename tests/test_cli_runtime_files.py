"""The shipped .gitignore keeps policywatch's run-time files out of `git status`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.config import write_watchlist
from tests.support.console import policywatch

ROOT = Path(__file__).resolve().parents[1]


def git(directory: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=directory, capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_runtime_files_do_not_show_in_git_status(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    config = write_watchlist(tmp_path, [], {"database": "policywatch.db"})
    sent = policywatch("--config", str(config), "alerts", "send", cwd=tmp_path)
    assert sent.returncode == 0, sent.stderr
    assert (tmp_path / "policywatch.db.dispatch-lock").exists()
    for leftover in ("policywatch.db-wal", "policywatch.db-shm", "policywatch.db-journal"):
        (tmp_path / leftover).write_bytes(b"")  # what a killed run leaves behind
    shown = git(tmp_path, "status", "--porcelain", "--untracked-files=all").split()
    assert sorted(shown[1::2]) == [".gitignore", "watchlist.toml"]

"""`policywatch diff OLD NEW`: files (text, Markdown, HTML) and stored versions NAME@N/@date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import policywatch.monitor.cli  # noqa: F401  (registers every command on the root group)
from policywatch.monitor.cli.root import cli
from policywatch.storage.db import open_db
from policywatch.storage.versions import NewVersion, add_version
from tests.support.config import write_watchlist

OLD = "# Sharing\n\nWe do not sell your data. We keep logs for 30 days.\n"
NEW = "# Sharing\n\nWe sell your data. We keep logs for 30 days.\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_two_markdown_files_without_any_watchlist(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(OLD, encoding="utf-8")
    (tmp_path / "b.md").write_text(NEW, encoding="utf-8")
    code, out = run("--config", str(tmp_path / "absent.toml"), "diff",
                    str(tmp_path / "a.md"), str(tmp_path / "b.md"))
    assert code == 0
    assert "[-do not -]" in out and "\x1b[" not in out  # no colour when not on a terminal


def test_html_file_is_extracted_and_json_is_the_contract(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(OLD.replace("# ", ""), encoding="utf-8")
    (tmp_path / "b.html").write_text(
        "<!DOCTYPE html><html><body><h1>Sharing</h1><p>We sell your data. We keep logs for "
        "30 days.</p></body></html>", encoding="utf-8")
    code, out = run("diff", str(tmp_path / "a.txt"), str(tmp_path / "b.html"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [(c["kind"], c["old"], c["new"]) for c in data["changes"]] == [
        ("modified", "We do not sell your data.", "We sell your data.")]
    assert data["stats"]["modified"] == 1


def test_stored_versions_by_number_and_date(tmp_path: Path) -> None:
    config = write_watchlist(tmp_path, [{"name": "acme", "url": "https://example.com/p"}])
    db = open_db(tmp_path / "test.db")
    for text, seen in ((OLD, "2024-01-10T00:00:00.000000Z"), (NEW, "2024-03-05T00:00:00.000000Z")):
        add_version(db, NewVersion("acme", text, f"hash-{seen}", 1, None, seen))
    db.conn.close()
    code, out = run("--config", str(config), "diff", "acme@1", "acme@2024-03-31",
                    "--format", "markdown")
    assert code == 0, out
    assert "~~do not~~" in out and "# acme@1 \u2192 acme@2024-03-31" in out


@pytest.mark.parametrize("spec", ["no-such-file.md", "acme@", "acme@2024-13-45"])
def test_neither_file_nor_stored_version_is_a_usage_error(tmp_path: Path, spec: str) -> None:
    (tmp_path / "a.md").write_text(OLD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "a.md"), spec])
    assert result.exit_code == 2
    assert spec in result.output

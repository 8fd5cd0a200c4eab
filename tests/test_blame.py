"""Blame of stored histories: resumed from the stored state, recomputed when the timeline before
it changed, and shown by `policywatch blame` as text and JSON."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import policywatch.monitor.cli  # noqa: F401  (registers every command on the root group)
from policywatch.monitor.cli.root import cli
from policywatch.monitor.history.policy_blame import blame_policy
from policywatch.storage.db import open_db
from policywatch.storage.versions import NewVersion, add_version
from tests.support.config import write_watchlist

CASES = Path(__file__).parent / "cases" / "blame" / "histories.toml"


def history() -> list[str]:
    with open(CASES, "rb") as fh:
        cases: list[dict[str, Any]] = tomllib.load(fh)["case"]
    texts: list[str] = cases[0]["versions"]
    return texts


def store(db: Any, text: str, day: int, *, source: str = "live") -> int:
    stamp = f"2024-01-{day:02d}T00:00:00.000000Z"
    return add_version(db, NewVersion(
        policy="acme", text=text, norm_hash=f"h{day}-{hash(text)}", extractor_version=1,
        snapshot_id=None, seen_at=stamp, source=source,
        archive_timestamp=f"202401{day:02d}000000" if source == "archive" else None))


def line(result: Any, piece: str) -> Any:
    return next(x for x in result.lines if piece in x.text)


def test_each_new_version_extends_the_stored_blame(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    texts = history()
    for day, text in enumerate(texts[:3], start=10):
        store(db, text, day)
    assert blame_policy(db, "acme").aligned == 2  # from the first version
    assert blame_policy(db, "acme").aligned == 0  # stored
    for day, text in enumerate(texts[3:], start=13):
        store(db, text, day)
        assert blame_policy(db, "acme").aligned == 1  # only the new pair
    result = blame_policy(db, "acme")
    cookies = line(result, "cookies to remember")
    assert (cookies.since.number, [(a.number, b.number) for a, b in cookies.gaps]) == (1, [(3, 4)])
    edited = line(result, "phone number")
    assert edited.since.number == 5 and edited.since.date.startswith("2024-01-14")
    assert edited.previous == "We collect your name and email address."
    # An older version: resumed from nothing stored before it, and the same answer as a blame
    # computed from scratch without any stored state.
    assert line(blame_policy(db, "acme", 2), "advertising").since.number == 2


def test_an_older_version_inserted_recomputes_from_the_first(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    texts = history()
    for day, text in zip((10, 12, 13), texts[1:4], strict=True):
        store(db, text, day)
    assert line(blame_policy(db, "acme"), "advertising").since.number == 1
    store(db, texts[0], 5, source="archive")  # a backfill finds an older version
    result = blame_policy(db, "acme")
    assert result.aligned == 3 and result.timeline_length == 4
    advertising = line(result, "advertising")
    assert advertising.since.number == 2 and advertising.born.number == 1
    assert advertising.born.source == "archive"
    assert advertising.born.archive_timestamp == "20240105000000"


def test_blame_equals_a_fresh_computation_after_resuming(tmp_path: Path) -> None:
    resumed, fresh = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
    for day, text in enumerate(history(), start=10):
        store(resumed, text, day)
        store(fresh, text, day)
        blame_policy(resumed, "acme")
    assert blame_policy(resumed, "acme").lines == blame_policy(fresh, "acme").lines


@pytest.fixture()
def config(tmp_path: Path) -> Path:
    path = write_watchlist(tmp_path, [{"name": "acme", "url": "https://example.invalid/p"}])
    db = open_db(tmp_path / "test.db")
    for day, text in enumerate(history(), start=10):
        store(db, text, day)
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_text_groups_lines_under_their_sections(config: Path) -> None:
    code, out = run("--config", str(config), "blame", "acme")
    assert code == 0, out
    assert "acme: version 5 of 5" in out
    sections = [x for x in out.splitlines() if x.startswith("§ ")]
    assert sections == ["§ Privacy Policy", "§ Privacy Policy › Information we collect",
                        "§ Privacy Policy › Contact", "§ Privacy Policy › Sharing"]
    assert "absent from v3 (2024-01-12) until v4 (2024-01-13)" in out
    assert 'before: "We collect your name and email address."' in out
    assert "moved in v4 (2024-01-13)" in out


def test_cli_json_and_an_earlier_version(config: Path) -> None:
    code, out = run("--config", str(config), "blame", "acme", "--version", "2",
                    "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["version"]["number"] == 2
    lines = [x for s in data["sections"] for x in s["lines"]]
    location = next(x for x in lines if "precise location" in x["text"])
    assert location["since"] == location["first_appeared"] == 2 and not location["edited"]
    assert [v["number"] for v in data["versions"]] == [1, 2]


def test_cli_unknown_version_is_a_clear_error(config: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(config), "blame", "acme", "--version", "9"])
    assert result.exit_code == 2
    assert "Error: " in result.output and "versions 1 to 5, not 9" in result.output

"""The docs are tested: the README's example watchlist and the shipped watchlist parse, and every
CLI command (and subcommand) answers --help."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from policywatch.monitor.cli import cli
from policywatch.monitor.watchlist import load_watchlist, parse_watchlist

ROOT = Path(__file__).resolve().parents[1]


def readme_toml_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```toml\n(.*?)```", text, re.DOTALL)


def test_readme_example_watchlist_parses() -> None:
    blocks = readme_toml_blocks()
    assert blocks, "the README has no ```toml example"
    for block in blocks:
        watchlist = parse_watchlist(block, "README.md")
        assert watchlist.policies


def test_shipped_watchlist_parses_and_watches_real_policies() -> None:
    watchlist = load_watchlist(ROOT / "watchlist.toml")
    assert len(watchlist.policies) >= 5
    assert all(p.url.startswith(("http://", "https://")) for p in watchlist.policies)
    assert not watchlist.settings.allow_private_addresses


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("command", all_commands(cli), ids=lambda c: " ".join(c) or "root")
def test_every_command_has_help(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) >= 3


def test_readme_documents_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in all_commands(cli):
        if command:
            assert f"policywatch {command[0]}" in readme, command


def test_every_extra_is_used_and_documented() -> None:
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get(
        "optional-dependencies", {})
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for extra in extras:
        assert f".[{extra}]" in readme, f"the extra {extra!r} is not documented in the README"

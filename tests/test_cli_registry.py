"""The lazy command registry: every entry loads, the root --help lists each command with the same
summary its own --help gives, and answering the root --help imports no command module."""

from __future__ import annotations

import click
import pytest

from policywatch.monitor.cli.root import COMMANDS, cli
from tests.support.console import policywatch


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_registry_entry_is_a_click_command(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert command.name == name


def test_root_help_lists_every_command_with_its_own_summary() -> None:
    listing = policywatch("--help")
    assert listing.returncode == 0, listing.stderr
    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    limit = ctx.make_formatter().width - 6 - max(map(len, names))
    for name in names:
        command = cli.get_command(ctx, name)
        assert command is not None
        summary = command.get_short_help_str(limit)
        assert summary, f"{name} has no help text"
        assert f"  {name}" in listing.stdout and summary in listing.stdout, (name, summary)


def test_root_help_imports_no_command_module() -> None:
    result = policywatch("--help", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "policywatch.monitor.cli.root" in imported
    loaded = {spec.partition(":")[0] for spec in COMMANDS.values()} & imported
    assert not loaded, f"--help imported {sorted(loaded)}"
    assert not {"requests", "apscheduler", "lxml", "policywatch.monitor.classify"} & imported


def test_diff_command_offers_every_renderer() -> None:
    from policywatch.monitor.cli.diffcmd import FORMATS
    from policywatch.monitor.diff import FORMATS as RENDERERS

    assert FORMATS == RENDERERS

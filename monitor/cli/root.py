"""The root `policywatch` command group, its lazy command registry and the exit-code convention.

Exit codes, for every command: 0 the work was done, 1 the work failed (a fetch, a delivery, a
check), 2 a usage or configuration error (bad option, unknown policy, invalid watchlist).
Library code raises PolicywatchError subclasses; the root group turns them into one
`Error: ...` line on stderr and the matching exit code, also under click's CliRunner.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from policywatch.monitor.errors import ConfigError, NotFound, PolicywatchError

DEFAULT_CONFIG = "watchlist.toml"

# name -> "module:attribute". Command modules are imported only when their command runs (or its
# --help is asked for), so `policywatch --help` and `policywatch diff` do not pay for the
# scheduler, the classifier's regexes or requests. Adding a command is one line here.
COMMANDS: dict[str, str] = {
    "add": "policywatch.monitor.cli.initcmd:add",
    "alerts": "policywatch.monitor.cli.alertscmd:alerts_group",
    "backfill": "policywatch.monitor.cli.backfillcmd:backfill",
    "blame": "policywatch.monitor.cli.blamecmd:blame",
    "changes": "policywatch.monitor.cli.changescmd:changes",
    "check": "policywatch.monitor.cli.core:check",
    "classify": "policywatch.monitor.cli.classifycmd:classify",
    "diff": "policywatch.monitor.cli.diffcmd:diff_command",
    "history": "policywatch.monitor.cli.core:history",
    "init": "policywatch.monitor.cli.initcmd:init",
    "reextract": "policywatch.monitor.cli.core:reextract",
    "report": "policywatch.monitor.cli.reportcmd:report",
    "run": "policywatch.monitor.cli.runcmd:run",
    "show": "policywatch.monitor.cli.core:show",
    "status": "policywatch.monitor.cli.runcmd:status",
    "validate": "policywatch.monitor.cli.core:validate",
}


class UsageProblem(click.ClickException):
    """A usage or configuration error that needs no usage line (exit 2)."""

    exit_code = 2


class WorkFailed(click.ClickException):
    """The command ran but its work failed (exit 1)."""

    exit_code = 1


def as_click_error(error: PolicywatchError) -> click.ClickException:
    """The exit-code convention for library errors: what the user asked for is wrong (a bad
    watchlist, a policy, version or alert that does not exist) is 2, anything else is 1."""
    if isinstance(error, ConfigError | NotFound):
        return UsageProblem(str(error))
    return WorkFailed(str(error))


def _command_summary(spec: str, limit: int) -> str:
    """The first line of a command's docstring, read from its module's source without importing
    it (so the root --help stays fast). tests/test_cli_registry.py checks it matches click's."""
    module, _, attribute = spec.partition(":")
    found = importlib.util.find_spec(module)
    if found is None or found.origin is None:
        return ""
    tree = ast.parse(Path(found.origin).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == attribute:
            # A bare Command shortens the docstring exactly as the real one will.
            return click.Command(attribute, help=ast.get_docstring(node)).get_short_help_str(limit)
    return ""


class LazyGroup(click.Group):
    """A group whose commands come from COMMANDS, imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.lazy, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return self.commands.get(cmd_name)
        module, _, attribute = self.lazy[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
        self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names), default=0)  # as click computes it
        rows = [(name, self.commands[name].get_short_help_str(limit) if name in self.commands
                 else _command_summary(self.lazy[name], limit)) for name in names]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolicywatchError as error:
            raise as_click_error(error) from error


class CliState:
    """What every command needs: the path of the watchlist. Loading is lazy so that commands
    which need no watchlist (diff of two files, classify, init) work without one."""

    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path


def _root(function: Callable[..., None]) -> LazyGroup:
    return click.group(cls=LazyGroup, lazy=COMMANDS,
                       context_settings={"help_option_names": ["-h", "--help"]})(function)


@_root
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
    default=lambda: os.environ.get("POLICYWATCH_CONFIG", DEFAULT_CONFIG),
    show_default=f"$POLICYWATCH_CONFIG, else ./{DEFAULT_CONFIG}",
    help="The watchlist file (env POLICYWATCH_CONFIG).",
)
@click.version_option(package_name="policywatch")
@click.pass_context
def cli(ctx: click.Context, config_path: Path) -> None:
    """policywatch: watch privacy policies and alert on the changes that matter.

    Exit status: 0 done, 1 the work failed, 2 a usage or configuration error.
    """
    ctx.obj = CliState(config_path)

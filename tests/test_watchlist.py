"""Malformed watchlists each stop start-up with a precise message naming the file, the policy
or channel, and the key (cases in tests/cases/watchlist/, expectations in their `# expect:`
lines); a good one loads with its defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from policywatch.monitor.cli import cli
from policywatch.monitor.errors import ConfigError
from policywatch.monitor.watchlist import load_watchlist, parse_duration, parse_watchlist

CASES = Path(__file__).parent / "cases" / "watchlist"


def expectations(path: Path) -> list[str]:
    return re.findall(r"^# expect: (.+)$", path.read_text(), re.MULTILINE)


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.toml")))
def test_malformed_watchlist_is_refused_precisely(case: str) -> None:
    path = CASES / f"{case}.toml"
    wanted = expectations(path)
    assert wanted, f"{case}: no '# expect:' line"
    with pytest.raises(ConfigError) as raised:
        load_watchlist(path)
    message = str(raised.value)
    assert message.startswith(str(path))
    for expected in wanted:
        assert expected in message
    assert len(raised.value.problems) == len(wanted)
    assert "None" not in message  # a missing key is "required", never Python's None


@pytest.mark.parametrize("case", ["bad_interval", "duplicate_names", "not_toml"])
def test_validate_command_prints_problems_and_exits_2(case: str) -> None:
    path = CASES / f"{case}.toml"
    result = CliRunner().invoke(cli, ["--config", str(path), "validate"])
    assert result.exit_code == 2
    assert expectations(path)[0] in result.output


def test_validate_command_ok(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text('[[policy]]\nname = "a"\nurl = "https://a.example/p"\n'
                    '[[policy]]\nname = "b"\nurl = "https://b.example/p"\n')
    result = CliRunner().invoke(cli, ["--config", str(path), "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 2 policies")


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="(?s)missing.toml.*file not found"):
        load_watchlist(tmp_path / "missing.toml")


def test_defaults_and_relative_database(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text('[settings]\ninterval = "6h"\n[[policy]]\nname = "a"\n'
                    'url = "https://a.example/p"\nwayback = { since = "2019-05-01" }\n'
                    'tags = ["health"]\n')
    watchlist = load_watchlist(path)
    policy = watchlist.policy("a")
    assert policy.interval == 6 * 3600 and policy.tags == ("health",)
    assert policy.wayback is not None and str(policy.wayback.since) == "2019-05-01"
    assert watchlist.settings.database == str(tmp_path / "policywatch.db")
    assert not watchlist.settings.allow_private_addresses
    assert [c.name for c in watchlist.channels_for(policy)] == ["console"]


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("30m", 1800), ("6h", 21600),
                                               ("1d", 86400)])
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


def test_channels_default_to_all_defined() -> None:
    watchlist = parse_watchlist('[alerts.a]\ntype = "console"\n[alerts.b]\ntype = "console"\n'
                                '[[policy]]\nname = "x"\nurl = "https://x.example/p"\n')
    assert watchlist.policy("x").alerts == ("a", "b")

"""[alerts.NAME] tables are checked for what their type needs when the watchlist loads (cases in
tests/cases/alerts/channels.toml), so a bad channel never waits for the first alert to fail."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.errors import ConfigError
from policywatch.monitor.watchlist import parse_watchlist
from tests.support.config import watchlist_text

CASES = tomllib.loads((Path(__file__).parent / "cases" / "alerts" / "channels.toml")
                      .read_text(encoding="utf-8"))["case"]


def _case(name: str) -> dict[str, Any]:
    return next(c for c in CASES if c["name"] == name)


@pytest.mark.parametrize("name", [c["name"] for c in CASES])
def test_channel_table_is_validated(name: str) -> None:
    case = _case(name)
    text = watchlist_text([{"name": "acme", "url": "https://acme.example/privacy"}],
                          channels={"chan": case["channel"]})
    if not case["problems"]:
        watchlist = parse_watchlist(text)
        assert watchlist.channels["chan"].type == case["channel"]["type"]
        return
    with pytest.raises(ConfigError) as raised:
        parse_watchlist(text)
    problems = raised.value.problems
    assert len(problems) == len(case["problems"]), problems
    for expected, problem in zip(case["problems"], problems, strict=True):
        assert problem.startswith("alerts.chan: ")
        assert expected in problem

"""Data-driven blame tests: histories in tests/cases/blame/*.toml, one test per case name."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.diff.segment import Segment
from policywatch.monitor.history.blame import Lineage, blame_texts

CASES = Path(__file__).parent / "cases" / "blame"


def load(name: str) -> list[dict[str, Any]]:
    with open(CASES / name, "rb") as fh:
        cases: list[dict[str, Any]] = tomllib.load(fh)["case"]
    return cases


def find(lines: list[tuple[Segment, Lineage]], want: dict[str, Any]) -> tuple[Segment, Lineage]:
    matches = [pair for pair in lines if want["text"] in pair[0].text]
    occurrence = want.get("occurrence", 1)
    assert len(matches) >= occurrence, f"no line {occurrence} with {want['text']!r}"
    return matches[occurrence - 1]


def describe(lines: list[tuple[Segment, Lineage]]) -> str:
    return "\n".join(f"  {seg.text!r} section={seg.section!r} {lineage}" for seg, lineage in lines)


@pytest.mark.parametrize("case", load("histories.toml"), ids=lambda c: c["name"])
def test_blame_of_built_history(case: dict[str, Any]) -> None:
    state, segments = blame_texts(enumerate(case["versions"], start=1))
    lines = list(zip(segments, state.lines, strict=True))
    for want in case["expect"]:
        seg, lineage = find(lines, want)
        where = f"{want['text']!r}:\n{describe(lines)}"
        assert lineage.since == want["since"], where
        assert lineage.born == want["born"], where
        if want["previous"]:
            assert lineage.previous is not None and want["previous"] in lineage.previous, where
        else:
            assert lineage.previous is None, where
        assert [list(g) for g in lineage.gaps] == want["gaps"], where
        assert (lineage.moved or 0) == want["moved"], where
        if "section" in want:
            assert seg.section is not None and seg.section.endswith(want["section"]), where

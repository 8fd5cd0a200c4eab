"""Data-driven cases of the differ's sentence splitter (tests/cases/sentences/): abbreviations,
compounds such as EU-U.S., legal references, decimals, initials, URLs and e-mail addresses."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.diff.sentences import split_sentences

CASES = Path(__file__).parent / "cases" / "sentences"


def _cases() -> list[Any]:
    return [pytest.param(tomllib.loads(p.read_text(encoding="utf-8")), id=p.stem)
            for p in sorted(CASES.glob("*.toml"))]


@pytest.mark.parametrize("case", _cases())
def test_sentence_case(case: dict[str, Any]) -> None:
    assert split_sentences(case["text"]) == case["expect"], case["description"]

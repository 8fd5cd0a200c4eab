"""Loading data-driven test cases: `[[case]]` tables with unique `name`s across a folder's
TOML files."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


def load_named_cases(directory: Path) -> dict[str, dict[str, Any]]:
    """Every `[[case]]` of every *.toml in `directory`, by name (names must be unique)."""
    cases: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            assert case["name"] not in cases, f"duplicate case name {case['name']}"
            cases[case["name"]] = case
    return cases

"""A large change reads in a few lines: `policywatch diff` leads with the material units and folds
many other changes into counts by kind and section, unless `--all`. Through the console script."""

from __future__ import annotations

from pathlib import Path

from policywatch.monitor.diff.render import FOLD_OVER
from tests.support.console import policywatch

CITIES = [("Berlin", "Munich"), ("Paris", "Lyon"), ("Madrid", "Seville"), ("Rome", "Milan"),
          ("Vienna", "Graz"), ("Prague", "Brno"), ("Lisbon", "Porto"), ("Dublin", "Cork"),
          ("Oslo", "Bergen"), ("Warsaw", "Krakow"), ("Athens", "Patras"), ("Zurich", "Geneva")]


def policy(sale: str, cities: list[str]) -> str:
    lines = ["# Privacy Policy", "", "## Sharing", "", sale, ""]
    for n, city in enumerate(cities):
        lines += [f"## Office {n}", "", f"Our team in this region works from a building in {city} "
                  "with a friendly reception desk.", ""]
    return "\n".join(lines)


def write_pair(tmp_path: Path, count: int) -> tuple[str, str]:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(policy("We do not sell your personal information to anyone.",
                          [a for a, _ in CITIES[:count]]), encoding="utf-8")
    new.write_text(policy("We may sell your personal information to data brokers.",
                          [b for _, b in CITIES[:count]]), encoding="utf-8")
    return str(old), str(new)


def test_many_other_changes_are_folded_into_counts(tmp_path: Path) -> None:
    assert len(CITIES) > FOLD_OVER
    folded = policywatch("diff", *write_pair(tmp_path, len(CITIES)))
    assert folded.returncode == 0, folded.stderr
    out = folded.stdout
    assert out.index("HIGH severity (1)") < out.index("Other changes (12, no data practice "
                                                      "changed: folded)")
    assert "  12 modified\n" in out and "and 7 more sections" in out and "--all" in out
    assert "Munich" not in out and out.count("why:") == 1
    assert len(out.splitlines()) < 15

    everything = policywatch("diff", "--all", *write_pair(tmp_path, len(CITIES))).stdout
    assert all(new in everything for _, new in CITIES)
    assert "folded" not in everything


def test_a_few_other_changes_are_shown_in_full(tmp_path: Path) -> None:
    out = policywatch("diff", *write_pair(tmp_path, 3)).stdout
    assert "Other changes (3)" in out and "{+Munich+}" in out and "folded" not in out

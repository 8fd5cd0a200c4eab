"""The unit contract: stats, word-level spans, and apply_units refusing units that do not fit."""

from __future__ import annotations

import pytest

from policywatch.monitor.diff import Span, apply_units, diff_placed, diff_texts
from policywatch.monitor.diff.form import edit_distance
from policywatch.monitor.diff.segment import segment

OLD = "# Data\n\nWe keep logs for 30 days. We share data with couriers. Contact us.\n"
NEW = "# Data\n\nWe keep logs for 90 days. Contact us. We use cookies.\n"


def test_stats_contract() -> None:
    stats = diff_texts(OLD, NEW).stats
    assert {k: stats[k] for k in ("added", "removed", "modified", "moved")} == {
        "added": 1, "removed": 1, "modified": 1, "moved": 0}
    assert stats["form_only"] == 0 and stats["material_candidates"] == 3
    assert (stats["sentences_old"], stats["sentences_new"]) == (4, 4)
    assert isinstance(stats["elapsed_ms"], float) and stats["elapsed_ms"] >= 0


def test_spans_are_word_level_and_cover_both_texts() -> None:
    unit = diff_texts("We keep logs for 30 days.", "We keep logs for 365 days.").changes[0]
    assert Span("delete", "30") in unit.spans and Span("insert", "365") in unit.spans
    assert "".join(s.text for s in unit.spans if s.op != "insert") == unit.old
    assert "".join(s.text for s in unit.spans if s.op != "delete") == unit.new


def test_added_and_removed_units_are_one_span() -> None:
    units = {u.kind: u for u in diff_texts(OLD, NEW).changes}
    assert units["added"].spans == [Span("insert", "We use cookies.")]
    assert units["removed"].spans == [Span("delete", "We share data with couriers.")]


def test_apply_units_refuses_units_that_do_not_fit() -> None:
    _, placed = diff_placed(OLD, NEW)
    old_sentences = [s.text for s in segment(OLD)]
    assert len(apply_units(old_sentences, placed)) == len(segment(NEW))
    with pytest.raises(ValueError, match="covered"):
        apply_units(old_sentences, [p for p in placed if p[0].kind != "removed"])
    tampered = [("Something else." if s.startswith("We share") else s) for s in old_sentences]
    with pytest.raises(ValueError, match="does not fit"):
        apply_units(tampered, placed)


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("recieve", "receive", 1), ("seperate", "separate", 1), ("privacy", "privacy", 0),
    ("colour", "color", 1), ("abc", "xyz", 3), ("", "ab", 2),
])
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance

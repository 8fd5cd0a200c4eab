"""The differ on real version histories (../shared/corpus/histories, ODC-By, (c) Open Terms
Archive contributors). Skipped when the corpus is not beside the checkout."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from policywatch.monitor.diff import apply_units, diff_placed, diff_texts
from policywatch.monitor.diff.segment import segment
from policywatch.monitor.diff.sentences import sentence_key

HISTORIES = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "histories"
WORD = re.compile(r"\w+")

Pair = tuple[Path, Path, str]


def consecutive_pairs() -> list[Pair]:
    if not HISTORIES.is_dir():
        pytest.skip(f"corpus not found at {HISTORIES} (../shared beside the checkout)")
    pairs = []
    for history in sorted(HISTORIES.glob("*/*/history.json")):
        versions = json.loads(history.read_text(encoding="utf-8"))["versions"]
        for old, new in zip(versions, versions[1:], strict=False):
            pairs.append((history.parent / old["file"], history.parent / new["file"], new["kind"]))
    return pairs


def same_words(old: str, new: str) -> bool:
    return WORD.findall(old.lower()) == WORD.findall(new.lower())


def test_technical_pairs_with_identical_words_are_empty_or_form_only() -> None:
    """The archive re-extracted these pages with new rules; where the words did not change,
    the differ must find nothing a reader would call a change."""
    technical = [(a, b) for a, b, kind in consecutive_pairs() if kind == "technical"]
    texts = [(a, b, a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8"))
             for a, b in technical]
    identical = [(b, old, new) for _, b, old, new in texts if same_words(old, new)]
    # 45 if words are whitespace-separated tokens; \w+ words also equate punctuation-only edits.
    assert (len(technical), len(identical)) == (73, 49)
    offenders = []
    for path, old, new in identical:
        real = [u for u in diff_texts(old, new).changes if not u.form_only]
        if real:
            offenders.append(f"{path}: {real[0].kind} {real[0].old!r} -> {real[0].new!r}")
    assert offenders == []


def test_units_replay_old_into_new_on_real_pairs() -> None:
    """On a sample of real consecutive versions, applying the units to the old sentences gives
    exactly the new document's sentences (up to form)."""
    for old_path, new_path, _ in consecutive_pairs()[::15]:
        old, new = old_path.read_text(encoding="utf-8"), new_path.read_text(encoding="utf-8")
        result, placed = diff_placed(old, new)
        replayed = apply_units([s.text for s in segment(old)], placed)
        new_keys = [s.key for s in segment(new)]
        assert [sentence_key(s) for s in replayed] == new_keys, new_path
        assert result.stats["sentences_new"] == len(new_keys)

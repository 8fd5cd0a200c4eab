"""The lazy patterns' required-word test (patterns.required_words, LazyPattern.may_match)
must never skip a text the regex matches: cases in tests/cases/patterns/*.toml, every code point
that folds to ASCII, and every classifier pattern on every classifier case's text."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest

from policywatch.monitor import classify
from policywatch.monitor.classify import lexicon, opp115, patterns, vocabulary
from policywatch.monitor.classify.patterns import (
    FOLD_TRAPS,
    LazyPattern,
    alternation,
    flexible_spaces,
    guarded,
    lazy,
    required_words,
)
from policywatch.monitor.classify.vocabulary import VOCABULARY
from tests.support.cases import load_named_cases

CASES = load_named_cases(Path(__file__).parent / "cases" / "patterns")
CLASSIFY_CASES = load_named_cases(Path(__file__).parent / "cases" / "classify")


@pytest.mark.parametrize("name", sorted(CASES))
def test_required_words(name: str) -> None:
    case = CASES[name]
    flags = case.get("flags", re.IGNORECASE)
    words, digit, _ = required_words(case["pattern"], flags)
    assert sorted(words or []) == case["words"]
    assert digit == case.get("digit", False)
    pattern, plain = lazy(case["pattern"], flags), re.compile(case["pattern"], flags)
    for text in case["texts"]:
        assert plain.search(text), text
        assert pattern.search(text) and list(pattern.finditer(text)), text
    for text in case["misses"]:
        assert not plain.search(text) and not pattern.search(text), text


def test_fold_traps_are_every_code_point_that_matches_ascii_but_lowers_elsewhere() -> None:
    """A text holding a character that matches an ASCII letter case-insensitively without
    lower()-ing to it must skip the leading-word test: those characters are FOLD_TRAPS."""
    ascii_char = re.compile("[\x00-\x7f]", re.IGNORECASE)
    odd = {chr(c) for c in range(128, 0x110000)
           if not 0xD800 <= c <= 0xDFFF and ascii_char.fullmatch(chr(c))}
    lowers_to_its_match = {c for c in odd if len(c.lower()) == 1 and c.lower().isascii()
                           and re.fullmatch(re.escape(c.lower()), c, re.IGNORECASE)}
    assert odd - lowers_to_its_match == set(FOLD_TRAPS)


def _classifier_patterns() -> list[LazyPattern]:
    assert classify and opp115 and patterns  # every module that makes patterns is loaded
    found = [obj for obj in gc.get_objects() if isinstance(obj, LazyPattern)]
    for pattern in found:
        pattern.compiled()
    return found


def _texts(case: dict[str, str]) -> list[str]:
    texts = [case.get("old") or "", case.get("new") or ""]
    texts += [text.replace("s", "\u017f").replace("I", "\u0130") for text in texts]
    return texts + [line for text in texts for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("name", sorted(CLASSIFY_CASES))
def test_required_words_skip_no_match_of_the_classifier(name: str) -> None:
    texts = _texts(CLASSIFY_CASES[name])
    for pattern in _classifier_patterns():
        for text in texts:
            assert (pattern.search(text) is None) == (pattern.compiled().search(text) is None), (
                pattern.pattern, text)


@pytest.mark.parametrize("name", sorted(CLASSIFY_CASES))
def test_word_index_finds_what_a_substring_scan_finds(name: str) -> None:
    """suppress._WordIndex (used past half a megabyte) answers as the substring scan does, for
    every run of words of the case's texts and a few that are in neither."""
    from policywatch.monitor.classify.suppress import _normal, _normal_text, _WordIndex

    texts = [t for t in _texts(CLASSIFY_CASES[name]) if t]
    for text in texts:
        index, normal = _WordIndex(text), _normal_text(text)
        words = [w for t in texts for w in _normal(t).split()]
        runs = [words[i:i + n] for n in (1, 3, 8) for i in range(0, max(1, len(words) - n), 3)]
        runs += [["no", "such", "words"], words[:2] + ["zzz"]]
        for run in (r for r in runs if r):
            assert index.has_run(run) == (f" {' '.join(run)} " in normal), run


GUARDED = load_named_cases(Path(__file__).parent / "cases" / "patterns" / "guards")


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[str | None, int, int]]:
    return [(m.lastgroup, m.start(), m.end()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_guarded(name: str) -> None:
    case = GUARDED[name]
    assert guarded(case["pattern"]) == case["guarded"]
    plain = re.compile(case["pattern"], re.IGNORECASE)
    guard = re.compile(guarded(case["pattern"]), re.IGNORECASE)
    for text in case["texts"]:
        assert _matches(guard, text) == _matches(plain, text), text


def _unguarded(tables: list[dict[str, list[str]]]) -> re.Pattern[str]:
    """The vocabulary's or a lexicon table's regex as it is built without guards."""
    body = "|".join(f"(?P<g{i}_{j}>{alternation(flexible_spaces(p) for p in phrases)})"
                    for i, table in enumerate(tables) for j, phrases in enumerate(table.values()))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.IGNORECASE)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("name", sorted(CLASSIFY_CASES))
def test_guards_change_no_mention(name: str) -> None:
    """The vocabulary and the lexicon tables, guarded, find what they find without guards
    (same spans; the same kind or entry, as both list them in the same order)."""
    pairs = [(vocabulary.pattern(), _unguarded([VOCABULARY]), list(VOCABULARY))]
    for table, entries in ((lexicon.SENSITIVE_PATTERNS, lexicon.SENSITIVE_DATA),
                           (lexicon.RECIPIENT_PATTERNS, lexicon.RECIPIENTS),
                           (lexicon.ORDINARY_PATTERNS, lexicon.ORDINARY_DATA),
                           (lexicon.PURPOSE_PATTERNS, lexicon.PURPOSES)):
        pairs.append((table.pattern, _unguarded([entries]), list(entries)))
    for text in _texts(CLASSIFY_CASES[name]):
        for guarded_pattern, plain, names in pairs:
            kinds = [m.lastgroup for m in guarded_pattern.finditer(text)]
            plain_kinds = [m.lastgroup for m in plain.finditer(text)]
            assert _spans(guarded_pattern, text) == _spans(plain, text), text
            assert [k if k in names else names[int(k[1:])] for k in kinds if k] == [
                names[int(k.split("_")[1])] for k in plain_kinds if k], text

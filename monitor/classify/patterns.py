"""Small helpers to turn phrase lists into compiled, case-insensitive regexes.

Lexicons are written as readable phrase lists; a phrase may itself hold regex syntax (e.g.
`shar(e|es|ing)`). Everything is compiled once, on first use (not at import).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from re import _constants, _parser  # type: ignore[attr-defined]
from typing import Any, cast

FLAGS = re.IGNORECASE


def alternation(phrases: Iterable[str]) -> str:
    """`(?:a|b|c)` with the longest phrases first so that the longest match wins."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")"


_SPACE_OUTSIDE_CLASS = re.compile(r" (?![^\[]*\])")


def flexible_spaces(phrase: str) -> str:
    """A phrase's spaces (outside character classes) match any run of blanks or hyphens."""
    return _SPACE_OUTSIDE_CLASS.sub(r"[\\s-]+", phrase)


class LazyPattern:
    """A regex compiled on first use: the classifier has hundreds of patterns, and a process
    that never classifies (the CLI's other commands, the fetcher) should not pay for them.

    Most of its patterns start every match with one of a few literal words ("sell", "shar",
    ...): `search`, `finditer`, `findall` and `sub` first look for those words with `in`, which
    costs far less than the regex engine trying the pattern at every position of a text that
    has none of them (see leading_stems)."""

    __slots__ = ("_source", "_flags", "_compiled", "_stems", "_fold")

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern[str] | None = None
        self._stems: tuple[str, ...] | None = None
        self._fold = False

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            compiled = re.compile(self._source, self._flags)
            self._stems, self._fold = leading_stems(self._source, self._flags)
            self._compiled = compiled
        return self._compiled

    def may_match(self, text: str) -> bool:
        """False only when no match can start in `text`: none of the leading words is in it."""
        if self._stems is None:
            return True
        if self._fold:
            if not text.isascii() and any(trap in text for trap in FOLD_TRAPS):
                return True
            text = text.lower()
        return any(stem in text for stem in self._stems)

    # The methods the classifier calls, spelled out: going through __getattr__ costs a failed
    # attribute lookup on every call, and these run millions of times per corpus pass.
    def search(self, text: str, *bounds: int) -> re.Match[str] | None:
        compiled = self._compiled or self.compiled()
        if not bounds and not self.may_match(text):
            return None
        return compiled.search(text, *bounds)

    def match(self, *args: Any) -> re.Match[str] | None:
        return (self._compiled or self.compiled()).match(*args)

    def fullmatch(self, *args: Any) -> re.Match[str] | None:
        return (self._compiled or self.compiled()).fullmatch(*args)

    def finditer(self, text: str, *bounds: int) -> Iterator[re.Match[str]]:
        compiled = self._compiled or self.compiled()
        if not bounds and not self.may_match(text):
            return iter(())
        return compiled.finditer(text, *bounds)

    def findall(self, text: str, *bounds: int) -> list[Any]:
        compiled = self._compiled or self.compiled()
        if not bounds and not self.may_match(text):
            return []
        return compiled.findall(text, *bounds)

    def sub(self, repl: Any, text: str, *args: Any, **kwargs: Any) -> str:
        compiled = self._compiled or self.compiled()
        if not self.may_match(text):
            return text  # what re returns when nothing matches
        return compiled.sub(repl, text, *args, **kwargs)

    def split(self, *args: Any, **kwargs: Any) -> list[Any]:
        return (self._compiled or self.compiled()).split(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


# --- leading words of a pattern ---------------------------------------------------------------
# Characters that match an ASCII letter case-insensitively but whose lower() is not that letter
# (dotted capital I lowers to "i" plus a combining dot; dotless i and long s fold to i and s):
# a text holding one is searched without the `in` test. tests/test_patterns.py checks every
# code point.
FOLD_TRAPS = ("\u0130", "\u0131", "\u017f")
_MAX_STEMS = 40  # more words than this, and the `in` tests cost about what the regex does
_STEM_CHARS = 6  # enough to be rare, few enough that "shares", "shared" are one word
_ZERO_WIDTH = frozenset({_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT})


def leading_stems(source: str, flags: int) -> tuple[tuple[str, ...] | None, bool]:
    """The literal words one of which every match of `source` starts with (after lookarounds
    and anchors), lower-cased when the pattern ignores case, and whether it does; None when
    some match may start otherwise (a character class, a repeat, a flag change)."""
    parsed = _parser.parse(source, flags)
    fold = bool(parsed.state.flags & re.IGNORECASE)
    stems = _stems_of(list(parsed), fold)
    if stems is None:
        return None, fold
    kept: list[str] = []
    for stem in sorted(stems, key=len):  # "shar" covers "share": keep the shorter
        if not any(shorter in stem for shorter in kept):
            kept.append(stem)
    return (tuple(kept) if len(kept) <= _MAX_STEMS else None), fold


def _stems_of(items: list[tuple[Any, Any]], fold: bool) -> set[str] | None:
    """Leading words of a parsed sequence (re._parser's (opcode, argument) items)."""
    ops = list(items)
    first = next((i for i, (op, _) in enumerate(ops) if op not in _ZERO_WIDTH), None)
    if first is None:
        return None
    op, arg = ops[first]
    if op is _constants.LITERAL:
        run = "".join(chr(a) for _, a in
                      itertools.takewhile(lambda item: item[0] is _constants.LITERAL, ops[first:]))
        stem = run[:_STEM_CHARS]
        if fold and not stem.isascii():
            return None
        return {stem.lower() if fold else stem}
    if op is _constants.BRANCH:
        found: set[str] = set()
        for branch in arg[1]:
            stems = _stems_of(list(branch), fold)
            if stems is None:
                return None
            found |= stems
        return found
    if op is _constants.SUBPATTERN:
        _group, add_flags, del_flags, inner = arg
        return None if add_flags or del_flags else _stems_of(list(inner), fold)
    if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
        least, _most, inner = arg
        repeated = _stems_of(list(inner), fold)
        if least or repeated is None:
            return repeated
        after = _stems_of(ops[first + 1:], fold)  # "(?:your )?data": "your" or "data"
        return None if after is None else repeated | after
    return None


def lazy(source: str, flags: int = FLAGS) -> re.Pattern[str]:
    return cast("re.Pattern[str]", LazyPattern(source, flags))


def words(phrases: Iterable[str]) -> re.Pattern[str]:
    """Match any phrase as whole words (a phrase's inner spaces match blanks or hyphens)."""
    body = alternation(flexible_spaces(p) for p in phrases)
    return lazy(r"(?<![\w-])" + body + r"(?![\w])")


def regex(pattern: str) -> re.Pattern[str]:
    return lazy(pattern)


def first(pattern: re.Pattern[str], text: str) -> str | None:
    """The first matched text, or None."""
    found = pattern.search(text)
    return found.group(0) if found else None

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

    Most of its patterns match only text that holds one of a few literal words ("sell", "shar",
    "@", ...): `search`, `finditer`, `findall` and `sub` first look for those words with `in`,
    which costs far less than the regex engine trying the pattern at every position of a text
    that has none of them (see required_words)."""

    __slots__ = ("_source", "_flags", "_compiled", "_stems", "_digit", "_fold")

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern[str] | None = None
        self._stems: tuple[str, ...] | None = None
        self._digit = self._fold = False

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            compiled = re.compile(self._source, self._flags)
            self._stems, self._digit, self._fold = required_words(self._source, self._flags)
            self._compiled = compiled
        return self._compiled

    def may_match(self, text: str) -> bool:
        """False only when no match can be in `text`: it has none of the required words."""
        if self._stems is None:
            return True
        folded = _folded(text) if self._fold else text
        if folded is None:
            return True
        # A loop: any() over a generator costs more than the tests themselves.
        for stem in self._stems:  # noqa: SIM110
            if stem in folded:
                return True
        return self._digit and _HAS_DIGIT.search(text) is not None

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


# --- words a match requires ------------------------------------------------------------------
# Characters that match an ASCII letter case-insensitively but whose lower() is not that letter
# (dotted capital I lowers to "i" plus a combining dot; dotless i and long s fold to i and s):
# a text holding one is searched without the `in` test. tests/test_patterns.py checks every
# code point.
FOLD_TRAPS = ("\u0130", "\u0131", "\u017f")
# The last text lower-cased, and its lower-case (None: it holds a trap): a hundred patterns
# test the same text in a row. One tuple, read and replaced whole, so threads cannot mix two.
_LAST_FOLDED: tuple[str, str | None] = ("", "")


def _folded(text: str) -> str | None:
    global _LAST_FOLDED
    last_text, folded = _LAST_FOLDED
    if last_text is text:
        return folded
    folded = None if not text.isascii() and any(t in text for t in FOLD_TRAPS) else text.lower()
    _LAST_FOLDED = (text, folded)
    return folded


_MAX_STEMS = 40  # more words than this, and the `in` tests cost about what the regex does
_STEM_CHARS = 6  # enough to be rare, few enough that "shares", "shared" are one word
_ZERO_WIDTH = frozenset({_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT})


def required_words(source: str, flags: int) -> tuple[tuple[str, ...] | None, bool, bool]:
    """Literal words one of which every match of `source` contains (lower-cased when the
    pattern ignores case), whether a digit may stand for them (the words came with a `\\d`
    alternative), and whether the pattern ignores case; None when no such words are known."""
    parsed = _parser.parse(source, flags)
    fold = bool(parsed.state.flags & re.IGNORECASE)
    words = _required(list(parsed), fold)
    if words is None:
        return None, False, fold
    kept: list[str] = []
    for word in sorted(words - {_DIGIT}, key=len):  # "shar" covers "share": keep the shorter
        if not any(shorter in word for shorter in kept):
            kept.append(word)
    return (tuple(kept) if len(kept) <= _MAX_STEMS else None), _DIGIT in words, fold


_DIGIT = "\\d"  # stands for any digit in a set of required words
_HAS_DIGIT = re.compile(r"\d")


def _required(items: list[tuple[Any, Any]], fold: bool) -> set[str] | None:
    """Required words of a parsed sequence (re._parser's (opcode, argument) items): those of
    the one of its mandatory items whose shortest word is longest."""
    best: set[str] | None = None
    at = 0
    while at < len(items):
        op, arg = items[at]
        if op is _constants.LITERAL:
            run = "".join(chr(a) for _, a in
                          itertools.takewhile(lambda item: item[0] is _constants.LITERAL,
                                              items[at:]))
            at += len(run)
            word = run[:_STEM_CHARS]
            found = None if fold and not word.isascii() else {word.lower() if fold else word}
        else:
            at += 1
            found = _required_of_item(op, arg, fold)
        if found is not None and (best is None or _strength(found) > _strength(best)):
            best = found
    return best


def _strength(words: set[str]) -> tuple[int, int]:
    return min(len(w) if w != _DIGIT else 1 for w in words), -len(words)


def _required_of_item(op: Any, arg: Any, fold: bool) -> set[str] | None:
    if op is _constants.BRANCH:
        found: set[str] = set()
        for branch in arg[1]:
            words = _required(list(branch), fold)
            if words is None:
                return None
            found |= words
        return found
    if op is _constants.SUBPATTERN:
        _group, add_flags, del_flags, inner = arg
        return None if add_flags or del_flags else _required(list(inner), fold)
    if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
        least, _most, inner = arg
        return _required(list(inner), fold) if least else None
    if op is _constants.IN and arg == [(_constants.CATEGORY, _constants.CATEGORY_DIGIT)]:
        return {_DIGIT}
    if op is _constants.IN and all(kind is _constants.LITERAL for kind, _ in arg):
        chars = {chr(code) for _, code in arg}  # "[*_]": one of a few characters
        return None if fold and not all(c.isascii() for c in chars) else {
            c.lower() if fold else c for c in chars}
    return None  # another class, a lookaround, an anchor: it requires no word


# --- characters a match starts with -------------------------------------------------------------

def guarded(source: str, flags: int = FLAGS) -> str:
    """`source` behind a lookahead for the characters its matches can start with: in a long
    alternation of alternations (the vocabulary, a lexicon table), the engine then skips a
    whole group with one class test instead of trying each of its phrases at every word.
    Matches are the same; `source` itself when its first characters are not known."""
    chars = _first_chars(list(_parser.parse(source, flags)))
    return source if chars is None else f"(?=[{''.join(sorted(chars))}])(?:{source})"


def _first_chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Class pieces ("a", "0-9", "\\d") for the first character of a parsed sequence."""
    for at, (op, arg) in enumerate(items):
        if op is _constants.LITERAL:
            return {re.escape(chr(arg))}
        if op is _constants.BRANCH:
            found: set[str] = set()
            for branch in arg[1]:
                chars = _first_chars(list(branch))
                if chars is None:
                    return None
                found |= chars
            return found
        if op is _constants.SUBPATTERN:
            _group, add_flags, del_flags, inner = arg
            return None if add_flags or del_flags else _first_chars(list(inner))
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            least, _most, inner = arg
            repeated = _first_chars(list(inner))
            if least or repeated is None:
                return repeated
            after = _first_chars(items[at + 1:])  # an optional part: it or what follows
            return None if after is None else repeated | after
        return _class_chars(arg) if op is _constants.IN else None
    return None  # empty, or only anchors and lookarounds: any character


_CLASS_CATEGORIES = {_constants.CATEGORY_DIGIT: r"\d", _constants.CATEGORY_WORD: r"\w",
                     _constants.CATEGORY_SPACE: r"\s"}


def _class_chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    found: set[str] = set()
    for kind, arg in items:
        if kind is _constants.LITERAL:
            found.add(re.escape(chr(arg)))
        elif kind is _constants.RANGE:
            found.add(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif kind is _constants.CATEGORY and arg in _CLASS_CATEGORIES:
            found.add(_CLASS_CATEGORIES[arg])
        else:
            return None  # a negated class, another category
    return found


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

"""Small helpers to turn phrase lists into compiled, case-insensitive regexes.

Lexicons are written as readable phrase lists; a phrase may itself hold regex syntax (e.g.
`shar(e|es|ing)`). Everything is compiled once, on first use (not at import).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
    that never classifies (the CLI's other commands, the fetcher) should not pay for them."""

    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return getattr(self._compiled, name)


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

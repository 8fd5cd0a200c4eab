"""Small helpers to turn phrase lists into compiled, case-insensitive regexes.

Lexicons are written as readable phrase lists; a phrase may itself hold regex syntax (e.g.
`shar(e|es|ing)`). Everything is compiled once, on first use (not at import).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    # The methods the classifier calls, spelled out: going through __getattr__ costs a failed
    # attribute lookup on every call, and these run millions of times per corpus pass.
    def search(self, *args: Any) -> re.Match[str] | None:
        return (self._compiled or self.compiled()).search(*args)

    def match(self, *args: Any) -> re.Match[str] | None:
        return (self._compiled or self.compiled()).match(*args)

    def fullmatch(self, *args: Any) -> re.Match[str] | None:
        return (self._compiled or self.compiled()).fullmatch(*args)

    def finditer(self, *args: Any) -> Iterator[re.Match[str]]:
        return (self._compiled or self.compiled()).finditer(*args)

    def findall(self, *args: Any) -> list[Any]:
        return (self._compiled or self.compiled()).findall(*args)

    def sub(self, *args: Any, **kwargs: Any) -> str:
        return (self._compiled or self.compiled()).sub(*args, **kwargs)

    def split(self, *args: Any, **kwargs: Any) -> list[Any]:
        return (self._compiled or self.compiled()).split(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


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

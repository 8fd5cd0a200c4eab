"""Small helpers to turn phrase lists into compiled, case-insensitive regexes.

Lexicons are written as readable phrase lists; a phrase may itself hold regex syntax (e.g.
`shar(e|es|ing)`). Everything is compiled once, at import time, so classification stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FLAGS = re.IGNORECASE


def alternation(phrases: Iterable[str]) -> str:
    """`(?:a|b|c)` with the longest phrases first so that the longest match wins."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")"


_SPACE_OUTSIDE_CLASS = re.compile(r" (?![^\[]*\])")


def flexible_spaces(phrase: str) -> str:
    """A phrase's spaces (outside character classes) match any run of blanks or hyphens."""
    return _SPACE_OUTSIDE_CLASS.sub(r"[\\s-]+", phrase)


def words(phrases: Iterable[str]) -> re.Pattern[str]:
    """Match any phrase as whole words (a phrase's inner spaces match blanks or hyphens)."""
    body = alternation(flexible_spaces(p) for p in phrases)
    return re.compile(r"(?<![\w-])" + body + r"(?![\w])", FLAGS)


def regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, FLAGS)


def first(pattern: re.Pattern[str], text: str) -> str | None:
    """The first matched text, or None."""
    found = pattern.search(text)
    return found.group(0) if found else None

"""Normalised comparison keys for policy text.

Two texts with the same key differ only in form (whitespace, non-breaking and zero-width spaces,
bullet and list markers, quote and dash styles, Markdown emphasis), so a change of form alone never
creates a version. The stored text stays as extracted; only the key is normalised.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-",
    "\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ",
    "\u200a": " ", "\u2002": " ", "\u2003": " ", "\u3000": " ",
})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# A list marker at the start of a line: -, *, +, •, ◦, ▪, ·, "1.", "1)", "a)", "(i)".
_BULLET = re.compile(
    r"^[ \t]*(?:[-*+\u2022\u25e6\u25aa\u25cf\u00b7\u2023\u2043]+"
    r"|\(?\d{1,3}[.)]|\(?[a-z][.)]|\([ivx]+\))[ \t]+",
    re.MULTILINE,
)
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_QUOTE_BLOCK = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def normalise_key(text: str) -> str:
    """Return the comparison key of a policy text: equal keys mean a change of form only."""
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text).translate(_QUOTES)
    text = _TABLE_RULE.sub(" ", text)
    text = _HEADING.sub("", text)
    text = _QUOTE_BLOCK.sub("", text)
    text = _BULLET.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = text.replace("|", " ")
    return _SPACE.sub(" ", text).strip()


def key_hash(text: str) -> str:
    """sha256 of the normalised key, the identity of a version's text."""
    return hashlib.sha256(normalise_key(text).encode("utf-8")).hexdigest()

"""Inline Markdown clean-up, sentence splitting and comparison keys for one block of text.

The differ compares what people read, so a block is first stripped of Markdown syntax (links keep
their text, emphasis and escapes go), then cut into sentences. Keys fold the forms that never
change meaning (case, quotes, spaces) so that difflib aligns sentences on their words.
"""

from __future__ import annotations

import re
import unicodedata

from policywatch.monitor.textnorm import _QUOTES, _ZERO_WIDTH, normalise_key

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'])")
# Escaped Markdown characters hide in private-use code points while the syntax is removed.
_HIDE = {c: chr(0xE000 + i) for i, c in enumerate("\\`*_{}[]()#+-.!|<>~\"'")}
_UNHIDE = str.maketrans({v: k for k, v in _HIDE.items()})
# A link target may hold one level of parentheses: [x](javascript:void(0)).
_TARGET = r"\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)"
_IMAGE = re.compile(r"!\[([^\]]*)\]" + _TARGET)
_LINK = re.compile(r"\[([^\]]*)\]" + _TARGET)
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HEADING_ID = re.compile(r"\s*\{#[\w.:-]+\}")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_CODE = re.compile(r"`+([^`]*)`+")
_HTML_TAG = re.compile(r"</?(?:br|span|a|b|i|em|strong|u|sup|sub|p|div)\b[^>]*>", re.IGNORECASE)
_MARKUP_CHARS = re.compile(r"[\\\[\]*_`<{]")


def clean_inline(text: str) -> str:
    """The readable text of a line of light Markdown: link and image text, no emphasis."""
    if _MARKUP_CHARS.search(text):
        hidden = "\\" in text
        if hidden:
            text = _ESCAPE.sub(lambda m: _HIDE[m.group(1)], text)
        if "](" in text:
            text = _LINK.sub(r"\1", _IMAGE.sub(r"\1", text) if "![" in text else text)
        if "][" in text:
            text = _REF_LINK.sub(r"\1", text)
        if "<" in text:
            text = _HTML_TAG.sub(" ", _AUTOLINK.sub(r"\1", text))
        if "{#" in text:
            text = _HEADING_ID.sub("", text)
        if "`" in text:
            text = _CODE.sub(r"\1", text)
        if "**" in text or "__" in text:
            text = _STRONG.sub(r"\2", text)
        if "*" in text or "_" in text:
            text = _EM.sub(r"\2", text)
        if hidden:
            text = text.translate(_UNHIDE)
    return " ".join(text.split())


# Words whose trailing period does not end a sentence (compared lowercased, without the dot).
ABBREVIATIONS = frozenset({
    "e.g", "i.e", "eg", "ie", "al", "cf", "viz", "vs", "v", "approx", "incl", "esp",
    "inc", "ltd", "co", "corp", "llc", "plc", "gmbh", "bv", "s.a", "n.v", "pty", "no", "nos",
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "art", "arts", "sec", "secs", "para",
    "paras", "fig", "p", "pp", "vol", "ch", "chap", "ref", "tel", "ph", "ext", "dept", "div",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "e.u", "u.s.a", "a.m", "p.m", "ca", "min", "max", "govt", "est", "reg",
})
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u00de])")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?|[A-Z]")
_WORD_EDGE = "(\"'\u201c\u2018[.!?\u201d\u2019)]"


def _ends_sentence(text: str, dot: int) -> bool:
    """Whether the punctuation at `dot` closes a sentence rather than an abbreviation."""
    if text[dot] != ".":
        return True
    before = text[max(0, dot - 40):dot].rsplit(None, 1)
    word = before[-1].strip(_WORD_EDGE) if before else ""
    # "EU-U.S.", "Non-U.S.", "Swiss-U.S.": the abbreviation is the last part of the compound.
    word = word.rsplit("-", 1)[-1] if "-" in word else word
    if word.lower() in ABBREVIATIONS:
        return False
    return not _INITIALS.fullmatch(word)


def split_sentences(text: str) -> list[str]:
    """Cut a cleaned block into sentences, keeping abbreviations, decimals and URLs whole."""
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(text):
        if _ends_sentence(text, match.start()):
            piece = text[start:match.end()].strip()
            if piece:
                sentences.append(piece)
            start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


# Characters normalise_key folds (quotes, dashes, exotic spaces, zero-width), found in one pass.
_FOLD_MAP = {chr(c): r for c, r in _QUOTES.items()}
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLD_MAP)) + "]|" + _ZERO_WIDTH.pattern)
# Text normalise_key might change beyond spaces (Markdown syntax, a table rule, something like a
# list marker at the start) takes the slow path; this may over-match, never under-match.
_SPECIAL = re.compile(r"[|#>*_\[\]`]")
_LIST_START = re.compile(r"\s*(?:[-+\u2022\u25e6\u25aa\u25cf\u00b7\u2023\u2043(]|\w{1,3}[.)])")


def sentence_key(sentence: str) -> str:
    """The alignment key: normalise_key(sentence).lower(), with a fast path for the common case
    of a sentence without Markdown syntax."""
    if not sentence.isascii():
        if not unicodedata.is_normalized("NFKC", sentence):
            sentence = unicodedata.normalize("NFKC", sentence)
        sentence = _FOLDABLE.sub(lambda m: _FOLD_MAP.get(m.group(), ""), sentence)
    if _SPECIAL.search(sentence) or "---" in sentence or _LIST_START.match(sentence):
        return normalise_key(sentence).lower()
    return " ".join(sentence.split()).lower()


_LOOSE_DROP = re.compile(r"(?<!\d)[\W_]+|[\W_]+(?!\d)")


def loose_key(key: str) -> str:
    """A key without spaces and punctuation (kept between digits, as in 1,000 or 2.5): equal
    loose keys differ only in joined or split words, punctuation or case."""
    return _LOOSE_DROP.sub("", key)


_WORD = re.compile(r"\w+")


def words_of(key: str) -> list[str]:
    """The word tokens of a key, for similarity and word-level comparisons."""
    return _WORD.findall(key)

"""Inline Markdown clean-up, sentence splitting and comparison keys for one block of text.

The differ compares what people read, so a block is first stripped of Markdown syntax (links keep
their text, emphasis and escapes go), then cut into sentences. Keys fold the forms that never
change meaning (case, quotes, spaces) so that difflib aligns sentences on their words.
"""

from __future__ import annotations

import re

from monitor.textnorm import normalise_key

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'])")
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
_SPACE = re.compile(r"\s+")
_MARKUP_CHARS = re.compile(r"[\\\[\]*_`<{]")


def clean_inline(text: str) -> str:
    """The readable text of a line of light Markdown: link and image text, no emphasis."""
    if _MARKUP_CHARS.search(text):
        text = _ESCAPE.sub(lambda m: "\x00" + m.group(1), text) if "\\" in text else text
        text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(r"\1", text)
        text = _REF_LINK.sub(r"\1", text)
        text = _AUTOLINK.sub(r"\1", text)
        text = _HEADING_ID.sub("", text)
        text = _CODE.sub(r"\1", text)
        text = _HTML_TAG.sub(" ", text)
        text = _STRONG.sub(r"\2", text)
        text = _EM.sub(r"\2", text)
        text = text.replace("\x00", "")
    return _SPACE.sub(" ", text).strip()


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
_LAST_WORD = re.compile(r"(\S+?)[.!?]*[\"'\u201d\u2019)\]]*$")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$|^[A-Z]$")


def _ends_sentence(text: str, dot: int) -> bool:
    """Whether the punctuation at `dot` closes a sentence rather than an abbreviation."""
    if text[dot] != ".":
        return True
    match = _LAST_WORD.search(text, max(0, dot - 40), dot + 1)
    word = match.group(1) if match else ""
    word = word.lstrip("(\"'\u201c\u2018[")
    if word.lower().rstrip(".") in ABBREVIATIONS:
        return False
    return not _INITIALS.match(word)


def split_sentences(text: str) -> list[str]:
    """Cut a cleaned block into sentences, keeping abbreviations, decimals and URLs whole."""
    if len(text) < 2 or not _END.search(text):
        return [text] if text else []
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


_PLAIN = re.compile(r"[ -~]*")
_SPECIAL = re.compile(r"[|#>*_\[\]`]|^\(?[0-9a-z]{1,3}[.)]\s|^\([ivx]+\)\s|^[-+]\s")


def sentence_key(sentence: str) -> str:
    """The alignment key: normalise_key (spaces, quotes, markup) lowercased."""
    if _PLAIN.fullmatch(sentence) and not _SPECIAL.search(sentence):
        return " ".join(sentence.split()).lower()  # same result as normalise_key, much faster
    return normalise_key(sentence).lower()


_LOOSE_DROP = re.compile(r"(?<!\d)[\W_]+|[\W_]+(?!\d)")


def loose_key(key: str) -> str:
    """A key without spaces and punctuation (kept between digits, as in 1,000 or 2.5): equal
    loose keys differ only in joined or split words, punctuation or case."""
    return _LOOSE_DROP.sub("", key)


_WORD = re.compile(r"\w+")


def words_of(key: str) -> list[str]:
    """The word tokens of a key, for similarity and word-level comparisons."""
    return _WORD.findall(key)

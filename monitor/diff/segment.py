"""A document as a reader sees it: a list of segments (headings, sentences, list items, table
rows), each with its section path, readable text and alignment key."""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from .blocks import Piece, parse_block, split_blocks
from .patterns import (
    is_anchor_only,
    is_back_to_top,
    is_date_line,
    is_link_only,
    is_toc_title,
    without_date_phrase,
)
from .sentences import clean_inline, sentence_key, split_sentences

SECTION_SEPARATOR = " \u203a "


@dataclass(slots=True)
class Segment:
    text: str  # readable text: Markdown syntax removed, spelling as published
    key: str  # alignment key: equal keys differ only in spaces, quotes, case or markup
    section: str | None  # heading path, e.g. "Sharing › Advertising partners"
    heading: bool = False
    nav: bool = False  # table-of-contents entry, anchor link or "back to top"


# A Markdown document with this many real headings gets no inferred plain-text headings.
_MARKDOWN_HEADINGS_ENOUGH = 2
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_NUMBERED_LEVEL_BASE = 6  # numbered headings nest below Markdown ones
# Headings written with styling: a bold block, an all-caps line, a plain short line.
_BOLD_LEVEL, _CAPS_LEVEL, _PLAIN_LEVEL = 10, 11, 12
_MAYBE_HEADING = (_CAPS_LEVEL, _PLAIN_LEVEL)  # headings only when body text follows
# An all-caps line saying what is done ("WE DO NOT SELL YOUR DATA") is a statement, not a title.
_STATEMENT_WORD = re.compile(r"\b(may|might|will|shall|must|cannot|not|never)\b",
                             re.IGNORECASE)
_BOLD_LINE = re.compile(r"^(\*\*|__)[^*_]+\1:?$")
_MAX_HEADING_WORDS, _MAX_HEADING_CHARS = 12, 100
_BACK_TO_TOP_MAX = 40
_HAS_WORD = re.compile(r"\w")


@dataclass(slots=True)
class _PieceInfo:
    """What a piece says on its own, worked out once even when both versions contain it."""

    sentences: list[tuple[str, str, bool]]  # text, key, is "back to top"
    heading: int  # level if it is a numbered or bold heading, _PLAIN_LEVEL if it may be one
    title: str  # its text as a heading
    title_key: str
    anchors: bool  # only links to anchors in the page
    listish: bool  # a list item or only links: may be a table-of-contents entry


# Blocks analysed lately, by their text: two versions of a policy share most blocks, and the
# service diffs each version against the previous one, which it analysed the time before.
# 2,000 blocks (a few documents, about 7 MB) give the same hits on the real histories as 20,000
# (about 70 MB), which would eat a third of the service's memory budget.
BLOCK_CACHE_SIZE = 2_000


@lru_cache(maxsize=BLOCK_CACHE_SIZE)
def analysed_block(block: str) -> tuple[tuple[Piece, _PieceInfo], ...]:
    """The pieces of a block, each with what it says on its own (pure, hence cached)."""
    return tuple((piece, _analyse(piece)) for piece in parse_block(block))


# Address and phone lines ("Fresno, CA 93704", "+1 (559) 555-0100") are short and unpunctuated
# like headings, but a heading never holds a postcode or a phone number (years are fine).
_CONTACT_LINE = re.compile(r"\b\d{5}(?:-\d{4})?\b|\+?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|"
                           r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")


def _title_like(title: str, numbered: bool) -> bool:
    words = title.split()
    if not words or len(words) > _MAX_HEADING_WORDS or len(title) > _MAX_HEADING_CHARS:
        return False
    if "@" in title or "://" in title or (not numbered and _CONTACT_LINE.search(title)):
        return False
    last = title[-1]
    if last in ",;" or (not numbered and last in ".:") or is_date_line(title):
        return False
    if last in ".:":  # "3. Information We Collect." is a heading, "1. We sell data." is not
        long = [w for w in words if len(w) > 3] or words
        return sum(w[0].isupper() for w in long) >= 0.6 * len(long)
    return title[0].isupper() or title[0].isdigit()


def _heading_hint(piece: Piece, clean: str) -> tuple[int, str]:
    """(level, title) when the piece can be a heading on its own, else (0, ""). `clean` is
    the piece's readable text."""
    if (not piece.alone or piece.kind == "row" or len(clean) > _MAX_HEADING_CHARS
            or clean.count(" ") >= _MAX_HEADING_WORDS):
        return 0, ""
    if piece.kind == "item":
        if piece.marker[:1].isdigit() and _title_like(clean, True):
            return _NUMBERED_LEVEL_BASE + 1, f"{piece.marker} {clean}"
        return 0, ""
    if m := _NUMBERED.match(clean):
        if _title_like(m.group(2), True):
            return _NUMBERED_LEVEL_BASE + m.group(1).count(".") + 1, clean
        return 0, ""
    if _BOLD_LINE.match(piece.text) and _title_like(clean.rstrip(":"), False):
        return _BOLD_LEVEL, clean
    if _is_caps_title(clean):
        return _CAPS_LEVEL, clean
    return (_PLAIN_LEVEL, clean) if _title_like(clean, False) else (0, "")


def _is_caps_title(clean: str) -> bool:
    letters = [c for c in clean if c.isalpha()]
    return (len(letters) >= 3 and all(c.isupper() for c in letters)
            and _title_like(clean.rstrip(":"), False) and not _STATEMENT_WORD.search(clean))


def has_word(text: str) -> bool:
    return text[:1].isalnum() or _HAS_WORD.search(text) is not None


def _analyse(piece: Piece) -> _PieceInfo:
    clean = clean_inline(piece.text)
    level, title = (piece.level, clean) if piece.kind == "heading" else (
        _heading_hint(piece, clean))
    sentences = []
    if piece.kind != "heading" and level in (0, *_MAYBE_HEADING):
        texts = [clean] if piece.kind == "row" else split_sentences(clean)
        sentences = [(t, k, len(t) < _BACK_TO_TOP_MAX and is_back_to_top(t)) for t in texts
                     if has_word(k := sentence_key(t))]
    listish = piece.kind == "item" or is_link_only(piece.text)
    title_key = sentence_key(title) if level else ""
    return _PieceInfo(sentences, level, title, title_key, is_anchor_only(piece.text), listish)


class _Sections:
    """The heading stack that gives each segment its section path."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []
        self.path: str | None = None
        self.in_toc = False

    def enter(self, level: int, title: str) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, without_date_phrase(title).rstrip(" .:")))
        self.path = SECTION_SEPARATOR.join(t for _, t in self.stack)
        self.in_toc = is_toc_title(title)


# Blocks analysed for the diff in progress (segment_pair): shared by its two versions even when
# they hold more blocks than the block cache, which a 5 MB policy does (its second version would
# then miss on every block the first evicted).
_PAIR_BLOCKS: ContextVar[dict[str, tuple[tuple[Piece, _PieceInfo], ...]] | None] = ContextVar(
    "pair_blocks", default=None)


def segment_pair(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """segment(old), segment(new), each block the two share analysed once."""
    token = _PAIR_BLOCKS.set({})
    try:
        return segment(old), segment(new)
    finally:
        _PAIR_BLOCKS.reset(token)


def _analysed(block: str) -> tuple[tuple[Piece, _PieceInfo], ...]:
    shared = _PAIR_BLOCKS.get()
    if shared is None:
        return analysed_block(block)
    found = shared.get(block)
    if found is None:
        found = shared[block] = analysed_block(block)
    return found


def segment(text: str) -> list[Segment]:
    """The segments of a document in reading order (a list of the caller's own; the segments
    themselves are shared and must not be changed)."""
    return list(_segments(text))


# The service diffs each version against the previous one: a text segmented as the new version
# comes back as the old one of the next diff.
@lru_cache(maxsize=2)
def _segments(text: str) -> tuple[Segment, ...]:
    return tuple(_segment(text))


def _segment(text: str) -> list[Segment]:
    analysed = [pair for block in split_blocks(text) for pair in _analysed(block)]
    pieces = [piece for piece, _ in analysed]
    infos = [info for _, info in analysed]
    plain_allowed = sum(p.markdown_heading for p in pieces) < _MARKDOWN_HEADINGS_ENOUGH
    sections = _Sections()
    segments: list[Segment] = []
    toc_candidates: list[int] = []
    for i, (piece, info) in enumerate(zip(pieces, infos, strict=True)):
        level = info.heading
        if level in _MAYBE_HEADING and piece.kind != "heading":
            following = infos[i + 1] if i + 1 < len(infos) else None
            allowed = plain_allowed or level == _CAPS_LEVEL
            level = level if allowed and _is_body(following, pieces[i + 1:i + 2]) else 0
        if level and has_word(info.title):
            sections.enter(level, info.title)
            segments.append(Segment(info.title, info.title_key, sections.path, True,
                                    sections.in_toc))
            continue
        if level:
            continue
        if sections.in_toc and not info.listish:
            sections.in_toc = False  # body text: the table of contents is over
        nav = sections.in_toc or info.anchors
        if info.listish:
            toc_candidates.extend(range(len(segments), len(segments) + len(info.sentences)))
        segments.extend(Segment(t, k, sections.path, False, nav or top)
                        for t, k, top in info.sentences)
    _mark_toc_mirrors(segments, toc_candidates)
    return segments


def _is_body(info: _PieceInfo | None, following: list[Piece]) -> bool:
    """Text that can follow a plain heading: a paragraph, a list, a table."""
    if info is None or not following or following[0].kind == "heading":
        return False
    return info.heading == 0


def _mark_toc_mirrors(segments: list[Segment], candidates: list[int]) -> None:
    """A list item or link whose text is a heading of the same page is a table-of-contents
    entry."""
    headings = {s.key.rstrip(" .:?") for s in segments if s.heading}
    for i in candidates:
        seg = segments[i]
        if len(seg.text) <= _MAX_HEADING_CHARS and seg.key.rstrip(" .:?") in headings:
            seg.nav = True

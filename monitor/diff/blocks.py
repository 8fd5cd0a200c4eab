"""Cut light Markdown or plain text into pieces: headings, paragraphs, list items, table rows.

One pass over the lines. A piece is the unit a reader sees as one block of text; blank lines,
list markers and table rows start new pieces. Horizontal rules and table rules are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PieceKind = Literal["para", "item", "row", "heading"]


@dataclass(slots=True)
class Piece:
    kind: PieceKind
    text: str  # raw text, lines joined by spaces, list marker removed
    marker: str = ""  # the list marker of an item ("-", "1.", "(a)")
    level: int = 0  # heading level (1-6 Markdown; deeper for inferred headings)
    alone: bool = False  # the only piece between two blank lines
    markdown_heading: bool = False


_ATX = re.compile(r"^\s*(?:[-*+]\s+)?(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(={2,}|-{2,})\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_ROW = re.compile(r"^\s*\|.*\|\s*$")
_ROW_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ITEM = re.compile(
    r"^\s*([-*+\u2022\u25e6\u25aa\u25cf\u00b7\u2023\u2043\u2013]|\d{1,3}[.)]|\(\d{1,3}\)"
    r"|\(?[a-zA-Z][.)]|\([ivxIVX]+\)|[ivx]{1,4}\))\s+(\S.*)$"
)
_SPECIAL_START = frozenset("#-*+|=_\u2022\u25e6\u25aa\u25cf\u00b7\u2023\u2043\u2013(0123456789")


class _Builder:
    """Accumulates lines into pieces and records which pieces were alone in their block."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.lines: list[str] = []
        self.kind: PieceKind = "para"
        self.marker = ""
        self.block_start = 0

    def flush(self) -> None:
        if self.lines:
            text = " ".join(line.strip() for line in self.lines)
            self.pieces.append(Piece(self.kind, text, self.marker))
        self.lines, self.kind, self.marker = [], "para", ""

    def end_block(self) -> None:
        self.flush()
        if len(self.pieces) - self.block_start == 1:
            self.pieces[-1].alone = True
        self.block_start = len(self.pieces)

    def add(self, piece: Piece) -> None:
        self.flush()
        self.pieces.append(piece)


def _special_line(b: _Builder, line: str) -> bool:
    """Handle a line that starts like Markdown structure; False when it is plain text."""
    if m := _ATX.match(line):
        b.end_block()
        b.add(Piece("heading", m.group(2), level=len(m.group(1)), markdown_heading=True))
        b.end_block()
        return True
    if _SETEXT.match(line) and b.lines and b.kind == "para":
        title = " ".join(x.strip() for x in b.lines)
        b.lines = []
        b.add(Piece("heading", title, level=1 if "=" in line else 2, markdown_heading=True))
        b.end_block()
        return True
    if _RULE.match(line) or _ROW_RULE.match(line) and "|" in line:
        b.end_block()
        return True
    if _ROW.match(line):
        b.add(Piece("row", line.strip().strip("|").strip()))
        return True
    if m := _ITEM.match(line):
        b.flush()
        b.lines, b.kind, b.marker = [m.group(2)], "item", m.group(1)
        return True
    return False


_BLANK_LINES = re.compile(r"\n(?:[ \t\u00a0]*\n)+")


def split_blocks(text: str) -> list[str]:
    """The blocks of a document: text between blank lines. Each parses on its own, so blocks
    shared by two versions need parsing only once."""
    return _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n"))


def parse_block(block: str) -> list[Piece]:
    if "\n" not in block:  # the common case: a paragraph on one line
        stripped = block.strip()
        if not stripped:
            return []
        if stripped[0] not in _SPECIAL_START and (len(stripped) < 2 or stripped[1] not in ".)"):
            return [Piece("para", stripped, alone=True)]
    b = _Builder()
    lines = block.split("\n")
    for n, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            b.end_block()
            continue
        special = stripped[0] in _SPECIAL_START or (len(stripped) > 1 and stripped[1] in ".)")
        if special and _special_line(b, line):
            continue
        _plain_line(b, stripped, lines[n + 1] if n + 1 < len(lines) else None)
    b.end_block()
    return b.pieces


# Plain text often puts one paragraph per line, without blank lines between them.
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'\u201d\u2019)\]*]*$")
_SHORT_LINE_WORDS = 12


def _plain_line(b: _Builder, line: str, following: str | None) -> None:
    """A line of text: it continues the current piece unless that piece's last line ended a
    sentence; a short title-like line that starts a piece and has text after it is a piece of
    its own (a heading candidate, as in "WHAT WE COLLECT" between two paragraphs)."""
    if b.lines and b.kind != "row" and _ENDS_SENTENCE.search(b.lines[-1]):
        b.flush()
    if following is None or _SETEXT.match(following):
        b.lines.append(line)
        return
    if (not b.lines and len(line) <= 100 and not _ENDS_SENTENCE.search(line)
            and len(line.split()) <= _SHORT_LINE_WORDS
            and (line[0].isupper() or line[0].isdigit())):
        b.add(Piece("para", line, alone=True))
        return
    b.lines.append(line)

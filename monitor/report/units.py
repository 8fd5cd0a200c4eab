"""The change units of one stored diff, made ready for the change page: material units first
(most severe first) with the decisive words of their reason highlighted, then the other real
changes, then the changes of form; every text capped so a hostile 50,000-character line costs
the reader nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from policywatch.monitor.model import severity_rank

UNIT_CAP = 2500  # characters shown per side of one unit
WORD_CAP = 160  # a "word" longer than this (a hostile or broken line) is cut
_LONG_WORD = re.compile(r"\S{" + str(WORD_CAP + 1) + ",}")
NO_SECTION = "(before the first heading)"
# Phrases the classifier quotes in its reason: "do not sell" became "may sell".
_QUOTED = re.compile(r"[\"“]([^\"“”]{2,120})[\"”]|(?<![\w])[‘']([^‘’']{2,120})[’'](?![\w])")


@dataclass(frozen=True)
class Piece:
    op: str  # equal | delete | insert
    text: str
    decisive: bool = False


@dataclass(frozen=True)
class UnitView:
    kind: str
    section: str
    severity: str
    direction: str
    categories: tuple[str, ...]
    reason: str
    material: bool
    form_only: bool
    old: Markup  # the old side (equal + deleted text), escaped, decisive words in <mark>
    new: Markup
    inline: Markup
    omitted: int  # characters not shown (the longest of the three views)
    has_old: bool
    has_new: bool


@dataclass(frozen=True)
class ArrangedUnits:
    material: tuple[UnitView, ...]
    other: tuple[UnitView, ...]
    form: tuple[UnitView, ...]


def decisive_phrases(reason: str) -> list[str]:
    return [a or b for a, b in _QUOTED.findall(reason or "") if (a or b).strip()]


def _marks(text: str, phrases: Iterable[str]) -> list[bool]:
    """For each character of `text`: is it inside one of the phrases (case-insensitive)?"""
    marks = [False] * len(text)
    lowered = text.lower()
    for phrase in phrases:
        needle = phrase.lower()
        start = lowered.find(needle)
        while start >= 0:
            marks[start:start + len(needle)] = [True] * len(needle)
            start = lowered.find(needle, start + len(needle))
    return marks


def _spans(unit: dict[str, Any]) -> list[tuple[str, str]]:
    spans = [(str(s.get("op", "equal")), str(s.get("text", ""))) for s in unit.get("spans") or []]
    if spans:
        return spans
    built = []
    if unit.get("old"):
        built.append(("delete", str(unit["old"])))
    if unit.get("new"):
        built.append(("insert", str(unit["new"])))
    return built


def _marked_pieces(spans: list[tuple[str, str]], phrases: list[str]) -> list[Piece]:
    """The spans with each character's decisiveness, judged on the old text (equal + delete)
    and the new text (equal + insert) separately, as the reason quotes each side."""
    old_text = "".join(t for op, t in spans if op != "insert")
    new_text = "".join(t for op, t in spans if op != "delete")
    old_marks, new_marks = _marks(old_text, phrases), _marks(new_text, phrases)
    pieces: list[Piece] = []
    old_at = new_at = 0
    for op, text in spans:
        for char in text:
            if op == "equal":
                decisive = old_marks[old_at] or new_marks[new_at]
            else:
                decisive = (old_marks[old_at] if op == "delete" else new_marks[new_at])
            old_at += op != "insert"
            new_at += op != "delete"
            if pieces and pieces[-1].op == op and pieces[-1].decisive == decisive:
                pieces[-1] = Piece(op, pieces[-1].text + char, decisive)
            else:
                pieces.append(Piece(op, char, decisive))
    return pieces


def _short_words(text: str) -> tuple[str, int]:
    """The text with runaway words cut to WORD_CAP characters, and how many were cut."""
    cut = 0

    def shorten(match: re.Match[str]) -> str:
        nonlocal cut
        cut += len(match[0]) - WORD_CAP
        return match[0][:WORD_CAP] + "…"

    return _LONG_WORD.sub(shorten, text), cut


_TAGS = {"delete": ("<del>", "</del>"), "insert": ("<ins>", "</ins>"), "equal": ("", "")}


def to_html(pieces: Iterable[Piece]) -> Markup:
    """Escaped pieces, deleted and inserted text in <del>/<ins>, decisive words in <mark>."""
    out = []
    for piece in pieces:
        start, end = _TAGS.get(piece.op, ("", ""))
        text = escape(piece.text)
        out.append(f"{start}<mark>{text}</mark>{end}" if piece.decisive else f"{start}{text}{end}")
    return Markup("".join(out))


def _capped(pieces: list[Piece], cap: int = UNIT_CAP) -> tuple[tuple[Piece, ...], int]:
    shown: list[Piece] = []
    room = cap
    omitted = 0
    for piece in pieces:
        if room <= 0:
            omitted += len(piece.text)
            continue
        short, cut = _short_words(piece.text)
        text = short[:room]
        omitted += cut + len(short) - len(text)
        room -= len(text)
        shown.append(Piece(piece.op, text, piece.decisive))
    return tuple(shown), omitted


def _pieces_fast(spans: list[tuple[str, str]]) -> list[Piece]:
    return [Piece(op, text) for op, text in spans]


def unit_view(unit: dict[str, Any]) -> UnitView:
    spans = _spans(unit)
    material = bool(unit.get("material"))
    reason = str(unit.get("reason") or "")
    phrases = decisive_phrases(reason) if material else []
    pieces = _marked_pieces(spans, phrases) if phrases else _pieces_fast(spans)
    old, old_cut = _capped([p for p in pieces if p.op != "insert"])
    new, new_cut = _capped([p for p in pieces if p.op != "delete"])
    inline, inline_cut = _capped(pieces, 2 * UNIT_CAP)
    return UnitView(
        kind=str(unit.get("kind") or "modified"), section=str(unit.get("section") or NO_SECTION),
        severity=str(unit.get("severity") or "none"),
        direction=str(unit.get("direction") or "neutral"),
        categories=tuple(str(c) for c in unit.get("categories") or ()), reason=reason,
        material=material, form_only=bool(unit.get("form_only")), old=to_html(old),
        new=to_html(new), inline=to_html(inline), omitted=max(old_cut, new_cut, inline_cut),
        has_old=unit.get("old") is not None, has_new=unit.get("new") is not None)


def arrange_units(diff: dict[str, Any]) -> ArrangedUnits:
    views = [unit_view(u) for u in diff.get("changes") or [] if isinstance(u, dict)]
    material = sorted((v for v in views if v.material), key=lambda v: -severity_rank(v.severity))
    other = [v for v in views if not v.material and not v.form_only]
    form = [v for v in views if not v.material and v.form_only]
    return ArrangedUnits(tuple(material), tuple(other), tuple(form))

"""diff_texts: segment two versions, align them, and describe each real change once."""

from __future__ import annotations

import re
import time
from typing import Any

from diff_match_patch import diff_match_patch

from policywatch.monitor.model import ChangeUnit, DiffResult, Span, SpanOp

from .align import Op, align
from .form import Vocabulary, is_form_only
from .segment import Segment, segment_pair

PlacedUnit = tuple[Op, ChangeUnit | None]
_SPAN_OPS: dict[int, SpanOp] = {-1: "delete", 0: "equal", 1: "insert"}
KINDS = ("added", "removed", "modified", "moved")


def diff_texts(old: str, new: str, *, timeout: float = 0.5) -> DiffResult:
    """The change units between two versions (light Markdown or plain text), with stats."""
    return diff_placed(old, new, timeout=timeout)[0]


def diff_placed(old: str, new: str, *, timeout: float = 0.5
                ) -> tuple[DiffResult, list[PlacedUnit]]:
    """diff_texts, plus every operation (equal ones too) with its unit, for apply_units."""
    started = time.perf_counter()
    old_segments, new_segments = segment_pair(old, new)
    ops = align(old_segments, new_segments)
    builder = _UnitBuilder(old_segments, new_segments, timeout)
    placed: list[PlacedUnit] = [(op, builder.unit(op)) for op in ops]
    units = [unit for _, unit in placed if unit is not None]
    form_only = sum(u.form_only for u in units)
    stats: dict[str, Any] = {kind: sum(u.kind == kind for u in units) for kind in KINDS}
    stats.update(form_only=form_only, material_candidates=len(units) - form_only,
                 sentences_old=len(old_segments), sentences_new=len(new_segments),
                 elapsed_ms=round((time.perf_counter() - started) * 1000, 2))
    return DiffResult(changes=units, stats=stats), placed


# Word highlighting of all units together may take this many times the per-unit time limit;
# past it, units are shown as whole deletions and insertions.
_SPANS_BUDGET = 4


class _UnitBuilder:
    def __init__(self, old: list[Segment], new: list[Segment], timeout: float) -> None:
        self.old, self.new = old, new
        self.vocabulary = Vocabulary(old)
        self.dmp = diff_match_patch()
        self.dmp.Diff_Timeout = timeout
        self.deadline = time.perf_counter() + _SPANS_BUDGET * timeout if timeout > 0 else None

    def unit(self, op: Op) -> ChangeUnit | None:
        if op.kind == "equal":
            return None
        olds = self.old[op.old.start:op.old.stop]
        news = self.new[op.new.start:op.new.stop]
        # Several sentences (a split, a join, a moved run) are kept one per line.
        old_text = "\n".join(s.text for s in olds) or None
        new_text = "\n".join(s.text for s in news) or None
        section = (news or olds)[0].section
        form_only = is_form_only(op.kind, olds, news, self.vocabulary)
        return ChangeUnit(kind=op.kind, section=section, old=old_text, new=new_text,
                          spans=self.spans(old_text, new_text), form_only=form_only)

    def spans(self, old: str | None, new: str | None) -> list[Span]:
        if old is None or new is None:
            return [Span("insert", new)] if new is not None else [Span("delete", old or "")]
        if old == new:
            return [Span("equal", new)]
        if self.deadline is not None and time.perf_counter() > self.deadline:
            return [Span("delete", old), Span("insert", new)]
        return word_spans(self.dmp, old, new)


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def word_spans(dmp: diff_match_patch, old: str, new: str) -> list[Span]:
    """Word-level spans: each word, space run or mark becomes one character for dmp (as its
    line mode does with lines), so a changed number highlights as a whole word."""
    vocabulary: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        out = []
        for token in _TOKEN.findall(text):
            code = vocabulary.get(token)
            if code is None:
                code = vocabulary[token] = chr(0xF0000 + len(tokens))  # private-use plane
                tokens.append(token)
            out.append(code)
        return "".join(out)

    diffs = dmp.diff_main(encode(old), encode(new), False)
    decoded = [(op, "".join(tokens[ord(c) - 0xF0000] for c in text)) for op, text in diffs]
    dmp.diff_cleanupSemantic(decoded)
    return [Span(_SPAN_OPS[op], text) for op, text in decoded if text]


def apply_units(old_sentences: list[str], placed: list[PlacedUnit]) -> list[str]:
    """Replay the units on the old sentences: equal runs are copied from `old_sentences`,
    units bring their new text. Raises ValueError when the units do not fit the old text (an
    old sentence covered twice or never, or a unit's old text not the text it replaces)."""
    covered = [0] * len(old_sentences)
    out: list[str] = []
    for op, unit in placed:
        for i in op.old:
            covered[i] += 1
        replaced = "\n".join(old_sentences[op.old.start:op.old.stop])
        if op.kind == "equal":
            out.extend(old_sentences[op.old.start:op.old.stop])
            continue
        if unit is None or (unit.old or "") != replaced:
            raise ValueError(f"unit does not fit the old text at {op.old}: {unit}")
        if unit.new is not None:
            out.extend(unit.new.split("\n"))
    if any(c != 1 for c in covered):
        raise ValueError("old sentences not covered exactly once")
    return out

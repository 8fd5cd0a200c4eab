"""Align the segments of two versions into operations: equal, added, removed, modified, moved.

1. difflib on the keys finds the unchanged runs (headings weigh double, so that they hold their
   place); what lies between two runs is a gap.
2. In each gap, segments with equal loose keys (punctuation, joined words) pair in place.
3. Across gaps, a segment that left one place and appears unchanged in another has moved.
4. What is left pairs by similarity and role (pairing.py), then across gaps; a heading whose
   first sentence now follows another heading was renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from .gaps import Gap, Moves, free
from .pairing import Words, pair_across, pair_in_gap
from .segment import Segment

OpKind = Literal["equal", "added", "removed", "modified", "moved"]


@dataclass(slots=True)
class Op:
    """One step from old to new. `old`/`new` are index ranges into the segment lists; an added
    op has an empty old range, a removed op an empty new range (its position in the new list)."""

    kind: OpKind
    old: range
    new: range


def align(old: list[Segment], new: list[Segment]) -> list[Op]:
    """The operations that turn `old` into `new`, in the order of the new document."""
    a, b = [s.key for s in old], [s.key for s in new]
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    pairs = [(i, i) for i in range(head)]
    pairs += _anchors(old, new, range(head, len(a) - tail), range(head, len(b) - tail))
    pairs += [(len(a) - k, len(b) - k) for k in range(tail, 0, -1)]
    plan = _plan(pairs, len(a), len(b))
    gaps = [g for g in plan if isinstance(g, Gap)]
    words = Words(old, new)
    for gap in gaps:
        _pair_equal_loose(gap, words)
    moves = _find_moves(gaps, words)
    for gap in gaps:
        pair_in_gap(gap, words, moves, old, new)
    pair_across(gaps, words, moves)
    _pair_headings_by_body(plan, moves, old, new)
    ops: list[Op] = []
    for step in plan:
        ops.extend([step] if isinstance(step, Op) else _emit(step, moves, old, new))
    return _merge_moves(ops)


def _anchors(old: list[Segment], new: list[Segment], olds: range, news: range
             ) -> list[tuple[int, int]]:
    """Index pairs of equal keys in the longest matching runs (difflib). Headings count twice,
    so that when a sentence and a heading could each be the one that moved, the heading holds
    its place and the sentence is reported as moved, as a reader would."""
    a_map = [i for i in olds for _ in range(2 if old[i].heading else 1)]
    b_map = [j for j in news for _ in range(2 if new[j].heading else 1)]
    # autojunk: a key repeated all over a long document ("Learn more.") anchors nothing and
    # would make difflib quadratic; such segments are paired later, within their gap.
    matcher = SequenceMatcher(None, [old[i].key for i in a_map], [new[j].key for j in b_map])
    pairs: list[tuple[int, int]] = []
    for x, y, size in matcher.get_matching_blocks():
        for k in range(size):
            i, j = a_map[x + k], b_map[y + k]
            if not pairs or (i > pairs[-1][0] and j > pairs[-1][1]):
                pairs.append((i, j))
    return pairs


def _plan(pairs: list[tuple[int, int]], n_old: int, n_new: int) -> list[Op | Gap]:
    """Equal runs from the matched pairs, and gaps between them."""
    plan: list[Op | Gap] = []
    i = j = 0
    for x, y in [*pairs, (n_old, n_new)]:
        if x > i or y > j:
            plan.append(Gap(list(range(i, x)), list(range(j, y)), y))
        if x == n_old and y == n_new:
            break
        last = plan[-1] if plan else None
        if isinstance(last, Op) and last.old.stop == x and last.new.stop == y:
            plan[-1] = Op("equal", range(last.old.start, x + 1), range(last.new.start, y + 1))
        else:
            plan.append(Op("equal", range(x, x + 1), range(y, y + 1)))
        i, j = x + 1, y + 1
    return plan


def _pair_equal_loose(gap: Gap, words: Words) -> None:
    if not gap.old or not gap.new:
        return
    keys_old = [words.loose_key(0, i) for i in gap.old]
    keys_new = [words.loose_key(1, j) for j in gap.new]
    for i, j, size in SequenceMatcher(None, keys_old, keys_new).get_matching_blocks():
        gap.groups.extend(([gap.old[i + k]], [gap.new[j + k]]) for k in range(size))


def _find_moves(gaps: list[Gap], words: Words) -> Moves:
    """Segments that left one gap and appear unchanged (loose keys equal) in another."""
    waiting: dict[str, list[int]] = {}
    unpaired = [free(gap) for gap in gaps]
    for _, news in unpaired:
        for j in news:
            waiting.setdefault(words.loose_key(1, j), []).append(j)
    moves = Moves()
    for olds, _ in unpaired:
        for i in olds:
            targets = waiting.get(words.loose_key(0, i))
            if targets:
                moves.add(i, targets.pop(0))
    return moves


def _pair_headings_by_body(plan: list[Op | Gap], moves: Moves, old: list[Segment],
                           new: list[Segment]) -> None:
    """A heading gone whose first sentence now follows a new heading: the section was renamed
    (and perhaps moved)."""
    where: dict[int, int] = {}
    free_old: set[int] = set()
    free_new: set[int] = set()
    for step in plan:
        if isinstance(step, Op):
            where.update(zip(step.old, step.new, strict=True))
            continue
        for olds, news in step.groups:
            where.update(zip(olds, news, strict=False))
        unpaired_old, unpaired_new = free(step, moves)
        free_old.update(unpaired_old)
        free_new.update(unpaired_new)
    where.update(moves.to_new)
    for i in sorted(free_old):
        j = where.get(i + 1, -1) - 1
        if old[i].heading and j in free_new and new[j].heading:
            moves.add(i, j, edited=True)
            free_new.discard(j)


def _emit(gap: Gap, moves: Moves, old: list[Segment], new: list[Segment]) -> list[Op]:
    """The gap's operations in new-document order; removed ones just before the next pair."""
    group_at = {g[1][0]: g for g in gap.groups}
    in_groups = {j for _, news in gap.groups for j in news}
    removed = sorted(free(gap, moves)[0])
    ops: list[Op] = []

    def flush_removed(before: int | None, at: int) -> None:
        while removed and (before is None or removed[0] < before):
            i = removed.pop(0)
            ops.append(Op("removed", range(i, i + 1), range(at, at)))

    for j in gap.new:
        if j in moves.to_old:
            i = moves.to_old[j]
            kind: OpKind = "modified" if i in moves.edited else "moved"
            ops.append(Op(kind, range(i, i + 1), range(j, j + 1)))
        elif j in group_at:
            olds, news = group_at[j]
            flush_removed(olds[0], j)
            same = len(olds) == len(news) == 1 and old[olds[0]].key == new[j].key
            ops.append(Op("equal" if same else "modified", range(olds[0], olds[-1] + 1),
                          range(news[0], news[-1] + 1)))
        elif j not in in_groups:
            ops.append(Op("added", range(j, j), range(j, j + 1)))
    flush_removed(None, gap.new_end)
    return ops


def _merge_moves(ops: list[Op]) -> list[Op]:
    """Runs of sentences that moved together become one moved op."""
    merged: list[Op] = []
    for op in ops:
        prev = merged[-1] if merged else None
        if (prev and op.kind == "moved" and prev.kind == "moved"
                and prev.old.stop == op.old.start and prev.new.stop == op.new.start):
            merged[-1] = Op("moved", range(prev.old.start, op.old.stop),
                            range(prev.new.start, op.new.stop))
        else:
            merged.append(op)
    return merged

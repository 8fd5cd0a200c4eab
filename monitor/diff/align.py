"""Align the segments of two versions into operations: equal, added, removed, modified, moved.

1. difflib on the keys finds the unchanged runs; what lies between two runs is a gap.
2. In each gap, segments with equal loose keys (punctuation, joined words) pair in place.
3. Across gaps, a segment that left one place and appears unchanged in another has moved.
4. In each gap, what is left pairs by word similarity (monotone; a full dynamic programme on
   small gaps, a greedy band on large ones so that a rewrite never costs quadratic time), a pair
   grows to cover a sentence split in two or two joined, and a lone heading replaced by a lone
   heading is a renamed section.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from .patterns import is_date_line
from .segment import Segment
from .sentences import loose_key, words_of

OpKind = Literal["equal", "added", "removed", "modified", "moved"]

PAIR_MIN_SIMILARITY = 0.5
JOIN_MIN_SIMILARITY = 0.8
JOIN_MIN_GAIN = 0.1
_FULL_DP_CELLS = 2500
_GREEDY_WINDOW = 12
_DICE_PREFILTER = 0.3


@dataclass(slots=True)
class Op:
    """One step from old to new. `old`/`new` are index ranges into the segment lists; an added
    op has an empty old range, a removed op an empty new range (its position in the new list)."""

    kind: OpKind
    old: range
    new: range


@dataclass
class _Gap:
    old: list[int]
    new: list[int]
    new_end: int  # where the gap ends in the new list (its position when `new` is empty)
    groups: list[tuple[list[int], list[int]]] = field(default_factory=list)


class _Words:
    """Word lists, word sets and loose keys of segments, computed once per diff, and the
    similarity of groups of segments."""

    def __init__(self, old: list[Segment], new: list[Segment]) -> None:
        self.segments = (old, new)
        self.cache: tuple[dict[int, list[str]], dict[int, list[str]]] = ({}, {})
        self.sets: tuple[dict[int, set[str]], dict[int, set[str]]] = ({}, {})
        self.loose: dict[str, str] = {}

    def words(self, side: int, indices: list[int]) -> list[str]:
        if len(indices) == 1:
            return self._one(side, indices[0])
        return [w for i in indices for w in self._one(side, i)]

    def _one(self, side: int, i: int) -> list[str]:
        found = self.cache[side].get(i)
        if found is None:
            found = self.cache[side][i] = words_of(self.segments[side][i].key)
        return found

    def word_set(self, side: int, i: int) -> set[str]:
        found = self.sets[side].get(i)
        if found is None:
            found = self.sets[side][i] = set(self._one(side, i))
        return found

    def loose_key(self, side: int, i: int) -> str:
        key = self.segments[side][i].key
        found = self.loose.get(key)
        if found is None:
            found = self.loose[key] = loose_key(key)
        return found

    def similarity(self, olds: list[int], news: list[int]) -> float:
        if len(olds) == 1 and len(news) == 1:
            a, b = self._one(0, olds[0]), self._one(1, news[0])
            if not _may_reach(len(a), len(b)):
                return 0.0
            set_a, set_b = self.word_set(0, olds[0]), self.word_set(1, news[0])
            if 2 * len(set_a & set_b) < _DICE_PREFILTER * (len(set_a) + len(set_b)):
                return 0.0
            return SequenceMatcher(None, a, b, autojunk=False).ratio()
        return similarity(self.words(0, olds), self.words(1, news))


def _may_reach(len_a: int, len_b: int) -> bool:
    """difflib's ratio is at most 2*min/(len_a+len_b): lists too unequal can never pair."""
    return 2 * min(len_a, len_b) >= PAIR_MIN_SIMILARITY * (len_a + len_b) and min(len_a, len_b) > 0


def similarity(a: list[str], b: list[str]) -> float:
    """difflib ratio of two word lists, after a cheap word-set prefilter."""
    if not a or not b:
        return 0.0
    set_a, set_b = set(a), set(b)
    dice = 2 * len(set_a & set_b) / (len(set_a) + len(set_b))
    if dice < _DICE_PREFILTER:
        return dice / 2
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


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
    gaps = [g for g in plan if isinstance(g, _Gap)]
    words = _Words(old, new)
    for gap in gaps:
        _pair_equal_loose(gap, words)
    moves = _find_moves(gaps, words)
    for gap in gaps:
        _pair_similar(gap, words, moves, old, new)
    edited = _pair_across(gaps, words, moves)
    _pair_headings_by_body(plan, moves, edited, old, new)
    ops: list[Op] = []
    for step in plan:
        ops.extend([step] if isinstance(step, Op) else _emit(step, moves, edited))
    return _merge_moves(ops)


def _anchors(old: list[Segment], new: list[Segment], olds: range, news: range
             ) -> list[tuple[int, int]]:
    """Index pairs of equal keys in the longest matching runs (difflib). Headings count twice,
    so that when a sentence and a heading could each be the one that moved, the heading holds
    its place and the sentence is reported as moved, as a reader would."""
    a_map = [i for i in olds for _ in range(2 if old[i].heading else 1)]
    b_map = [j for j in news for _ in range(2 if new[j].heading else 1)]
    matcher = SequenceMatcher(None, [old[i].key for i in a_map], [new[j].key for j in b_map],
                              autojunk=False)
    pairs: list[tuple[int, int]] = []
    for x, y, size in matcher.get_matching_blocks():
        for k in range(size):
            i, j = a_map[x + k], b_map[y + k]
            if not pairs or (i > pairs[-1][0] and j > pairs[-1][1]):
                pairs.append((i, j))
    return pairs


def _plan(pairs: list[tuple[int, int]], n_old: int, n_new: int) -> list[Op | _Gap]:
    """Equal runs from the matched pairs, and gaps between them."""
    plan: list[Op | _Gap] = []
    i = j = 0
    for x, y in [*pairs, (n_old, n_new)]:
        if x > i or y > j:
            plan.append(_Gap(list(range(i, x)), list(range(j, y)), y))
        if x == n_old and y == n_new:
            break
        last = plan[-1] if plan else None
        if isinstance(last, Op) and last.old.stop == x and last.new.stop == y:
            plan[-1] = Op("equal", range(last.old.start, x + 1), range(last.new.start, y + 1))
        else:
            plan.append(Op("equal", range(x, x + 1), range(y, y + 1)))
        i, j = x + 1, y + 1
    return plan


def _free(gap: _Gap, moves: dict[int, int] | None = None) -> tuple[list[int], list[int]]:
    """Indices of the gap not yet in a group nor moved."""
    used_old = {i for olds, _ in gap.groups for i in olds}
    used_new = {j for _, news in gap.groups for j in news}
    moved_new = set(moves.values()) if moves else set()
    moved_old = set(moves) if moves else set()
    return ([i for i in gap.old if i not in used_old and i not in moved_old],
            [j for j in gap.new if j not in used_new and j not in moved_new])


def _pair_equal_loose(gap: _Gap, words: _Words) -> None:
    if not gap.old or not gap.new:
        return
    keys_old = [words.loose_key(0, i) for i in gap.old]
    keys_new = [words.loose_key(1, j) for j in gap.new]
    matcher = SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for i, j, size in matcher.get_matching_blocks():
        gap.groups.extend(([gap.old[i + k]], [gap.new[j + k]]) for k in range(size))


def _find_moves(gaps: list[_Gap], words: _Words) -> dict[int, int]:
    """old index -> new index of segments that moved unchanged (loose keys equal)."""
    waiting: dict[str, list[int]] = {}
    free = [_free(gap) for gap in gaps]
    for _, news in free:
        for j in news:
            waiting.setdefault(words.loose_key(1, j), []).append(j)
    moves: dict[int, int] = {}
    for olds, _ in free:
        for i in olds:
            targets = waiting.get(words.loose_key(0, i))
            if targets:
                moves[i] = targets.pop(0)
    return moves


def _pair_similar(gap: _Gap, words: _Words, moves: dict[int, int], old: list[Segment],
                  new: list[Segment]) -> None:
    olds, news = _free(gap, moves)
    if olds and news:
        if len(olds) * len(news) <= _FULL_DP_CELLS:
            pairs = _pair_dynamic(olds, news, words)
        else:
            pairs = _pair_greedy(olds, news, words)
        gap.groups.extend(([i], [j]) for i, j in pairs)
        gap.groups.sort(key=lambda g: g[1][0])
        _grow_groups(gap, words, moves)
    _pair_lone_counterparts(gap, moves, old, new)


def _pair_dynamic(olds: list[int], news: list[int], words: _Words) -> list[tuple[int, int]]:
    """The order-preserving pairing with the largest total similarity."""
    n, m = len(olds), len(news)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims = [[0.0] * m for _ in range(n)]
    for x in range(n):
        for y in range(m):
            sim = words.similarity([olds[x]], [news[y]])
            sims[x][y] = sim if sim >= PAIR_MIN_SIMILARITY else 0.0
            diagonal = score[x][y] + sims[x][y] if sims[x][y] else 0.0
            score[x + 1][y + 1] = max(score[x][y + 1], score[x + 1][y], diagonal)
    pairs: list[tuple[int, int]] = []
    x, y = n, m
    while x and y:
        if sims[x - 1][y - 1] and score[x][y] == score[x - 1][y - 1] + sims[x - 1][y - 1]:
            pairs.append((olds[x - 1], news[y - 1]))
            x, y = x - 1, y - 1
        elif score[x][y] == score[x - 1][y]:
            x -= 1
        else:
            y -= 1
    return pairs[::-1]


def _pair_greedy(olds: list[int], news: list[int], words: _Words) -> list[tuple[int, int]]:
    """Each old segment takes its best match among the next few unpaired new ones."""
    pairs: list[tuple[int, int]] = []
    start = 0
    for i in olds:
        window = range(start, min(start + _GREEDY_WINDOW, len(news)))
        scored = [(words.similarity([i], [news[y]]), y) for y in window]
        best = max(scored, default=(0.0, -1))
        if best[0] >= PAIR_MIN_SIMILARITY:
            pairs.append((i, news[best[1]]))
            start = best[1] + 1
    return pairs


def _grow_groups(gap: _Gap, words: _Words, moves: dict[int, int]) -> None:
    """Let a pair take in a free neighbouring sentence when that makes it much more similar:
    a sentence split in two, or two sentences joined into one."""
    free_old, free_new = (set(f) for f in _free(gap, moves))
    for olds, news in gap.groups:
        for members, free in ((news, free_new), (olds, free_old)):
            for step in (1, -1):
                nxt = members[-1] + 1 if step == 1 else members[0] - 1
                while nxt in free:
                    trial = sorted([*members, nxt])
                    before = words.similarity(olds, news)
                    after = (words.similarity(olds, trial) if members is news
                             else words.similarity(trial, news))
                    if after < JOIN_MIN_SIMILARITY or after < before + JOIN_MIN_GAIN:
                        break
                    members[:] = trial
                    free.discard(nxt)
                    nxt += step


def _pair_lone_counterparts(gap: _Gap, moves: dict[int, int], old: list[Segment],
                            new: list[Segment]) -> None:
    """One heading gone and one come at the same place: the section was renamed. Likewise one
    "last updated" line replaced by another however different the dates look, and a table row
    replaced by one with the same first cell."""
    olds, news = _free(gap, moves)
    old_labels: dict[str, list[int]] = {}
    new_labels: dict[str, list[int]] = {}
    for indices, segments, labels in ((olds, old, old_labels), (news, new, new_labels)):
        for i in indices:
            for label in _labels(segments[i]):
                labels.setdefault(label, []).append(i)
    for label in sorted(old_labels.keys() & new_labels.keys()):
        if len(old_labels[label]) != 1 or len(new_labels[label]) != 1:
            continue
        i, j = old_labels[label][0], new_labels[label][0]
        if any(i in g_old or j in g_new for g_old, g_new in gap.groups):
            continue
        first_old = sorted(g[0][0] for g in gap.groups)
        first_new = sorted(g[1][0] for g in gap.groups)
        if bisect_left(first_old, i) == bisect_left(first_new, j):  # keeps the order
            gap.groups.append(([i], [j]))
            gap.groups.sort(key=lambda g: g[1][0])


def _labels(segment: Segment) -> list[str]:
    """What makes two dissimilar segments counterparts: both headings, both date lines, both
    table rows with the same first cell."""
    labels = []
    if segment.heading:
        labels.append("heading")
    if is_date_line(segment.text):
        labels.append("date")
    if " | " in segment.text:
        labels.append("row:" + segment.text.split(" | ", 1)[0].lower())
    return labels


CROSS_MIN_SIMILARITY = 0.6
_CANDIDATES = 8  # new sentences sharing the most distinctive words, scored in full


def _pair_across(gaps: list[_Gap], words: _Words, moves: dict[int, int]) -> set[int]:
    """Pair sentences edited and moved to another gap (a section moved and edited). Adds them
    to `moves` and returns their old indices. Only the few new sentences sharing the most of an old
    one's distinctive words are scored, so the cost stays near linear."""
    free_old = [i for gap in gaps for i in _free(gap, moves)[0]]
    free_new = [j for gap in gaps for j in _free(gap, moves)[1]]
    if not free_old or not free_new:
        return set()
    index: dict[str, list[int]] = {}
    for j in free_new:
        for w in words.word_set(1, j):
            index.setdefault(w, []).append(j)
    scored: list[tuple[float, int, int]] = []
    too_common = max(_CANDIDATES, len(free_new) // 20)
    for i in free_old:
        shared: Counter[int] = Counter()
        for w in words.word_set(0, i):
            posting = index.get(w)
            if posting and len(posting) <= too_common:
                shared.update(posting)
        for j, _ in shared.most_common(_CANDIDATES):
            sim = words.similarity([i], [j])
            if sim >= CROSS_MIN_SIMILARITY:
                scored.append((sim, i, j))
    edited: set[int] = set()
    taken: set[int] = set()
    for _, i, j in sorted(scored, reverse=True):
        if i not in edited and j not in taken:
            moves[i] = j
            edited.add(i)
            taken.add(j)
    return edited


def _pair_headings_by_body(plan: list[Op | _Gap], moves: dict[int, int], edited: set[int],
                           old: list[Segment], new: list[Segment]) -> None:
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
        fo, fn = _free(step, moves)
        free_old.update(fo)
        free_new.update(fn)
    where.update(moves)
    for i in sorted(free_old):
        j = where.get(i + 1, -1) - 1
        if old[i].heading and j in free_new and new[j].heading:
            moves[i] = j
            edited.add(i)
            free_new.discard(j)


def _emit(gap: _Gap, moves: dict[int, int], edited: set[int]) -> list[Op]:
    """The gap's operations in new-document order; removed ones just before the next pair."""
    moved_to = {j: i for i, j in moves.items()}
    group_at = {g[1][0]: g for g in gap.groups}
    in_groups = {j for _, news in gap.groups for j in news}
    removed = sorted(set(_free(gap, moves)[0]))
    ops: list[Op] = []

    def flush_removed(before: int, at: int) -> None:
        while removed and removed[0] < before:
            i = removed.pop(0)
            ops.append(Op("removed", range(i, i + 1), range(at, at)))

    for j in gap.new:
        if j in moved_to:
            i = moved_to[j]
            kind: OpKind = "modified" if i in edited else "moved"
            ops.append(Op(kind, range(i, i + 1), range(j, j + 1)))
        elif j in group_at:
            olds, news = group_at[j]
            flush_removed(olds[0], j)
            ops.append(Op("modified", range(olds[0], olds[-1] + 1),
                          range(news[0], news[-1] + 1)))
        elif j not in in_groups:
            ops.append(Op("added", range(j, j), range(j, j + 1)))
    flush_removed(len(removed) and removed[-1] + 1, gap.new_end)
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

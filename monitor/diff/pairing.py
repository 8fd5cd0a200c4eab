"""Pairing the segments left in the gaps: by word similarity within a gap, by role (headings,
date lines, table rows), and across gaps for sentences moved and edited.

Within a gap the pairing keeps the order: a full dynamic programme on small gaps, a greedy band
on large ones, so that a rewrite never costs quadratic time. A pair grows to cover a sentence
split in two or two joined. Across gaps, only the few candidates sharing the most distinctive
words are scored.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from difflib import SequenceMatcher

from .gaps import Gap, Moves, free
from .patterns import is_date_line
from .segment import Segment
from .sentences import loose_key, words_of

PAIR_MIN_SIMILARITY = 0.5
JOIN_MIN_SIMILARITY = 0.8
JOIN_MIN_GAIN = 0.1
CROSS_MIN_SIMILARITY = 0.6
_FULL_DP_CELLS = 2500
_GREEDY_WINDOW = 12
_DICE_PREFILTER = 0.3
_EXACT_RATIO_WORDS = 600
_CANDIDATES = 8  # new sentences sharing the most distinctive words, scored in full


class Words:
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
            return _ratio(a, b)
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
    return _ratio(a, b)


def _ratio(a: list[str], b: list[str]) -> float:
    """difflib's ratio; for very long segments (a giant paragraph or table row) its linear upper
    bound, as the exact ratio can take quadratic time."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if len(a) + len(b) > _EXACT_RATIO_WORDS:
        return matcher.quick_ratio()
    return matcher.ratio()


def pair_in_gap(gap: Gap, words: Words, moves: Moves, old: list[Segment],
                new: list[Segment]) -> None:
    """Pair what the gap still holds: by similarity, then by role."""
    olds, news = free(gap, moves)
    if olds and news:
        if len(olds) * len(news) <= _FULL_DP_CELLS:
            pairs = _pair_dynamic(olds, news, words)
        else:
            pairs = _pair_greedy(olds, news, words)
        gap.groups.extend(([i], [j]) for i, j in pairs)
        gap.groups.sort(key=lambda g: g[1][0])
        _grow_groups(gap, words, moves)
    _pair_counterparts(gap, moves, old, new)


def _pair_dynamic(olds: list[int], news: list[int], words: Words) -> list[tuple[int, int]]:
    """The order-preserving pairing with the largest total similarity."""
    n, m = len(olds), len(news)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims = [[0.0] * m for _ in range(n)]
    new_sets = [words.word_set(1, j) for j in news]
    for x in range(n):
        old_set = words.word_set(0, olds[x])
        for y in range(m):
            # Most cells share few words: rule them out before computing a ratio.
            shared = len(old_set & new_sets[y])
            if shared and 2 * shared >= _DICE_PREFILTER * (len(old_set) + len(new_sets[y])):
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


def _pair_greedy(olds: list[int], news: list[int], words: Words) -> list[tuple[int, int]]:
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


def _grow_groups(gap: Gap, words: Words, moves: Moves) -> None:
    """Let a pair take in a free neighbouring sentence when that makes it much more similar:
    a sentence split in two, or two sentences joined into one."""
    free_old, free_new = (set(f) for f in free(gap, moves))
    for olds, news in gap.groups:
        for members, spare in ((news, free_new), (olds, free_old)):
            for step in (1, -1):
                nxt = members[-1] + 1 if step == 1 else members[0] - 1
                while nxt in spare:
                    trial = sorted([*members, nxt])
                    before = words.similarity(olds, news)
                    after = (words.similarity(olds, trial) if members is news
                             else words.similarity(trial, news))
                    if after < JOIN_MIN_SIMILARITY or after < before + JOIN_MIN_GAIN:
                        break
                    members[:] = trial
                    spare.discard(nxt)
                    nxt += step


def _pair_counterparts(gap: Gap, moves: Moves, old: list[Segment],
                       new: list[Segment]) -> None:
    """One heading gone and one come at the same place: the section was renamed. Likewise one
    navigation line or "last updated" line replaced by another however different they look, and
    a table row replaced by one with the same first cell."""
    olds, news = free(gap, moves)
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
            gap.add_group([i], [j])


def _labels(segment: Segment) -> list[str]:
    """What makes two dissimilar segments counterparts: both headings, both navigation, both
    date lines, both table rows with the same first cell."""
    labels = []
    if segment.heading:
        labels.append("heading")
    elif segment.nav:
        labels.append("navigation")
    if is_date_line(segment.text):
        labels.append("date")
    if " | " in segment.text:
        labels.append("row:" + segment.text.split(" | ", 1)[0].lower())
    return labels


def _most_shared_first(item: tuple[int, int]) -> tuple[int, int]:
    return -item[1], item[0]


def pair_across(gaps: list[Gap], words: Words, moves: Moves) -> None:
    """Pair sentences edited and moved to another gap (a section moved and edited), as edited
    moves. Only the few new sentences sharing the most of an old
    one's distinctive words are scored, so the cost stays near linear."""
    free_old = [i for gap in gaps for i in free(gap, moves)[0]]
    free_new = [j for gap in gaps for j in free(gap, moves)[1]]
    if not free_old or not free_new:
        return
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
        # Ties go to the earlier sentence, not to the order a set of words happened to have.
        for j, _ in heapq.nsmallest(_CANDIDATES, shared.items(), key=_most_shared_first):
            sim = words.similarity([i], [j])
            if sim >= CROSS_MIN_SIMILARITY:
                scored.append((sim, i, j))
    for _, i, j in sorted(scored, reverse=True):
        if i not in moves.to_new and j not in moves.to_old:
            moves.add(i, j, edited=True)



"""The state of an alignment between difflib's unchanged runs: gaps, their pairings, and moves.

A gap holds the old and new segment indices between two unchanged runs. Pairing fills its
`groups` (old indices, new indices), contiguous on each side and in order; moves record segments
that left one place for another (unchanged, or edited when listed in `edited`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

Group = tuple[list[int], list[int]]


@dataclass
class Gap:
    old: list[int]
    new: list[int]
    new_end: int  # where the gap ends in the new list (its position when `new` is empty)
    groups: list[Group] = field(default_factory=list)

    def add_group(self, olds: list[int], news: list[int]) -> None:
        self.groups.append((olds, news))
        self.groups.sort(key=lambda g: g[1][0])


@dataclass
class Moves:
    """Segments paired across places: old index -> new index and back."""

    to_new: dict[int, int] = field(default_factory=dict)
    to_old: dict[int, int] = field(default_factory=dict)
    edited: set[int] = field(default_factory=set)  # old indices whose text changed as it moved

    def add(self, i: int, j: int, *, edited: bool = False) -> None:
        self.to_new[i] = j
        self.to_old[j] = i
        if edited:
            self.edited.add(i)


def free(gap: Gap, moves: Moves | None = None) -> tuple[list[int], list[int]]:
    """Indices of the gap in no group and not moved."""
    used_old = {i for olds, _ in gap.groups for i in olds}
    used_new = {j for _, news in gap.groups for j in news}
    to_new = moves.to_new if moves else {}
    to_old = moves.to_old if moves else {}
    return ([i for i in gap.old if i not in used_old and i not in to_new],
            [j for j in gap.new if j not in used_new and j not in to_old])

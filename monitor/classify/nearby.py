"""The text near a change in the other version: where a removed sentence stood, what the new
version says a few paragraphs around that place (and where an added one now stands, what the
old version said there).

A promise deleted in one paragraph while the same promise stands two paragraphs away in the new
version is no promise lost; a sentence deleted because the paragraph above now says the same,
more broadly, removes nothing. Judging against the whole other version would instead hide a
promise scoped to one section ("California residents") behind the same words elsewhere, so the
look stays local: NEAR paragraphs either side of the place, found through the unchanged
paragraphs around it.
"""

from __future__ import annotations

import functools

from policywatch.monitor.diff.sentences import split_sentences

NEAR = 8  # paragraphs (lines) either side of the place


@functools.lru_cache(maxsize=8)
def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines())


@functools.lru_cache(maxsize=8)
def _line_index(text: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for at, line in enumerate(_lines(text)):
        if len(line) >= 4:
            index.setdefault(line, at)
    return index


def _place(lines: tuple[str, ...], sentence: str) -> int | None:
    probe = sentence.strip()[:80]
    return next((at for at, line in enumerate(lines) if probe and probe in line), None)


def near_sentences(source: str, target: str, sentence: str) -> list[str]:
    """Sentences of `target` within NEAR lines of the place where `sentence` stands in
    `source`, that place found by the nearest unchanged line around it (none when unplaced)."""
    if not source or not target or not sentence:
        return []
    lines, index = _lines(source), _line_index(target)
    at = _place(lines, sentence)
    if at is None:
        return []
    anchor = None
    for step in range(1, NEAR + 1):
        for neighbour in (at - step, at + step):
            if 0 <= neighbour < len(lines) and lines[neighbour] in index:
                anchor = index[lines[neighbour]] + (at - neighbour)
                break
        if anchor is not None:
            break
    if anchor is None:
        return []
    picked = _lines(target)[max(0, anchor - NEAR):anchor + NEAR + 1]
    # The differ's splitter: "e.g.", "U.S." and decimals do not cut a sentence in two.
    return [piece for line in picked for piece in split_sentences(line)]

"""Label a text segment with OPP-115's ten top-level data-practice categories.

Hand-written weighted cues (`opp115_cues`), no learned weights: each category sums the weights
of the cues found in the segment and is labelled when the sum reaches 1.0. A few shape rules
come first: a table of contents or a bare heading is `Other`. The cues were designed by reading
the OPP-115 train split's errors (never shipped); `bench/opp115.py` scores them on validation.
"""

from __future__ import annotations

import re

from .opp115_cues import (
    ABOUT_THE_POLICY,
    ACCESS,
    AUDIENCE_FOCUS,
    AUDIENCES,
    CHOICE,
    CUES,
    DNT,
    FIRST_PARTY,
    OTHER,
    POLICY_CHANGE,
    RETENTION,
    SECURITY,
    THIRD_PARTY,
)
from .patterns import regex

__all__ = [
    "ACCESS", "AUDIENCES", "CHOICE", "DNT", "FIRST_PARTY", "OPP115_CATEGORIES", "OTHER",
    "POLICY_CHANGE", "RETENTION", "SECURITY", "THIRD_PARTY", "label_opp115", "scores",
]

OPP115_CATEGORIES: tuple[str, ...] = (
    FIRST_PARTY, THIRD_PARTY, CHOICE, ACCESS, RETENTION, SECURITY, POLICY_CHANGE, DNT,
    AUDIENCES, OTHER,
)
PRACTICES = OPP115_CATEGORIES[:-1]

Cue = tuple[float, re.Pattern[str]]

COMPILED: dict[str, list[Cue]] = {
    cat: [(weight, regex(pattern)) for weight, pattern in cues] for cat, cues in CUES.items()
}

THRESHOLD = 1.0
ABOUT_THRESHOLD = 2.0  # a broad practice named in a segment about the policy itself
_ABOUT = regex(ABOUT_THE_POLICY)
_AUDIENCE = regex(AUDIENCE_FOCUS)
VETOED = (FIRST_PARTY, THIRD_PARTY, CHOICE, POLICY_CHANGE)
WEAK_THRESHOLD = 0.8  # enough for the best category when none is strong
DOMINANCE = 0.5  # a broad label must score at least half the best one
BROAD = (FIRST_PARTY, THIRD_PARTY)  # topics mentioned in passing by most segments
SHORT = 0  # characters: below this a segment is usually a heading or a date line

_WORD = re.compile(r"[A-Za-z][\w'-]*")
_SENTENCE_END = re.compile(r"[a-z0-9)][.!?]\s+[A-Z]")


def scores(text: str) -> dict[str, float]:
    """Each category's summed cue weight for one segment."""
    return {
        cat: sum(weight for weight, pattern in cues if pattern.search(text))
        for cat, cues in COMPILED.items()
    }


def is_outline(text: str) -> bool:
    """A run of Title Case headings (a table of contents, a heading with a date, an address):
    mostly capitalised words, at most one sentence, and not shouted in capitals."""
    words = _WORD.findall(text)
    if len(words) < 8:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    shouted = sum(1 for w in words if w.isupper() and len(w) > 1)
    return (capitalised > 0.5 * len(words) and shouted < 0.5 * len(words)
            and len(_SENTENCE_END.findall(text)) <= 1)


def label_opp115(text: str) -> list[str]:
    """OPP-115 labels, in OPP115_CATEGORIES order; `Other` when no practice cue is strong."""
    if is_outline(text):
        return [OTHER]
    found = scores(text)
    best_score = max(found[cat] for cat in PRACTICES)
    about = _ABOUT.search(text) is not None
    focused = about or _AUDIENCE.search(text) is not None
    labels = [cat for cat in PRACTICES if found[cat] >= THRESHOLD
              and (cat not in BROAD or found[cat] >= DOMINANCE * best_score)
              and not (focused and cat in VETOED and found[cat] < ABOUT_THRESHOLD)]
    if not labels and len(text) >= SHORT:
        best = max(PRACTICES, key=lambda cat: found[cat])
        if found[best] >= WEAK_THRESHOLD and found[best] > found[OTHER]:
            labels.append(best)
    if about or found[OTHER] >= THRESHOLD or not labels:
        labels.append(OTHER)
    return labels

"""Label a text segment with OPP-115's ten top-level data-practice categories.

Hand-written weighted cues (`opp115_cues`), no learned weights. Each category sums the weights
of its cues found in the segment and is labelled when the sum reaches 1.0, with a few rules on
top, all written from reading the OPP-115 train split's errors (the corpus itself never ships):

- a run of Title Case headings (a table of contents, a contact block) is `Other` only;
- the broad practices (first- and third-party collection, which most segments mention in
  passing) must also score at least half the best category, and need a doubled score in a
  segment about the policy itself or about a specific audience (children, California);
- when no practice reaches 1.0, the best one may still be labelled from 0.8 (not in a segment
  about the policy itself);
- `Other` is added when no practice is found, when its own cues are strong, or when the segment
  is about the policy itself.

`bench/opp115.py` scores the result on the validation split.
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
    "POLICY_CHANGE", "RETENTION", "SECURITY", "THIRD_PARTY", "is_outline", "label_opp115",
    "scores",
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
_ABOUT = regex(ABOUT_THE_POLICY)
_AUDIENCE = regex(AUDIENCE_FOCUS)

THRESHOLD = 1.0
WEAK_THRESHOLD = 0.8  # enough for the best category when none reaches THRESHOLD
BROAD = (FIRST_PARTY, THIRD_PARTY)  # practices mentioned in passing by most segments
DOMINANCE = 0.5  # a broad label must score at least half the best category
FOCUSED_THRESHOLD = 2.0  # a practice named in a segment about the policy or an audience
VETOED_WHEN_FOCUSED = (FIRST_PARTY, THIRD_PARTY, CHOICE, POLICY_CHANGE)

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
    mostly capitalised words, at most one sentence break, and not a sentence shouted in capitals."""
    words = _WORD.findall(text)
    if len(words) < 8:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    shouted = sum(1 for w in words if w.isupper() and len(w) > 1)
    return (capitalised > 0.5 * len(words) and shouted < 0.5 * len(words)
            and len(_SENTENCE_END.findall(text)) <= 1)


def _passes(cat: str, found: dict[str, float], best: float, focused: bool) -> bool:
    if found[cat] < THRESHOLD:
        return False
    if cat in BROAD and found[cat] < DOMINANCE * best:
        return False
    return not (focused and cat in VETOED_WHEN_FOCUSED and found[cat] < FOCUSED_THRESHOLD)


def label_opp115(text: str) -> list[str]:
    """OPP-115 labels, in OPP115_CATEGORIES order; `Other` when no practice cue is strong."""
    if is_outline(text):
        return [OTHER]
    found = scores(text)
    best = max(found[cat] for cat in PRACTICES)
    about = _ABOUT.search(text) is not None
    focused = about or _AUDIENCE.search(text) is not None
    labels = [cat for cat in PRACTICES if _passes(cat, found, best, focused)]
    if not labels and not about:
        runner_up = max(PRACTICES, key=lambda cat: found[cat])
        if found[runner_up] >= WEAK_THRESHOLD and found[runner_up] > found[OTHER]:
            labels.append(runner_up)
    if about or found[OTHER] >= THRESHOLD or not labels:
        labels.append(OTHER)
    return labels

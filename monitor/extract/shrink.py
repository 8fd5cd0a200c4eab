"""is_suspect_shrink(): did the page lose the policy rather than change it?

Tuned on the real histories in ../shared/corpus/histories. Collapses found there (all caught):
MSN 016 (title only, 59 chars from 298,607), Spotify 006/008/011 (an error page), ACDelco 008
(a 404 page), Upscrolled 004 (navigation only after a redesign), Base 003 (a documentation page
instead of the policy). Legitimate shorter rewrites that are not flagged: Parler 013 (15% of the
previous length, 93% of sentences new, but a complete 5,658-char policy), Wolfram 001 (37%),
Aetna 007 and Twitter 005 (about half the length).
"""

from __future__ import annotations

import re

from policywatch.monitor.textnorm import normalise_key

_RATIO = 0.4          # current shorter than this share of the previous…
_GONE = 0.5           # …and at least this share of the previous sentences gone…
_SMALL_CHARS = 3000   # …and either short in absolute terms…
_TINY_RATIO = 0.1     # …or a tiny fraction of what it was.
_MIN_SENTENCE_CHARS = 30
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def _sentences(text: str) -> set[str]:
    found: set[str] = set()
    for line in text.splitlines():
        for piece in _SENTENCE_END.split(line):
            key = normalise_key(piece)
            if len(key) >= _MIN_SENTENCE_CHARS:
                found.add(key)
    return found


def gone_share(previous: str, current_key: str) -> float:
    """Share of the previous text's sentences (by length) that no longer appear in the current."""
    sentences = _sentences(previous)
    total = sum(len(s) for s in sentences)
    if not total:
        return 1.0
    return sum(len(s) for s in sentences if s not in current_key) / total


def is_suspect_shrink(previous: str, current: str) -> bool:
    """True when `current` looks like a page that lost most of the policy `previous` held (error
    page, navigation only, wrong page) rather than a policy rewritten shorter."""
    previous_len = len(normalise_key(previous))
    current_key = normalise_key(current)
    if not previous_len or len(current_key) >= _RATIO * previous_len:
        return False
    if len(current_key) >= _SMALL_CHARS and len(current_key) >= _TINY_RATIO * previous_len:
        return False
    return gone_share(previous, current_key) >= _GONE

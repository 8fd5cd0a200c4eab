"""Which change units differ only in form.

The keys already fold spaces, quotes, bullets, emphasis, link targets and case, so key-equal
segments never become units. What is left for these rules: joined or split words and
punctuation, mojibake, "last updated" dates, navigation (tables of contents, anchors, "back to
top"), headings added or removed without their text, reordering, and typo fixes.
"""

from __future__ import annotations

from collections import Counter

from .patterns import PROTECTED, is_date_line, without_dates
from .segment import Segment
from .sentences import loose_key, sentence_key, words_of

_MAX_TYPO_FIXES = 2
_MIN_TYPO_WORD = 4


class Vocabulary:
    """Word counts of the old document, computed only when a typo candidate needs them."""

    def __init__(self, segments: list[Segment]) -> None:
        self._segments = segments
        self._counts: Counter[str] | None = None

    def count(self, word: str) -> int:
        if self._counts is None:
            self._counts = Counter(w for s in self._segments for w in words_of(s.key))
        return self._counts[word]


def is_form_only(kind: str, old: list[Segment], new: list[Segment], vocab: Vocabulary) -> bool:
    """Whether a unit of this kind, replacing `old` segments by `new` ones, is form only."""
    if kind == "moved":
        return True
    if kind in ("added", "removed"):
        return all(s.nav or s.heading or is_date_line(s.text) for s in old or new)
    return _modified_in_form(old, new, vocab)


def _modified_in_form(old: list[Segment], new: list[Segment], vocab: Vocabulary) -> bool:
    old_key = " ".join(s.key for s in old)
    new_key = " ".join(s.key for s in new)
    if loose_key(old_key) == loose_key(new_key):
        return True  # punctuation, joined/split words or sentences
    if not (old_key.isascii() and new_key.isascii()) and _fixed(old) == _fixed(new):
        return True
    if all(s.nav for s in old) and all(s.nav for s in new):
        return True
    if _date_only(old, new):
        return True
    return _typo_fixes(old_key, new_key, vocab)


def _fixed(segments: list[Segment]) -> str:
    """The loose key after repairing mojibake (UTF-8 read as Latin-1 and the like)."""
    import ftfy  # lazy: ~40 ms of start-up, needed only for a pair with non-ASCII differences

    return loose_key(sentence_key(ftfy.fix_text(" ".join(s.text for s in segments))))


def _date_only(old: list[Segment], new: list[Segment]) -> bool:
    if len(old) != 1 or len(new) != 1:
        return False
    before, after = old[0].text, new[0].text
    if not (is_date_line(before) and is_date_line(after)):
        return False
    return loose_key(without_dates(before).lower()) == loose_key(without_dates(after).lower())


def _typo_fixes(old_key: str, new_key: str, vocab: Vocabulary) -> bool:
    """One or two single-word replacements, each a misspelling corrected. Replacing words one
    for one keeps every other word in place, so comparing position by position suffices."""
    old_words, new_words = words_of(old_key), words_of(new_key)
    if len(old_words) != len(new_words):
        return False
    edits = [(a, b) for a, b in zip(old_words, new_words, strict=True) if a != b]
    if not 1 <= len(edits) <= _MAX_TYPO_FIXES:
        return False
    return all(is_typo_fix(a, b, vocab) for a, b in edits)


def is_typo_fix(before: str, after: str, vocab: Vocabulary) -> bool:
    """A misspelling corrected: close spelling, same first letter, not a word that can change
    what is promised (negation, modal, number, data type, practice), not a new ending, and the
    old spelling rare in the document or much rarer than the new one."""
    if before in PROTECTED or after in PROTECTED:
        return False
    if min(len(before), len(after)) < _MIN_TYPO_WORD or before[0] != after[0]:
        return False
    if any(c.isdigit() for c in before + after):
        return False
    if before.startswith(after) or after.startswith(before):
        return False  # "user"/"users", "share"/"shared": a different word form
    limit = 1 if max(len(before), len(after)) < 6 else 2
    if edit_distance(before, after) > limit:
        return False
    rare = vocab.count(before)
    return rare <= 2 or vocab.count(after) > 2 * rare


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    two neighbouring letters each cost 1."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[len(b)]

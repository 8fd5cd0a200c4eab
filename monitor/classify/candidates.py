"""Candidates for a material change: units whose changed words touch a data practice.

The changed words of a modified sentence are the word runs that differ between old and new
(a word-level diff of the two sentences); those of an added or removed sentence are all of it.
A unit is a candidate when a changed word is (part of) a mention of the practice vocabulary
(vocabulary.py), or when a changed modal or negation word stands in a sentence that names a
practice. Suppressors (suppress.py) then name candidates that are not material.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field

from policywatch.monitor.model import ChangeUnit

from .patterns import lazy
from .vocabulary import MODAL_KINDS, is_generic, mentions

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


@dataclass
class Touch:
    side: str  # "old" (deleted words) or "new" (inserted words)
    kind: str
    words: str


@dataclass
class Candidate:
    unit: ChangeUnit
    touches: list[Touch] = field(default_factory=list)
    # Word runs that changed: (deleted text, inserted text) per run of the word diff.
    runs: list[tuple[str, str]] = field(default_factory=list)

    def kinds(self, side: str | None = None) -> set[str]:
        return {t.kind for t in self.touches if side in (None, t.side)}

    def substance(self) -> list[Touch]:
        return [t for t in self.touches if t.kind not in MODAL_KINDS]

    def specific(self) -> list[Touch]:
        """Touches that say more than "personal information" or "use"."""
        return [t for t in self.substance() if not is_generic(t.words)]


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def changed_ranges(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]],
                                                 list[tuple[str, str]]]:
    """Character ranges of changed words in old and in new, and the changed runs as text."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, [t[0] for t in a], [t[0] for t in b],
                                      autojunk=False)
    old_ranges, new_ranges, runs = [], [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        deleted = (a[i1][1], a[i2 - 1][2]) if i2 > i1 else None
        inserted = (b[j1][1], b[j2 - 1][2]) if j2 > j1 else None
        if deleted:
            old_ranges.append(deleted)
        if inserted:
            new_ranges.append(inserted)
        runs.append((old[deleted[0]:deleted[1]] if deleted else "",
                     new[inserted[0]:inserted[1]] if inserted else ""))
    return old_ranges, new_ranges, runs


# "we may ask you to disclose", "you can share your profile": the user acts, not the company.
_USER_ACTS = re.compile(r"\byou(?:rself)?\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_EXPOSING = re.compile(r"^(?:shar|disclos|provid|send|sent|upload|publish|post|submit|make|made|"
                       r"use|using|access)", re.IGNORECASE)


# The title of a document names data types without stating a practice ("our Washington State
# Consumer Health Data Privacy Policy"); a capitalised verb inside a sentence is a name
# ("the App Store"); "track your progress" follows no person's data.
_NAMED_DOCUMENT = lazy(r"(?:\b[A-Z][\w'’.-]*\s+){1,8}(?:Privacy\s+)?(?:Policy|Notice|"
                       r"Statement|Act|Law|Addendum|Disclosure|Principles|Framework)\b", 0)
_NOT_DATA_AFTER = re.compile(r"^\W*(?:your |the |their )?(?:progress|orders?|packages?|shipments?|"
                             r"deliver\w*)\b", re.IGNORECASE)


# "disclose to you the categories", "the information we collected about you", "they use it":
# told to the user, a relative clause describing data, or someone else acting.
_TO_YOU = re.compile(r"^\s+(?:\w+\s+){0,2}?to you\b", re.IGNORECASE)
_RELATIVE = re.compile(r"(?:information|data|categories|types|kinds)\s+(?:that\s+|which\s+)?"
                       r"(?:we|you)\s+(?:\w+\s+)?$", re.IGNORECASE)
_SOMEONE_ELSE = re.compile(
    r"\b(?:they|thieves|criminals|fraudsters|attackers|he|she)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _names_no_practice(text: str, kind: str, words: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40):start]
    if kind == "verb" and (_TO_YOU.search(text[end:end + 30]) or _RELATIVE.search(before)
                           or _SOMEONE_ELSE.search(before)):
        return True
    if kind == "verb" and _EXPOSING.match(words) and _USER_ACTS.search(
            text[max(0, start - 30):start]):
        return True  # the user acts, not the company
    if kind == "verb" and words[:1].isupper() and start > 0 and not re.search(
            r"(?:^|[.!?:]\s*|\n\W*)$", text[:start]):
        return True
    if kind in ("verb", "tracking") and _NOT_DATA_AFTER.search(text[end:end + 30]):
        return True
    return any(s <= start and end <= e for s, e in _named_documents(text))


@functools.lru_cache(maxsize=8192)
def _named_documents(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _NAMED_DOCUMENT.finditer(text))


def _touching(text: str, ranges: list[tuple[int, int]] | None, side: str) -> list[Touch]:
    """Mentions overlapping a changed range (all mentions when ranges is None)."""
    return [Touch(side, kind, words) for kind, words, start, end in mentions(text)
            if (ranges is None or any(start < r_end and r_start < end for r_start, r_end in ranges))
            and not _names_no_practice(text, kind, words, start, end)]


# A name (a company, a state, a product) added inside a sentence that states a practice:
# "shared with Google" -> "shared with Google and Meta", "(e.g., California, Montana)".
_NAME = re.compile(r"\b[A-Z][\w&'’-]+")
_NAME_FILLER = frozenset({"and", "or", "the", "of", "&"})


def _names_only(run: str) -> bool:
    """Every word of the run is capitalised or a joining word (a token loop: a regex over a
    long run backtracks badly)."""
    words = [w.strip(",.()[]'\"") for w in run.split()]
    words = [w for w in words if w]
    return bool(words) and len(words) <= 12 and all(
        w[:1].isupper() or w.lower() in _NAME_FILLER for w in words)


def _names_added(old: str, new: str, runs: list[tuple[str, str]]) -> list[Touch]:
    """Names inserted (nothing deleted in their place) that the old sentence did not have."""
    if not any(kind not in MODAL_KINDS for kind, *_ in mentions(new)):
        return []
    added = []
    for deleted, inserted in runs:
        if deleted.strip() or not _names_only(inserted) or not _NAME.search(inserted):
            continue
        if re.search(r"\d", inserted) or mentions(inserted):
            continue  # an address, or a term the vocabulary already reads
        names = [n for n in _NAME.findall(inserted) if n not in old]
        if names and not new.startswith(inserted.strip()):
            added.append(Touch("new", "name", inserted.strip(" ,()")))
    return added


def candidate(unit: ChangeUnit) -> Candidate | None:
    """The unit as a candidate, or None when its changed words touch no data practice."""
    if unit.form_only or unit.kind == "moved":
        return None
    old, new = unit.old or "", unit.new or ""
    found = Candidate(unit)
    if unit.kind == "modified":
        old_ranges, new_ranges, found.runs = changed_ranges(old, new)
        found.touches = (_touching(old, old_ranges, "old") + _touching(new, new_ranges, "new"))
    else:
        side, text = ("new", new) if unit.kind == "added" else ("old", old)
        found.touches = _touching(text, None, side)
        found.runs = [("", text) if side == "new" else (text, "")]
    if unit.kind == "modified":
        found.touches += _names_added(old, new, found.runs)
    if found.substance():
        return found
    modal_only = bool(found.touches)
    sentence_names_practice = any(kind not in MODAL_KINDS for text in (old, new)
                                  for kind, *_ in mentions(text))
    return found if modal_only and sentence_names_practice else None

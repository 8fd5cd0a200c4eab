"""Changes that are artifacts of capture or layout, not of the policy: a heading or a
table-of-contents line seen as a sentence, a sentence whose words were lost in extraction
("we receive the of the device"), and a version that is a stub of the page (navigation only).
The classifier judges none of them; the differ and the fetcher see them first, so each case
here is also worth reporting upstream."""

from __future__ import annotations

import functools
import re

from policywatch.monitor.model import ChangeUnit, DiffResult

from .patterns import regex

# A version keeping less than this share of the other's sentences is a failed capture.
STUB_SHARE = 0.2
STUB_MIN_SENTENCES = 20
STUB_MAX_SENTENCES = 25
STUB_MIN_WORDS, STUB_MAX_WORDS = 300, 400

# Words dropped by extraction leave a determiner before punctuation or "of", or empty brackets.
_HOLE = regex(r"\b(?:the|your|a|an|our|their|its)\s*(?:[).,;:]|of\b)|\(\s*\)")


def title_key(text: str | None) -> str:
    return " ".join((text or "").lower().strip(" *#_.:?").split())


def section_titles(result: DiffResult) -> set[str]:
    """Every heading named in a section path of the diff."""
    return {title_key(part) for unit in result.changes if unit.section
            for part in unit.section.split("›")}


def is_title(unit: ChangeUnit, titles: set[str]) -> bool:
    """A unit whose whole text is a heading of either version asserts no practice."""
    texts = [t for t in (unit.old, unit.new) if t]
    return bool(texts) and all(title_key(t) in titles for t in texts)


def has_holes(unit: ChangeUnit) -> bool:
    """An edit that only lost words, leaving holes the old text did not have."""
    if unit.kind != "modified" or not unit.old or not unit.new:
        return False
    return len(_HOLE.findall(unit.new)) > len(_HOLE.findall(unit.old)) and len(
        re.findall(r"\w+", unit.new)) < len(re.findall(r"\w+", unit.old))


# Common English function words: their share of the words tells English text from a version
# captured in another language (the rules and lexicons only read English).
_ENGLISH = frozenset(["the", "and", "of", "to", "we", "you", "your", "in", "is", "for", "or",
                      "with", "that", "our", "this", "are", "be", "as", "by", "may", "on", "it"])
_WORD = regex(r"[^\W\d_]+(?:'[^\W\d_]+)?")
ENGLISH_MIN, FOREIGN_MAX = 0.12, 0.05


@functools.lru_cache(maxsize=8)
def word_count(text: str) -> int:
    return len(text.split())


@functools.lru_cache(maxsize=8)
def english_share(text: str) -> float:
    words = _WORD.findall(text[:6000])
    return sum(w.lower() in _ENGLISH for w in words) / len(words) if words else 0.0


def unjudged(result: DiffResult, old_text: str | None, new_text: str | None) -> str | None:
    """Why the pair is not judged (a stub or a version in another language), else None."""
    if old_text is not None and new_text is not None:
        old_en, new_en = english_share(old_text), english_share(new_text)
        long_enough = min(word_count(old_text), word_count(new_text)) >= STUB_MIN_WORDS
        if long_enough and min(old_en, new_en) < FOREIGN_MAX and max(old_en, new_en) > ENGLISH_MIN:
            side = "new" if new_en < old_en else "old"
            return (f"not judged: the {side} version is not in English, likely another "
                    "language edition captured")
        old_words, new_words = word_count(old_text), word_count(new_text)
        for side, short, other in (("new", new_words, old_words), ("old", old_words, new_words)):
            if other >= STUB_MIN_WORDS and short < min(STUB_SHARE * other, STUB_MAX_WORDS):
                return (f"not judged: the {side} version has {short} words against {other}, "
                        "likely a failed capture or another page")
    return stub_pair(result)


def stub_pair(result: DiffResult) -> str | None:
    """Why the pair is not judged when one version is a stub of the other, else None."""
    old, new = result.stats.get("sentences_old"), result.stats.get("sentences_new")
    if not isinstance(old, int) or not isinstance(new, int):
        return None
    if old >= STUB_MIN_SENTENCES and new < min(STUB_SHARE * old, STUB_MAX_SENTENCES):
        return (f"not judged: the new version keeps {new} of {old} sentences, "
                "likely a failed capture")
    if new >= STUB_MIN_SENTENCES and old < min(STUB_SHARE * new, STUB_MAX_SENTENCES):
        return (f"not judged: the old version had {old} sentences against {new}, "
                "likely a failed capture before")
    return None

"""Versions the rules cannot read as a whole: a capture that lost most of the text (an error
page, a truncated or empty page) and text in another language.

Neither silences anything. A lost capture is judged like any change (its removed sentences
carry their lost promises) and flagged `suspect_capture`; text in another language is reported
as needing a human look. Language is judged on the changed text itself, and on the whole
policy sampled from end to end, never on its first few thousand characters (a page can put
anything there).
"""

from __future__ import annotations

import functools

from .patterns import regex

# The new version keeps less than this share of the old one's words: a failed capture.
LOST_SHARE = 0.2
LOST_MIN_WORDS = 300  # the old version must have been a real policy

# Common English function words: their share of the words tells English from another language
# (the rules and lexicons only read English).
_ENGLISH = frozenset(["the", "and", "of", "to", "we", "you", "your", "in", "is", "for", "or",
                      "with", "that", "our", "this", "are", "be", "as", "by", "may", "on", "it"])
_LINK = regex(r"\(?https?://\S+|www\.\S+|[\w.+-]+@[\w.-]+")
_WORD = regex(r"[^\W\d_]+(?:'[^\W\d_]+)?")
FOREIGN_MAX = 0.05  # below this share of English function words, text is not English
MIN_WORDS_TO_JUDGE = 8  # shorter text (a name, a heading) says nothing about its language
SAMPLES, SAMPLE_CHARS = 24, 600


@functools.lru_cache(maxsize=8)
def word_count(text: str) -> int:
    return len(text.split())


def english_share(text: str) -> float | None:
    """Share of English function words among the words, or None for too few words."""
    words = _WORD.findall(_LINK.sub(" ", text))
    if len(words) < MIN_WORDS_TO_JUDGE:
        return None
    return sum(w.lower() in _ENGLISH for w in words) / len(words)


# Function words of the languages policies are most often captured in instead of English: a
# text is "another language" only on positive evidence (names, addresses and URLs are not).
_OTHER = frozenset([
    "der", "die", "und", "das", "ist", "wir", "sie", "ihre", "nicht", "mit", "von", "zu", "für",
    "ein", "eine", "dem", "den", "im", "auf", "werden", "oder", "noch", "deine", "dein", "ihr",
    "le", "la", "les", "et", "des", "est", "nous", "vous", "vos", "pour", "une", "du", "aux",
    "sur", "dans", "pas", "ne", "qui", "au", "ce", "ces", "votre", "vos", "sont",
    "el", "los", "las", "y", "es", "que", "por", "para", "con", "su", "sus", "del", "una",
    "il", "di", "che", "per", "non", "sono", "gli", "della", "dei", "e", "o", "um", "os",
    "não", "seu", "seus", "com", "de", "en", "het", "een", "van", "zijn", "wij", "uw", "op",
])
_NON_LATIN = regex(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u0e00-\u0eff"
                   r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def is_foreign(text: str) -> bool:
    """Not English, on evidence: another script, or another language's function words."""
    share = english_share(text)
    if share is None or share >= FOREIGN_MAX:
        return False
    letters = sum(c.isalpha() for c in text)
    if letters and len(_NON_LATIN.findall(text)) > letters / 2:
        return True
    words = [w.lower() for w in _WORD.findall(_LINK.sub(" ", text))]
    return sum(w in _OTHER for w in words) / len(words) >= 0.12


@functools.lru_cache(maxsize=8)
def document_foreign(text: str) -> bool:
    """Not English, judged on samples spread over the whole text."""
    if len(text) <= SAMPLES * SAMPLE_CHARS:
        return is_foreign(text)
    step = len(text) // SAMPLES
    return is_foreign(" ".join(text[i:i + SAMPLE_CHARS] for i in range(0, len(text), step)))


def lost_capture(old_text: str | None, new_text: str | None) -> str | None:
    """Why the new version looks like a failed capture of the old one, else None."""
    if old_text is None or new_text is None:
        return None
    old, new = word_count(old_text), word_count(new_text)
    if old >= LOST_MIN_WORDS and new < LOST_SHARE * old:
        return f"the new version has {new} words against {old}: likely an error page or a " \
               "truncated capture"
    return None


def short_before(old_text: str | None, new_text: str | None) -> str | None:
    """Why the old version looks like a failed capture (the new one restores the text)."""
    return lost_capture(new_text, old_text) and (
        f"the old version had {word_count(old_text or '')} words against "
        f"{word_count(new_text or '')}: likely a failed capture before")

"""The language a version is written in, and whether a page switched edition.

A site that starts serving another language edition (geo-redirects, an Accept-Language change, a
broken language switcher, an archive capture of the French page) has not rewritten its policy:
every sentence would look new. Detected with py3langid (a maintained, small n-gram model that
ships inside the package; measured against lingua in bench/language.py), on a sample of the
text so that a long policy costs what a short one does.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

LANGUAGE_SAMPLE_CHARS = 6000
_MIN_LETTERS = 120  # below this a guess is noise
_MIN_CONFIDENCE = 0.9
# Markdown syntax, URLs and e-mail addresses say nothing about the language.
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[#*_>|\[\]()`]+")

LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic", "it": "Italian",
    "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "mt": "Maltese",
    "nb": "Norwegian", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian",
    "sv": "Swedish", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese",
    "zh": "Chinese",
}


@lru_cache(maxsize=1)
def _identifier() -> Any:  # Any: py3langid's LanguageIdentifier, third-party and untyped
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _sample(text: str) -> str:
    """Up to LANGUAGE_SAMPLE_CHARS of prose, in three windows spread over the text (the start
    is often a title, a date and a table of contents; one section may quote another language)."""
    cleaned = _NOISE.sub(" ", text)
    if len(cleaned) <= LANGUAGE_SAMPLE_CHARS:
        return cleaned
    window = LANGUAGE_SAMPLE_CHARS // 3
    starts = [int(share * (len(cleaned) - window)) for share in (0.2, 0.5, 0.8)]
    return " ".join(cleaned[start:start + window] for start in starts)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language of `text`, or None when it is too short or unclear."""
    sample = _sample(text)
    if sum(c.isalpha() for c in sample) < _MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(sample)
    return str(language) if confidence >= _MIN_CONFIDENCE else None


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


_CACHE_SIZE = 512
_known: OrderedDict[str, str | None] = OrderedDict()  # text hash -> language
_known_lock = threading.Lock()  # checks run in worker threads


def _language_of(norm_hash: str, text: str) -> str | None:
    """detect_language(text), remembered by the text's hash (not the text: versions can be
    megabytes): the service asks about the latest version at every change."""
    with _known_lock:
        if norm_hash in _known:
            _known.move_to_end(norm_hash)
            return _known[norm_hash]
    language = detect_language(text)
    with _known_lock:
        _known[norm_hash] = language
        if len(_known) > _CACHE_SIZE:
            _known.popitem(last=False)
    return language


def edition_change(previous: str, previous_hash: str, current: str,
                   current_hash: str) -> tuple[str, str] | None:
    """(old language name, new language name) when the page switched language edition, None
    when it did not or when either language is unclear."""
    before = _language_of(previous_hash, previous)
    now = _language_of(current_hash, current)
    if before is None or now is None or before == now:
        return None
    return language_name(before), language_name(now)

"""Word lists and patterns that decide what counts as a change of form."""

from __future__ import annotations

import re

# Words whose change is never a typo fix: it can flip or scale what a sentence promises.
NEGATIONS = frozenset({
    "not", "never", "no", "without", "none", "nor", "neither", "nothing", "cannot", "nobody",
    "unless", "except", "only",
})
MODALS = frozenset({
    "will", "would", "may", "might", "must", "shall", "should", "can", "could", "won", "need",
    "required", "require", "always",
})
NUMBER_WORDS = frozenset({
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "eighteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "ninety", "hundred", "thousand", "million", "billion",
    "first", "second", "third", "half", "once", "twice", "days", "months", "years", "weeks",
})
DATA_TYPES = frozenset({
    "location", "locations", "geolocation", "gps", "biometric", "biometrics", "health",
    "medical", "email", "emails", "mail", "phone", "phones", "telephone", "address",
    "addresses", "contact", "contacts", "name", "names", "ssn", "passport", "license",
    "financial", "credit", "debit", "card", "bank", "payment", "genetic", "fingerprint",
    "fingerprints", "face", "facial", "voice", "photo", "photos", "camera", "microphone",
    "audio", "video", "ip", "cookie", "cookies", "device", "age", "birth", "birthday",
    "gender", "race", "ethnic", "religion", "religious", "sexual", "political", "union",
    "criminal", "children", "child", "minors", "password", "passwords", "messages", "browsing",
    "search", "purchase", "purchases", "precise", "identifier", "identifiers", "sensitive",
})
# Verbs and nouns of data practices: "sell" and "tell" are one letter apart, not a typo.
PRACTICES = frozenset({
    "sell", "sale", "sold", "share", "shares", "shared", "sharing", "collect", "collects",
    "use", "uses", "used", "retain", "retains", "keep", "delete", "store", "stores", "transfer",
    "disclose", "disclosed", "process", "track", "tracks", "profile", "train", "consent",
    "opt", "data", "information", "personal", "third", "party", "parties", "partners",
})
PROTECTED = NEGATIONS | MODALS | NUMBER_WORDS | DATA_TYPES | PRACTICES

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{4}}"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\b",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"\b(?:last\s+(?:updated|modified|revised|amended|changed|reviewed|update)"
    r"|(?:date\s+of\s+)?(?:last\s+)?revision(?:\s+date)?|effective|updated|revised"
    r"|modified|version\s+date|date\s+posted|posted\s+on|published|valid\s+from)\b",
    re.IGNORECASE,
)
# Words left once the date is gone: "This Privacy Policy was last updated on" is 8.
_DATE_LINE_MAX_WORDS = 10
_DIGIT = re.compile(r"\d")


def is_date_line(text: str) -> bool:
    """A "last updated"/"effective" line: a date next to a date word, in a short sentence."""
    if len(text) > 200 or not _DIGIT.search(text) or not _DATE_WORDS.search(text):
        return False
    if not _DATE.search(text):
        return False
    return len(without_dates(text).split()) <= _DATE_LINE_MAX_WORDS


# Where the date part of a heading starts; extractions glue it on ("Privacy PolicyLast Modified").
_DATE_PHRASE = re.compile(
    r"(?:last\s*)?(?:updated|modified|revised|amended|effective(?:\s+date)?)\b", re.IGNORECASE)


def without_date_phrase(text: str) -> str:
    """A heading without its "Last modified: <date>" part, for a section path that stays the
    same from one version to the next."""
    if not is_date_line(text):
        return text
    start = _DATE_PHRASE.search(text)
    kept = text[:start.start()] if start else _DATE.sub("", text)
    return kept.strip(" :-\u2013\u2014|,") or text


def without_dates(text: str) -> str:
    """The text with its dates removed, to tell a date-only edit from a real one."""
    return _DATE.sub(" ", text)


_BACK_TO_TOP = re.compile(
    r"^\W*(?:back\s+to\s+(?:the\s+)?top|return\s+to\s+(?:the\s+)?top|go\s+to\s+top|to\s+top"
    r"|top\s+of\s+(?:the\s+)?page|top|jump\s+to\s+top|scroll\s+to\s+top|back\s+to\s+menu)\W*$",
    re.IGNORECASE,
)
_TOC_TITLE = re.compile(
    r"^\W*(?:table\s+of\s+contents?|contents|on\s+this\s+page|in\s+this\s+(?:policy|notice|"
    r"statement|document|article|section)|jump\s+to(?:\s+section)?|quick\s+links|sections"
    r"|index|navigation|skip\s+to\s+(?:main\s+)?content|summary\s+of\s+contents)\W*$",
    re.IGNORECASE,
)
_ANCHOR_ONLY = re.compile(r"^(?:\s*\[[^\]]*\]\(#[^)\s]*\)\s*[|,;\u00b7\u2022-]?)+\s*$")
_LINK_ONLY = re.compile(r"^(?:\s*\[[^\]]*\]\([^)]*\)\s*[|,;\u00b7\u2022-]?)+\s*$")


def is_back_to_top(text: str) -> bool:
    return len(text) < 40 and bool(_BACK_TO_TOP.match(text))


def is_toc_title(text: str) -> bool:
    return len(text) < 50 and bool(_TOC_TITLE.match(text))


def is_anchor_only(raw: str) -> bool:
    """Raw Markdown that is only links to anchors in the same page ([Sharing](#sharing))."""
    return "](#" in raw and bool(_ANCHOR_ONLY.match(raw))


def is_link_only(raw: str) -> bool:
    return raw.startswith("[") and bool(_LINK_ONLY.match(raw))

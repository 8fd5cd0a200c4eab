"""A finding: one reason a change unit is material, with its severity and direction, and the
vocabulary (category names, headline nouns) the rules use to word it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from policywatch.monitor.model import Severity

from .lexicon import ORDINARY_PATTERNS, PURPOSE_PATTERNS, RECIPIENT_PATTERNS, SENSITIVE_PATTERNS
from .patterns import regex
from .profile import Profile
from .scope import Fact

ITEM_TABLES = (("data", SENSITIVE_PATTERNS), ("data", ORDINARY_PATTERNS),
               ("recipient", RECIPIENT_PATTERNS), ("purpose", PURPOSE_PATTERNS))

Leaning = Literal["worse", "better", "neutral"]

GROUP_CATEGORY: dict[str, str] = {
    "sell": "sale", "share": "sharing", "collect": "collection", "track": "tracking",
    "retain": "retention", "train": "ai_training", "signals": "do_not_track",
    "notify": "policy_change", "consent": "choice", "optout": "choice",
    "right": "rights", "delete": "rights", "secure": "security",
}
GROUP_NOUN: dict[str, str] = {
    "sell": "sale of personal data", "share": "sharing of personal data",
    "collect": "collection of personal data", "track": "tracking",
    "retain": "retention of personal data", "train": "use of data for AI training",
    "signals": "honouring of opt-out signals", "notify": "notice to users",
    "consent": "asking for consent", "optout": "opt-out", "right": "user right",
    "delete": "deletion of data", "secure": "security safeguard",
}
GROUP_OBJECT: dict[str, str] = {
    "sell": "the data sold", "share": "the data shared", "collect": "the data collected",
    "track": "the data tracked", "retain": "the data kept", "train": "the data used for AI",
}
# Categories a clause adds to a finding when its words touch them.
EXTRA_TOPICS = ("children", "sensitive_data", "ai_training", "do_not_track", "international")
HIGH_RECIPIENTS = frozenset({"advertisers", "data brokers"})


@dataclass(kw_only=True)
class Finding:
    severity: Severity
    direction: Leaning
    categories: tuple[str, ...]
    headline: str  # short, for a summary line: "sale of personal data introduced"
    reason: str  # quotes the decisive words
    # What the finding is about, so that a clause deleted here and restated elsewhere in the
    # same diff can be recognised (see restated.py): practice group, rank, item keys.
    group: str = ""
    rank: int = -1
    items: frozenset[str] = frozenset()
    # "appeared" or "disappeared" when a practice or promise joined or left the text as a whole
    # (not a change of degree): dropped when the other side of the diff states it elsewhere.
    change: str = ""


def quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f'"{text}"'


def categories_for(group: str, profile: Profile, *extra: str) -> tuple[str, ...]:
    cats = [GROUP_CATEGORY[group], *extra]
    if group == "notify" and "policy_change" not in profile.topics:
        cats[0] = "other"
    if group == "optout" and "do_not_track" in profile.topics:
        cats.append("do_not_track")
    if group == "share" and "international" in profile.topics:
        cats.append("international")
    cats += [t for t in EXTRA_TOPICS if t in profile.topics and t != "international"]
    return tuple(dict.fromkeys(cats))


def exposure_items(facts: list[Fact]) -> dict[str, tuple[str, str]]:
    """Every data type, recipient and purpose named in the clauses of `facts`:
    key "kind:name" -> (kind, words). A mention inside a longer one ("advertising" inside
    "advertising partners", "location" inside "precise location") counts only as the longer."""
    items: dict[str, tuple[str, str]] = {}
    for clause in dict.fromkeys(f.clause for f in facts):
        spans = [(kind, name, words, start, end)
                 for kind, table in ITEM_TABLES
                 for name, words, start, end in table.spans(clause)]
        for kind, name, words, start, end in spans:
            inside = any(s <= start and end <= e and (e - s) > (end - start)
                         for _, _, _, s, e in spans)
            # "third-party service providers": "third-party" only qualifies the recipient.
            qualifier = name == "third parties" and any(
                k == "recipient" and n != name and end < s <= end + 2
                for k, n, _, s, _ in spans)
            if not inside and not qualifier:
                items.setdefault(f"{kind}:{name}", (kind, words))
    return items


# How far a recipient takes data from the user: swapping one recipient for another of no
# greater reach ("third parties who perform services" -> "service providers") is no change.
RECIPIENT_REACH: dict[str, int] = {
    "data brokers": 5, "advertisers": 5, "AI providers": 4, "third parties": 3,
    "business partners": 3, "government": 3, "insurers": 3, "employers": 3, "affiliates": 2,
    "service providers": 1,
}


def recipient_reach(keys: object) -> int:
    return max((RECIPIENT_REACH.get(str(k).split(":", 1)[1], 3) for k in keys  # type: ignore[attr-defined]
                if str(k).startswith("recipient:")), default=0)


def item_severity(group: str, key: str, profile: Profile) -> Severity:
    """How bad it is that this item newly joins an exposure."""
    kind, name = key.split(":", 1)
    if kind == "data" and name in SENSITIVE_PATTERNS.names:
        return "high"
    if kind == "recipient" and name == "service providers":
        return "low"  # processors acting for the company
    if kind == "recipient" and name in HIGH_RECIPIENTS and group in ("share", "sell"):
        return "high"
    if kind == "purpose" and name == "advertising" and group in ("share", "sell"):
        return "high"
    if "children" in profile.topics and group in ("collect", "share", "sell"):
        return "high"
    return "medium"


# What a user right or an opt-out is about: a right of access does not restate a right to delete.
_PROTECTION_OBJECTS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "right": (
        ("access", regex(r"\b(?:access|copy|know|confirm\w*)\b")),
        ("deletion", regex(r"\b(?:delet\w*|eras\w+|remov\w+|forgotten)\b")),
        ("correction", regex(r"\b(?:correct\w*|rectif\w+|amend|updat\w+)\b")),
        ("portability", regex(r"\b(?:portab\w+|download|export|transfer)\b")),
        ("objection", regex(r"\b(?:object\w*|opt[- ]?out|withdraw)\b")),
        ("restriction", regex(r"\b(?:limit\w*|restrict\w*)\b")),
        ("appeal", regex(r"\b(?:appeal|complain\w*|lodge)\b")),
    ),
    "optout": (
        ("sale", regex(r"\b(?:sale|sell\w*|sold)\b")),
        ("sharing", regex(r"\b(?:shar\w+|disclos\w+)\b")),
        ("advertising", regex(r"\b(?:advertis\w+|ads|targeted|interest-based)\b")),
        ("marketing", regex(r"\b(?:marketing|promotional|newsletters?|e-?mails?|messages)\b")),
        ("cookies", regex(r"\b(?:cookies?|tracking|analytics)\b")),
        ("profiling", regex(r"\b(?:profil\w+|automated)\b")),
        ("ai", regex(r"\b(?:ai|train\w*|models?)\b")),
    ),
}


def protection_items(group: str, fact: Fact) -> frozenset[str]:
    """The objects a right or opt-out is about, named in its clause."""
    return frozenset(name for name, pattern in _PROTECTION_OBJECTS.get(group, ())
                     if pattern.search(fact.clause))


def item_categories(key: str) -> tuple[str, ...]:
    kind, name = key.split(":", 1)
    if kind == "data" and name in SENSITIVE_PATTERNS.names:
        return ("sensitive_data",)
    if kind == "purpose" and name == "AI training":
        return ("ai_training",)
    return ()


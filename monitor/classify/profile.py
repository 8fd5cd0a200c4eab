"""What one piece of policy text says: its practice facts, the data, recipients and purposes
they touch, and its quantities. Rules compare two profiles (old and new) or judge one alone."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from . import lexicon as lx
from .patterns import lazy, regex
from .quantity import Duration, ages, durations, longest, notice_days
from .scope import EXPOSURE_RANK, EXPOSURES, PROTECTION_RANK, Fact, Stance, facts_in

# Practices compared as one: rewording "collect" as "obtain" or "use" is not a change.
GROUPS: dict[str, str] = {
    "sell": "sell", "share": "share", "transfer": "share", "collect": "collect",
    "use": "collect", "train": "train", "track": "track", "signals": "signals",
    "retain": "retain", "notify": "notify",
    "consent": "consent", "optout": "optout", "right": "right", "delete": "delete",
    "secure": "secure",
}
# A list item under a heading like "Information we collect" inherits the heading's practice.
SECTION_PRACTICE = [
    ("share", regex(r"\b(?:shar|disclos|third[- ]part|recipients|who (?:we|has access))")),
    ("collect", regex(r"\b(?:collect|information we|data we|we (?:receive|obtain|gather)|"
                      r"categories of (?:personal )?(?:information|data)|what (?:information|"
                      r"data))")),
]
# The CCPA link text "Do Not Sell My Personal Information" names a choice, it is no denial.
_DNS_LINK = regex(r"\bdo not (?:sell|share)(?: or (?:sell|share))? my (?:personal )?(?:information|"
                  r"data|info)\b")
# "Do Not Track" names a browser signal; its "not track" is no promise about tracking.
_DNT_NAME = regex(r"\bdo[- ]not?[- ]track\b")
_MD_LINK = regex(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARK = regex(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|^#+\s*")
# Cloudflare's e-mail obfuscation turns addresses into "[email protected]" in some captures.
_OBFUSCATED = regex(r"\[?email(?:&#160;|\s)protected\]?")
# The title of a law or of another notice names data types without stating any practice
# ("our Washington State Consumer Health Data Privacy Policy").
_NAMED_TEXT = lazy(r"(?:\b(?!(?:This|Our|The|These|Its|Your|Any)\b)[A-Z][\w'’.-]*\s+){2,8}"
                   r"(?:Privacy\s+)?(?:Policy|Notice|Act|Law|Statement|Regulation)\b", 0)
_PERSON = regex(r"\b(?:we|you|our|us)\b")
CONTEXT = {
    "retention": regex(r"\b(?:retain\w*|retention|keep|kept|store[ds]?|delete[ds]?|deletion|"
                       r"erase[ds]?|hold|storage)\b"),
    "children": lx.CATEGORY_CUES["children"],
    "notice": regex(r"\b(?:notice|notify|notif\w+)\b"),
}


@dataclass
class Profile:
    text: str
    section: str | None
    facts: list[Fact] = field(default_factory=list)
    topics: set[str] = field(default_factory=set)
    retention: Duration | None = None
    min_age: tuple[int, str] | None = None
    notice: tuple[float, str] | None = None
    # "use" or "process" naming no purpose or sensitive data: too common to count as a
    # practice, but enough to say an edited sentence already stated one (see rules.compare).
    weak: list[Fact] = field(default_factory=list)

    def group_facts(self, group: str) -> list[Fact]:
        return [f for f in self.facts if GROUPS[f.practice] == group]

    def strongest(self, group: str) -> Fact | None:
        """The fact of a practice group that goes furthest: the most exposure for exposures,
        the firmest promise for protections."""
        found = self.group_facts(group)
        if not found:
            return None
        ranks = EXPOSURE_RANK if group in EXPOSURES else PROTECTION_RANK
        return max(found, key=lambda f: ranks[f.stance])


# Telling users about changes or breaches is a protection; "let you know about our offers" is not.
_NOTICE_ABOUT = regex(r"\b(?:chang\w*|updat\w*|amend\w*|modif\w*|revis\w*|breach\w*|"
                      r"incidents?|before|prior|advance|in advance|new purposes?)\b")


def _keep(fact: Fact, clause_items: bool) -> bool:
    """Drop verbs that say nothing about the company's practice."""
    if fact.by_user:
        return False
    if fact.practice == "notify" and not _NOTICE_ABOUT.search(fact.clause):
        return False
    # "use" alone is everywhere ("by using our site"); it matters with a purpose or a data type.
    return fact.practice != "use" or clause_items


def _clause_has_items(clause: str) -> bool:
    return lx.PURPOSE_PATTERNS.search(clause) or lx.SENSITIVE_PATTERNS.search(clause)


def is_heading(text: str) -> bool:
    """A short title ("Sale of Data", "2. Personal Data to be collected") states no practice."""
    stripped = text.strip().lstrip("*-•# ").strip()
    if len(stripped.split()) > 12:
        return False
    return stripped.endswith("?") or (
        len(stripped.split()) <= 10 and not stripped.endswith((".", "!", ";", ":"))
        and not _PERSON.search(stripped))


_FINITE = regex(r"\b(?:is|are|was|were|has|have|will|may|can|means|includes?)\b")


def _looks_like_list_item(text: str) -> bool:
    """A bullet or a short fragment, not a full sentence of its own ("Sensitive data is a
    subset of personal data." is a sentence under "Categories of Personal Data", not an item)."""
    stripped = text.strip()
    if stripped.startswith(("*", "-", "•", "—", "–")):
        return True
    return not _FINITE.search(stripped) and (
        len(stripped.split()) <= 12 or not stripped.endswith("."))


def _clause_has_list_items(text: str) -> bool:
    return any(table.search(text) for table in (lx.SENSITIVE_PATTERNS, lx.ORDINARY_PATTERNS,
                                                  lx.RECIPIENT_PATTERNS))


def _retarget(fact: Fact) -> Fact:
    """Using data to train AI models is its own practice, not plain use."""
    if fact.practice == "use" and lx.AI_TRAINING.search(fact.clause):
        fact.practice = "train"
    return fact


_CHOICE_HEADING = regex(r"\b(?:opt[- ]?out|rights?|choices?|requests?|limit)\b")
_DENIAL = regex(r"\b(?:not|never|no)\b|n't\b|n’t\b")


def _section_facts(text: str, section: str | None) -> list[Fact]:
    """A list item under "Information we collect" is collected; a sentence that denies
    something under that heading is not."""
    if not section or _DENIAL.search(text):
        return []
    heading = section.split("›")[-1]
    if _CHOICE_HEADING.search(heading):
        return []  # items under "Right to Opt-out of the Sale or Sharing" are not shared
    stance: Stance = "denied" if _DENIAL.search(heading) else "asserted"
    for practice, pattern in SECTION_PRACTICE:
        if pattern.search(heading):
            return [Fact(practice, stance, heading.strip(), text, False, listed=True)]
    return []


def topics_of(text: str) -> set[str]:
    return set(_topics(text))  # a set of the caller's own: the cached one stays as it is


@functools.lru_cache(maxsize=8192)
def _topics(text: str) -> frozenset[str]:
    """Remembered: a profile's sentence and the section headings of its units come back (the
    headings once per unit under them) and each costs a scan per category."""
    found = {cat for cat, pattern in lx.CATEGORY_CUES.items() if pattern.search(text)}
    if lx.SENSITIVE_PATTERNS.search(text):
        found.add("sensitive_data")
    return frozenset(found)


def build(text: str | None, section: str | None = None) -> Profile:
    text = text or ""
    cleaned = _MD_MARK.sub("", _MD_LINK.sub(r"\1", _OBFUSCATED.sub("", text)))
    cleaned = _DNS_LINK.sub("Your Privacy Choices", cleaned)
    cleaned = _NAMED_TEXT.sub("that notice", cleaned)
    cleaned = _DNT_NAME.sub("DNT", cleaned)
    found = [] if is_heading(cleaned) else [
        f for f in facts_in(cleaned) if not f.by_user]
    facts = [_retarget(f) for f in found if _keep(f, bool(_clause_has_items(f.clause)))]
    if not facts and _looks_like_list_item(cleaned) and _clause_has_list_items(cleaned):
        facts += _section_facts(cleaned, section)
    profile = Profile(text=text, section=section, facts=facts,
                      topics=topics_of(_OBFUSCATED.sub("", text)),
                      weak=[f for f in found if f.practice == "use" and f not in facts])
    if CONTEXT["retention"].search(cleaned):
        profile.retention = longest(durations(cleaned))
    if CONTEXT["children"].search(cleaned):
        found_ages = ages(cleaned)
        profile.min_age = min(found_ages) if found_ages else None
    if CONTEXT["notice"].search(cleaned):
        found_notice = notice_days(cleaned)
        profile.notice = min(found_notice) if found_notice else None
    return profile


@functools.lru_cache(maxsize=8192)
def build_cached(text: str | None, section: str | None = None) -> Profile:
    """`build`, remembered (profiles are not mutated after): consecutive versions of a policy
    share most sentences, and the document pools profile the same ones again."""
    return build(text, section)

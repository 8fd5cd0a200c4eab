"""What one piece of policy text says: its practice facts, the data, recipients and purposes
they touch, and its quantities. Rules compare two profiles (old and new) or judge one alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import lexicon as lx
from .patterns import regex
from .quantity import Duration, ages, durations, longest, notice_days
from .scope import EXPOSURE_RANK, EXPOSURES, PROTECTION_RANK, Fact, facts_in

# Practices compared as one: rewording "collect" as "obtain" or "use" is not a change.
GROUPS: dict[str, str] = {
    "sell": "sell", "share": "share", "transfer": "share", "collect": "collect",
    "use": "collect", "train": "train", "track": "track", "signals": "signals", "retain": "retain", "notify": "notify",
    "consent": "consent", "optout": "optout", "right": "right", "delete": "delete",
    "secure": "secure",
}
# A list item under a heading like "Information we collect" inherits the heading's practice.
_SECTION_PRACTICE = [
    ("share", regex(r"\b(?:shar|disclos|third[- ]part|recipients|who (?:we|has access))")),
    ("collect", regex(r"\b(?:collect|information we|data we|we (?:receive|obtain|gather)|"
                      r"categories of (?:personal )?(?:information|data)|what (?:information|"
                      r"data))")),
]
# The CCPA link text "Do Not Sell My Personal Information" names a choice, it is no denial.
_DNS_LINK = regex(r"\bdo not (?:sell|share)(?: or (?:sell|share))? my (?:personal )?(?:information|"
                  r"data|info)\b")
# "Do Not Track" names a browser signal; its "not track" is no promise about tracking.
_DNT_NAME = regex(r"\bdo[- ]not[- ]track\b")
_CONTEXT = {
    "retention": regex(r"\b(?:retain\w*|retention|keep|kept|store[ds]?|delete[ds]?|deletion|"
                       r"erase[ds]?|hold|period)\b"),
    "children": lx.CATEGORY_CUES["children"],
    "notice": regex(r"\b(?:notice|notify|notif\w+|chang\w+|updat\w+)\b"),
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


def _keep(fact: Fact, clause_items: bool) -> bool:
    """Drop verbs that say nothing about the company's practice."""
    if fact.by_user:
        return False
    # "use" alone is everywhere ("by using our site"); it matters with a purpose or a data type.
    return fact.practice != "use" or clause_items


def _clause_has_items(clause: str) -> bool:
    return any(p.search(clause) for p in (*lx.PURPOSE_PATTERNS.values(),
                                          *lx.SENSITIVE_PATTERNS.values()))


def _clause_has_list_items(text: str) -> bool:
    return any(p.search(text) for table in (lx.SENSITIVE_PATTERNS, lx.ORDINARY_PATTERNS,
                                              lx.RECIPIENT_PATTERNS) for p in table.values())


def _retarget(fact: Fact) -> Fact:
    """Using data to train AI models is its own practice, not plain use."""
    if fact.practice == "use" and lx.PURPOSE_PATTERNS["AI training"].search(fact.clause):
        fact.practice = "train"
    return fact


def _section_facts(text: str, section: str | None) -> list[Fact]:
    if not section:
        return []
    heading = section.split("›")[-1]
    for practice, pattern in _SECTION_PRACTICE:
        if pattern.search(heading):
            return [Fact(practice, "asserted", heading.strip(), text, False)]
    return []


def topics_of(text: str) -> set[str]:
    found = {cat for cat, pattern in lx.CATEGORY_CUES.items() if pattern.search(text)}
    if any(p.search(text) for p in lx.SENSITIVE_PATTERNS.values()):
        found.add("sensitive_data")
    return found


def build(text: str | None, section: str | None = None) -> Profile:
    text = text or ""
    cleaned = _DNS_LINK.sub("opt out of the sale of personal information", text)
    cleaned = _DNT_NAME.sub("DNT", cleaned)
    facts = [_retarget(f) for f in facts_in(cleaned) if _keep(f, _clause_has_items(f.clause))]
    if not facts and _clause_has_list_items(cleaned):
        facts += _section_facts(cleaned, section)
    profile = Profile(text=text, section=section, facts=facts, topics=topics_of(cleaned))
    if _CONTEXT["retention"].search(cleaned):
        profile.retention = longest(durations(cleaned))
    if _CONTEXT["children"].search(cleaned):
        found_ages = ages(cleaned)
        profile.min_age = min(found_ages) if found_ages else None
    if _CONTEXT["notice"].search(cleaned):
        found_notice = notice_days(cleaned)
        profile.notice = min(found_notice) if found_notice else None
    return profile


def items_for(facts: list[Fact], table: dict[str, object]) -> dict[str, str]:
    """Canonical item -> words, over the clauses of the given facts."""
    found: dict[str, str] = {}
    for clause in dict.fromkeys(f.clause for f in facts):
        for name, words in lx.found_items(table, clause).items():  # type: ignore[arg-type]
            found.setdefault(name, words)
    return found

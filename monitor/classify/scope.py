"""Negation and modality scope: for each practice verb in a clause, is it asserted, denied,
allowed only with consent, merely permitted, or explicitly done without asking?

A sentence is split into clauses (at `;`, "but", "however", ", and we" ...); a negator or modal
counts for a verb only when it stands in the same clause, before the verb, and no subordinating
word ("that", "if", "which" ...) comes between them. Deliberately simple and explainable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .descriptive import business_sale, describes
from .lexicon import ORDINARY_PATTERNS, SENSITIVE_PATTERNS
from .patterns import regex

_DATA_TABLES = (SENSITIVE_PATTERNS, ORDINARY_PATTERNS)

Practice = Literal[
    "sell", "share", "collect", "use", "track", "retain", "transfer",
    "notify", "consent", "optout", "right", "delete", "secure", "train", "signals",
]
# Exposures: doing more of these is worse for the user. Protections: doing less is worse.
EXPOSURES: frozenset[str] = frozenset(
    {"sell", "share", "collect", "use", "track", "retain", "transfer", "train"})
PROTECTIONS: frozenset[str] = frozenset(
    {"notify", "consent", "optout", "right", "delete", "secure", "signals"})

# How far a stance lets the practice go, for exposures (higher = more exposure).
# "limited": done only for a stated purpose or recipient ("is only used to", "solely with"):
# an allow-list, ranked with promises, but one that grows worse as it lists more.
Stance = Literal["denied", "gated", "limited", "permitted", "asserted", "unasked"]
EXPOSURE_RANK: dict[str, int] = {
    "denied": 0, "gated": 1, "limited": 1, "permitted": 2, "asserted": 3, "unasked": 4}
# How firmly a protection is promised (higher = stronger protection).
PROTECTION_RANK: dict[str, int] = {
    "denied": 0, "unasked": 0, "permitted": 1, "gated": 1, "limited": 1, "asserted": 2}

_VERBS: dict[str, str] = {
    "sell": r"sell|sells|selling|sold|rent|rents|renting|rented|"
            r"trade (?:your |personal |user )?(?:information|data)|"
            r"(?:sale|sales) of (?:your |users'? |customers'? )?(?:personal |account |usage )?"
            r"(?:information|data)",
    "share": r"share|shares|shared|sharing|disclose|discloses|disclosed|disclosing|disclosure|"
             r"release|releases|released|make (?:[\w-]+ ){0,3}?available|made available|"
             r"provide (?:it |them |this |such |your |personal )?(?:\w+ )?"
             r"(?:information |data )?to",
    "transfer": r"transfer|transfers|transferred|transferring",
    "collect": r"collect|collects|collected|collecting|gather|gathers|gathered|gathering|"
               r"obtain|obtains|obtained|capture|captures|captured|record|records|recorded|"
               r"receive|receives|received|access|accesses|accessed|scan|scans|scanned",
    "use": r"use|uses|used|process|processes|processed|analy[sz]e|"
           r"analy[sz]es|analy[sz]ed|train|trains|trained|training",
    "track": r"track|tracks|tracked|tracking(?! (?:settings|preferences|controls|tools|"
             r"protection|prevention))|(?<!who )(?<!that )follow you|monitor|monitors|monitored",
    "retain": r"retain|retains|retained|keep|keeps|kept|store|stores|stored|hold|holds|"
              r"preserve|preserves|preserved",
    "notify": r"notify|notifies|notified|inform you|informs you|tell you|let you know|"
              r"(?:provide|give|send|post) (?:you )?(?:with )?(?:a )?(?:prior |advance |"
              r"additional |reasonable |appropriate )?notice|"
              r"email you",
    "consent": r"ask (?:for )?your (?:permission|consent)|ask you (?:for|before)|"
               r"ask for (?:your )?(?:permission|consent)|obtain your (?:\w+ )?consent|"
               r"seek your (?:\w+ )?consent|request your (?:\w+ )?consent|"
               r"get your (?:\w+ )?consent",
    "optout": r"opt[- ]?out|unsubscribe|withdraw (?:your )?consent|object to|turn off|"
              r"disable|choose not to(?! (?:provide|give|share|disclose|submit))|"
              r"ask us to stop|stop (?:using|processing|sending)",
    "right": r"(?:have|has) (?:the|a) right to|are entitled to|may request|can request|"
             r"request (?:access|deletion|correction|a copy)|access, correct|"
             r"(?:access|correct|delete|download|export) your (?:personal )?(?:information|data)",
    "delete": r"delete|deletes|deleted|erase|erases|erased|destroy|destroys|destroyed|"
              r"anonymi[sz]e|anonymi[sz]es|anonymi[sz]ed|de-identify|de-identified",
    "signals": r"honou?r|honou?rs|respond to|responds to|recogni[sz]e|recogni[sz]es|"
               r"support|supports|respect|respects|process|processes|treat|treats|act on|acts on",
    # "Encrypted Messages" names a feature; "data is encrypted in transit" states a safeguard.
    "secure": r"encrypt|encrypts|encrypted(?=\s*$|\s*[,.;)]|\s+(?:in|at|with|using|by|and|"
              r"or|during|when|while|before|to|so|on)\b)|(?:protect|protects|protected|safeguard|safeguards|"
              r"secure|secures|secured)(?= (?:the |your |all |such |this |that |any |personal |"
              r"user )*(?:personal |sensitive )?(?:information|data|content|details|it|them|"
              r"accounts?|pii?)\b)",
}
VERB_PATTERNS: dict[str, re.Pattern[str]] = {
    practice: regex(rf"(?<![\w-])(?:{body})(?![\w-])") for practice, body in _VERBS.items()
}

_CLAUSE_SPLIT = regex(
    r";|\s+but\s+|,\s*however,?\s+|\.\s+however,?\s+|,\s*and\s+(?=we\b|you\b|they\b)|"
    r",\s*while\s+|,\s*whereas\s+|\s+except\s+that\s+|(?<=[.!?])\s+(?=[A-Z\"“(])")
_BARRIER = regex(r"\b(?:that|which|who|whom|if|when|whether|unless|until|because|so|where|"
                 r"what|how)\b")
_NEGATION = regex(
    r"\b(?:not|never|no longer|cannot|neither|nor|without|none)\b|n't\b|n’t\b|\bno\b")
_PERMISSIVE = regex(
    r"\b(?:may|might|can|could|reserve the right to|are (?:free|permitted|allowed) to|"
    r"is (?:permitted|allowed) to)\b")
_OBLIGATION = regex(r"\b(?:will|shall|must|would|are required to|is required to|commit to)\b")
_GATE = regex(
    r"\b(?:without (?:first )?(?:your |their |the user'?s? )?(?:\w+ )?(?:consent|permission|"
    r"authori[sz]ation)|only (?:with|after|if|when) (?:\w+ ){0,3}(?:consent|permission|"
    r"agree|opt)|with your (?:\w+ )?(?:consent|permission|authori[sz]ation)|unless you "
    r"(?:\w+ )?(?:consent|agree|opt|tell|ask|choose)|if you (?:\w+ )?(?:consent|agree|opt[- ]in|"
    r"choose to)|(?:upon|after) (?:obtaining |receiving )?your (?:\w+ )?(?:consent|permission)|"
    r"ask (?:for )?your (?:permission|consent) (?:first|before)|will ask before)\b")
# Restrictive modality, before the verb ("we only share") or right after it ("used solely to").
_RESTRICTIVE_BEFORE = regex(r"\b(?:only|solely|exclusively|strictly)\b")
_RESTRICTIVE_AFTER = regex(
    r"^\W*(?:(?:\w+\W+){0,4}?(?:only|solely|exclusively|strictly) (?:to|for|with|in|as|when|"
    r"if|where|by|within)|(?:\w+\W+){0,2}?(?:limited|restricted) to|(?:\w+\W+){0,6}?"
    r"(?:no|any) longer than|(?:\w+\W+){0,6}?(?:no more|not more) than)\b")
# Sale and AI training stay what they are, however narrowly they are described.
_NOT_LIMITABLE = frozenset({"sell", "train"})
_UNASKED = regex(
    r"\bwithout (?:asking|notice|notifying|first asking|your (?:\w+ )?(?:consent|permission|"
    r"knowledge)|obtaining your consent|prior notice|further notice|informing)\b")
# "opt out of the sale of your data" names a choice about a practice; it does not assert it.
_CHOICE_ABOUT = regex(r"\b(?:opt(?:[- ]?out)? of|object to|limit|right to|request to)\s+"
                      r"(?:the\s+|any\s+|our\s+)?$")
# A verb right after a determiner is a noun ("the App Store", "your use"); a participle right
# after a data noun is a description ("data received in reliance on ..."), not an assertion.
_DETERMINER = regex(r"\b(?:the|a|an|our|your|their|its|this|that)\s+$")
_DATA_NOUN_BEFORE = regex(
    r"\b(?:information|data|details|content|identifiers?|address(?:es)?|numbers?|records?|"
    r"history|messages|logs?|recordings?|files?|photos|videos|images)\s+$")
_PARTICIPLE = regex(r"(?:ed|sold|kept|held|made available)$")
# Sharing and collecting say something only about data (not "disclose our certification").
_NEEDS_OBJECT = frozenset({"sell", "share", "transfer", "collect", "use", "retain", "track"})
# Verbs inside "if ...", "whether ...", "what ... we collect" describe, they do not assert.
_HYPOTHETICAL = regex(r"\b(?:if|whether|in the event|in case|what|how)\s*$")
# "If you disable cookies, ..." states a consequence; "if you wish to opt out, ..." a choice.
_CONSEQUENCE = regex(r"\b(?:if|when|once|even if|after) (?:you|users?) (?:\w+ ){0,2}$")
_WISH = regex(r"\b(?:wish|want|would like|prefer|choose|decide)s? to\s*$")
# "If you consent, we share ...": a comma and a new subject end the hypothetical.
_MAIN_CLAUSE = regex(r",\s*(?:we|you|they|it|[A-Z]\w+)\b")
# "use" and "process" say something only when data follows ("we use encryption" does not).
_DATA_OBJECT = regex(
    r"^\W*(?:\w+\W+){0,5}?(?:information|data|content|details|history|location|address(?:es)?|"
    r"identifiers?|messages|photos|posts|voice|recordings?|it|them|images|biometrics?|"
    r"metadata|names?|e-?mail|cookies|usage|activity|ip|pii?)\b")
# What can be tracked: data, or the people and devices themselves.
_TRACK_OBJECT = regex(r"^\W*(?:\w+\W+){0,5}?(?:you|your|users?|visitors?|devices?|browsing|"
                      r"behaviou?r|activit(?:y|ies)|location|usage|ip|interactions?|clicks?|"
                      r"purchases?|which)\b")
_PRONOUN = regex(r"\b(?:we|you|they|it|he|she|i)\b")
_DATA_NOUN_IN = regex(r"\b(?:information|data|details|content|identifiers?|address(?:es)?|"
                      r"history|messages|photos|posts|recordings?|location|it|them|pii?)\b")
_RECIPIENT_NEXT = regex(r"^\W*(?:\w+\W+){0,3}?(?:with|to)\s+(?:\w+\s+){0,3}?(?:third|partners?|"
                        r"affiliates?|advertisers?|vendors?|service providers?|companies|"
                        r"others|government|law enforcement|authorities|brokers?)\b")
_USER_SUBJECT = regex(r"\b(?:you|users?|visitors?|members?)\b(?![\w']*\s+(?:information|data))")
_COMPANY_SUBJECT = regex(r"\b(?:we|us|our|it|they|company|service providers?|partners?)\b")
_AUX_WORDS = frozenset([
    "do", "does", "did", "not", "never", "n't", "will", "would", "may", "might", "can", "could",
    "shall", "should", "must", "be", "been", "is", "are", "was", "were", "also", "only", "ever",
    "no", "longer", "under", "any", "circumstances", "generally", "currently", "sometimes",
    "don't", "won't", "doesn't", "cannot", "can't", "wont", "dont", "doesnt", "reserve", "the",
    "right", "to", "automatically", "directly", "knowingly", "further", "otherwise",
])


@dataclass
class Fact:
    """One practice verb in one clause, with its stance and the words that decide it."""

    practice: str
    stance: Stance
    phrase: str  # e.g. "does not sell", quoted in reasons
    clause: str
    by_user: bool  # the user, not the company, does it ("you can share ...")
    negated: bool = False  # a promise not to ("will not share without consent")
    listed: bool = False  # a list item under a heading that names the practice; phrase = heading


def clauses(text: str) -> list[str]:
    return [part.strip() for part in _CLAUSE_SPLIT.split(text) if part and part.strip()]


def _decisive_phrase(before: str, verb: str) -> str:
    """The auxiliaries, negators and modals right before the verb, plus the verb."""
    tokens = before.split()
    kept: list[str] = []
    for token in reversed(tokens[-7:]):
        if token.lower().strip(",") not in _AUX_WORDS:
            break
        kept.insert(0, token.strip(","))
    return " ".join([*kept, verb]).strip()


def _phrase(clause: str, match: re.Match[str], window: str, tail: str, stance: Stance) -> str:
    """The decisive words: auxiliaries and verb, widened to the consent condition if any."""
    core = _decisive_phrase(clause[:match.start()], match.group(0))
    own = _after_subject(window)
    marker = _NEGATION.search(own) or _PERMISSIVE.search(own) or _OBLIGATION.search(own)
    if marker and len(own) - marker.start() <= 60 and len(core.split()) == 1:
        core = " ".join(own[marker.start():].split() + [match.group(0)])
    if stance not in ("gated", "unasked"):
        return core
    condition = _UNASKED if stance == "unasked" else _GATE
    before = condition.search(window)
    if before:
        return " ".join(window[before.start():].split() + [match.group(0)])
    after = condition.search(tail)
    if after and after.start() <= 60:
        return " ".join([core, *tail[:after.end()].split()])
    return core


def _stance(own: str, window: str, tail: str, practice: str = "") -> Stance:
    """`own`: the words between subject and verb; `window`: the clause up to the verb."""
    negated = bool(_NEGATION.search(own))
    gated = bool(_GATE.search(window + " " + tail))
    if negated and gated:
        return "gated"
    limited = practice in EXPOSURES and practice not in _NOT_LIMITABLE and bool(
        _RESTRICTIVE_BEFORE.search(own) or _RESTRICTIVE_AFTER.search(tail))
    if negated:
        # "will not keep it longer than necessary" limits, it does not deny.
        return "limited" if limited else "denied"
    if limited and not gated and not _UNASKED.search(tail[:120]):
        return "limited"
    if _UNASKED.search(tail[:120]) or _UNASKED.search(own):
        return "unasked"
    if gated:
        return "gated"
    if _PERMISSIVE.search(own):
        return "permitted"
    return "asserted"


def _window(clause: str, start: int) -> str:
    """The clause text before a verb, cut at the last subordinating word, and at the last comma
    when a new subject follows it ("Although we do not sell data, residents may opt out")."""
    before = clause[max(0, start - 90):start]
    barriers = list(_BARRIER.finditer(before))
    if barriers:
        before = before[barriers[-1].end():]
    comma = before.rfind(",")
    if comma >= 0 and len(before[comma + 1:].split()) >= 3:
        before = before[comma + 1:]
    return before


_SIGNAL = regex(r"\b(?:dnt|global privacy control|gpc|opt-out preference signals?|"
               r"browser signals?|universal opt-out)\b")


_TO_US = regex(r"^\W*(?:[\w-]+\W+){0,5}?(?:with|to) (?:us|google|microsoft|meta|apple)\b")


def facts_in(text: str) -> list[Fact]:
    found: list[Fact] = []
    for clause in clauses(text):
        for verb_practice, pattern in VERB_PATTERNS.items():
            if verb_practice == "signals" and not _SIGNAL.search(clause):
                continue
            for match in pattern.finditer(clause):
                window = _window(clause, match.start())
                tail = clause[match.end():match.end() + 250]
                if not _asserts_practice(verb_practice, clause, match, window, tail):
                    continue
                own = _after_subject(window)
                if _FRAME_NEGATION.search(clause[:match.start()]):
                    own = "not " + own  # "In no case do we sell", "no knowledge that it sells"
                negated = bool(_NEGATION.search(own))
                practice = _redirected(verb_practice, clause, tail, negated)
                if practice in _THEIR_OWN and _THEY.search(_last_pronoun(window)):
                    continue  # "they use it to get medical care": someone else's practice
                subject_user = _last_subject_is_user(window)
                stance = _stance(own, window, tail, practice)
                if practice in PROTECTIONS and subject_user and stance == "permitted":
                    stance = "asserted"  # "you can opt out": the user's ability is the protection
                found.append(Fact(
                    practice=practice,
                    stance=stance,
                    phrase=_phrase(clause, match, window, tail, stance),
                    clause=clause,
                    by_user=subject_user and practice in EXPOSURES,
                    negated=negated,
                ))
    return found


def _redirected(practice: str, clause: str, tail: str, negated: bool) -> str:
    """Partners sharing "with us" is collection; data sold with the business is a transfer
    (but "except in a merger, we won't sell your data" stays a promise about sale)."""
    if practice == "share" and _TO_US.search(tail):
        return "collect"
    if practice == "sell" and not negated and business_sale(clause):
        return "transfer"
    return practice


_THEIR_OWN = frozenset({"use", "collect", "track"})
# A negation that governs the whole clause from before its subject or a "that".
_FRAME_NEGATION = regex(r"\b(?:in no case|under no circumstances|at no time|in no event|"
                        r"(?:do|does|did) not have (?:actual )?knowledge that|"
                        r"(?:is|are|am) not aware that)\b")
_THEY = regex(r"^they$")


def _last_pronoun(window: str) -> str:
    found = list(_PRONOUN.finditer(window))
    return found[-1].group(0) if found else ""


def _asserts_practice(practice: str, clause: str, match: re.Match[str], window: str,
                      tail: str) -> bool:
    """False for verbs that state no practice of the company: nouns, descriptions, choices
    about a practice, hypotheticals, and sharing or collecting of something that is not data."""
    before = clause[max(0, match.start() - 40):match.start()]
    verb = match.group(0).lower()
    if _DETERMINER.search(before) and not verb.startswith("sale"):
        return False
    if describes(practice, clause, match, window, tail):
        return False
    if _PARTICIPLE.search(verb) and _DATA_NOUN_BEFORE.search(before):
        return False
    governed = clause[:match.start() - len(window)]
    if practice == "optout" and _CONSEQUENCE.search(governed + window) and not _WISH.search(
            window):
        return False  # "If you disable cookies, parts of the site may not work"
    if practice in EXPOSURES and (_CHOICE_ABOUT.search(window) or (
            _HYPOTHETICAL.search(governed) and not _MAIN_CLAUSE.search(window))):
        return False
    if practice in _NEEDS_OBJECT:
        has_object = (_DATA_OBJECT.search(tail) or _DATA_NOUN_IN.search(window[-60:])
                      or any(table.search(tail[:80]) for table in _DATA_TABLES)
                      or (practice == "track" and _TRACK_OBJECT.search(tail)))
        if not has_object and not (practice != "use" and _RECIPIENT_NEXT.search(tail)):
            return False
    return True


def _after_subject(window: str) -> str:
    """The words between the verb's subject and the verb, where its negation and modal stand."""
    subjects = list(_PRONOUN.finditer(window))
    return window[subjects[-1].end():] if subjects else window


def _last_subject_is_user(window: str) -> bool:
    user = [m.start() for m in _USER_SUBJECT.finditer(window)]
    company = [m.start() for m in _COMPANY_SUBJECT.finditer(window)]
    return bool(user) and (not company or user[-1] > company[-1])

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

from .patterns import regex

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
Stance = Literal["denied", "gated", "permitted", "asserted", "unasked"]
EXPOSURE_RANK: dict[str, int] = {
    "denied": 0, "gated": 1, "permitted": 2, "asserted": 3, "unasked": 4}
# How firmly a protection is promised (higher = stronger protection).
PROTECTION_RANK: dict[str, int] = {
    "denied": 0, "unasked": 0, "permitted": 1, "gated": 1, "asserted": 2}

_VERBS: dict[str, str] = {
    "sell": r"sell|sells|selling|sold|rent|rents|renting|rented|trade|trades|trading|"
            r"(?:sale|sales) of (?:your |users'? |customers'? )?(?:personal |account |usage )?"
            r"(?:information|data)",
    "share": r"share|shares|shared|sharing|disclose|discloses|disclosed|disclosing|disclosure|"
             r"release|releases|released|make (?:it |them )?available|made available|"
             r"provide (?:it |them |this |such |your |personal )?(?:\w+ )?(?:information |data )?to",
    "transfer": r"transfer|transfers|transferred|transferring",
    "collect": r"collect|collects|collected|collecting|gather|gathers|gathered|gathering|"
               r"obtain|obtains|obtained|capture|captures|captured|record|records|recorded|"
               r"receive|receives|received|access|accesses|accessed|scan|scans|scanned",
    "use": r"use|uses|used|using|process|processes|processed|processing|analy[sz]e|"
           r"analy[sz]es|analy[sz]ed|train|trains|trained|training",
    "track": r"track|tracks|tracked|tracking|follow you|monitor|monitors|monitored",
    "retain": r"retain|retains|retained|keep|keeps|kept|store|stores|stored|hold|holds|"
              r"preserve|preserves|preserved",
    "notify": r"notify|notifies|notified|inform|informs|informed|tell you|let you know|"
              r"(?:provide|give|send) (?:you )?(?:with )?(?:prior |advance )?notice|"
              r"post a notice|email you",
    "consent": r"ask (?:for )?your (?:permission|consent)|ask you (?:for|before)|"
               r"ask for (?:your )?(?:permission|consent)|obtain your (?:\w+ )?consent|"
               r"seek your (?:\w+ )?consent|request your (?:\w+ )?consent|get your (?:\w+ )?consent",
    "optout": r"opt[- ]?out|unsubscribe|withdraw (?:your )?consent|object to|turn off|"
              r"disable|choose not to|decline",
    "right": r"(?:have|has) (?:the|a) right to|are entitled to|may request|can request|"
             r"request (?:access|deletion|correction|a copy)|access, correct|"
             r"(?:access|correct|delete|download|export) your (?:personal )?(?:information|data)",
    "delete": r"delete|deletes|deleted|erase|erases|erased|destroy|destroys|destroyed|"
              r"anonymi[sz]e|anonymi[sz]es|anonymi[sz]ed|de-identify|de-identified",
    "signals": r"honou?r|honou?rs|respond to|responds to|recogni[sz]e|recogni[sz]es|"
               r"support|supports|respect|respects|process|processes|treat|treats|act on|acts on",
    "secure": r"encrypt|encrypts|encrypted|protect|protects|protected|safeguard|safeguards|"
              r"secure|secures|secured",
}
VERB_PATTERNS: dict[str, re.Pattern[str]] = {
    practice: regex(rf"(?<![\w-])(?:{body})(?![\w-])") for practice, body in _VERBS.items()
}

_CLAUSE_SPLIT = regex(
    r";|\s+but\s+|,\s*however,?\s+|\.\s+however,?\s+|,\s*and\s+(?=we\b|you\b|they\b)|"
    r",\s*while\s+|,\s*whereas\s+|\s+except\s+that\s+|(?<=[.!?])\s+(?=[A-Z\"“(])")
_BARRIER = regex(r"\b(?:that|which|who|whom|if|when|whether|unless|until|because|so|where)\b")
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
_UNASKED = regex(
    r"\bwithout (?:asking|notice|notifying|first asking|your (?:\w+ )?(?:consent|permission|"
    r"knowledge)|obtaining your consent|prior notice|further notice|informing)\b")
_USER_SUBJECT = regex(r"\b(?:you|users?|visitors?|members?)\b(?![\w']*\s+(?:information|data))")
_COMPANY_SUBJECT = regex(r"\b(?:we|us|our|it|they|company|service providers?|partners?)\b")
_AUX_WORDS = frozenset(
    "do does did not never n't will would may might can could shall should must be been "
    "is are was were also only ever no longer under any circumstances generally currently "
    "sometimes don't won't doesn't cannot can't wont dont doesnt reserve the right to "
    "automatically directly knowingly further otherwise".split())


@dataclass
class Fact:
    """One practice verb in one clause, with its stance and the words that decide it."""

    practice: str
    stance: Stance
    phrase: str  # e.g. "does not sell", quoted in reasons
    clause: str
    by_user: bool  # the user, not the company, does it ("you can share ...")


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


def _stance(window: str, tail: str, practice: str) -> Stance:
    negated = bool(_NEGATION.search(window))
    gated = bool(_GATE.search(window + " " + tail))
    if negated and gated:
        return "gated"
    if negated:
        return "denied"
    if _UNASKED.search(tail) or _UNASKED.search(window):
        return "unasked"
    if gated:
        return "gated"
    if _PERMISSIVE.search(window):
        return "permitted"
    return "asserted"


def _window(clause: str, start: int) -> str:
    """The clause text before a verb, cut at the last subordinating word."""
    before = clause[max(0, start - 90):start]
    barriers = list(_BARRIER.finditer(before))
    return before[barriers[-1].end():] if barriers else before


_SIGNAL = regex(r"\b(?:dnt|global privacy control|gpc|opt-out preference signals?|"
               r"browser signals?|universal opt-out)\b")


def facts_in(text: str) -> list[Fact]:
    found: list[Fact] = []
    for clause in clauses(text):
        for practice, pattern in VERB_PATTERNS.items():
            if practice == "signals" and not _SIGNAL.search(clause):
                continue
            for match in pattern.finditer(clause):
                window = _window(clause, match.start())
                tail = clause[match.end():match.end() + 120]
                subject_user = _last_subject_is_user(window)
                stance = _stance(window, tail, practice)
                found.append(Fact(
                    practice=practice,
                    stance=stance,
                    phrase=_phrase(clause, match, window, tail, stance),
                    clause=clause,
                    by_user=subject_user and practice in EXPOSURES,
                ))
    return found


def _last_subject_is_user(window: str) -> bool:
    user = [m.start() for m in _USER_SUBJECT.finditer(window)]
    company = [m.start() for m in _COMPANY_SUBJECT.finditer(window)]
    return bool(user) and (not company or user[-1] > company[-1])

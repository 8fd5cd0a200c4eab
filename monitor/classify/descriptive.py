"""Practice words that name or describe a practice instead of stating the company's own.

Real policies are full of them: headings and labels ("Sharing of Personal Information",
"Received: 280"), the content of a right ("the right to know how we sell"), relative clauses
("the categories of data we collect"), instructions to the reader ("Use your EIN rather than a
Social Security number"), noun compounds ("data transfer mechanisms", "selling dealer"),
disclosures to the user themself ("we will disclose to you"), and the sale of a business.
Each rule here is one such pattern; `describes` says whether a verb match is one of them.
"""

from __future__ import annotations

import re

from .patterns import regex

# A practice named as a noun ("the sale of your data", "Sharing of Personal Information",
# "disclosure") states nothing unless a clause engages in it or denies it ("we do not engage in
# the sale of", "no sharing of").
_NOMINAL = regex(r"^(?:sales?|disclosures?|transfers?|records|\w+ing)$")
_NOMINAL_GOVERNOR = regex(r"\b(?:engage[sd]?|engaging|participate[sd]?|involve[sd]?|no|any|"
                          r"never)\s+(?:in\s+)?(?:the\s+|any\s+)?(?:[\w-]+\s+)?$")
# Verbs inside the description of a right or of what a notice explains.
_RIGHT_CONTEXT = regex(r"\b(?:rights? to|to (?:know|learn|request|understand|find out)|"
                       r"learn more about|requests? to (?:know|limit|access))\b")
_LEADING = regex(r"^[\W\d_]*$")
_AFTER_COMMA = regex(r",\s*$")
_LABEL = regex(r"^\s*:")
_RECORDS_SUBJECT = regex(r"\b(?:it|which|that|who|also|automatically|app|device|service)\s+$")
_DESCRIBED_DATA = regex(r"^\s+(?:or \w+ )?(?:personal )?(?:information|data|form)\b")
_NOUN_USE = regex(r"\b(?:for|in|of|its|their)\s+$")
_QUOTED = regex(r"[\"“‘']\s*$")
_PRONOUN = regex(r"\b(?:we|you|they|it|he|she|i)\b")
_NOT_A_VERB_AFTER = regex(r"^\s+(?:points?|tokens?|logs?|controls?|levels?|rights?|requests?|"
                          r"codes?|keys?)\b")
# "the information (that) we collect", "other data we hold": a relative clause that describes
# the data a sentence is about; the sentence's own verb states the practice, if any.
_RELATIVE = regex(r"\b(?:information|data|pii?|details|content|categories|types|kinds|"
                  r"purposes?|reasons?|ways?)\s+"
                  r"(?:(?:that|which)\s+)?(?:we|they|it)\s+(?:\w+\s+){0,2}$|"
                  r"\b(?:to|with|from|by) whom\b")
# A gerund after a preposition names a purpose ("our purpose for collecting or selling").
_PREPOSITION = regex(r"\b(?:for|of|about|regarding|on|concerning)\s+(?:\w+\s+(?:or|and)\s+)?$")
# After an -ing form, the words that keep it a verb ("sharing your data", "selling it to").
_VERB_OBJECT = regex(r"^\s*(?:your|the|our|their|this|that|these|those|such|any|all|some|"
                     r"personal|user|customer|consumer|data|information|it|them|or|and|with|"
                     r"to|of|in|for|certain|aggregated?|de-?identified|pii?)\b|^\s*[,;.:)]|^\s*$")
# "data transfer", "information sharing": a noun compound, not a statement.
_DATA_BEFORE = regex(r"\b(?:data|information)\s+$")
_TO_YOU = regex(r"^\s+(?:\w+\s+){0,2}?to you\b")
_BUSINESS_SALE = regex(r"\b(?:mergers?|acquisitions?|acquired|bankruptcy|reorgani[sz]ation|"
                       r"divestiture|insolvency|sale of (?:all|some|substantially|part|a portion|"
                       r"our (?:business|company|assets))|"
                       r"(?:sale|transfer) of (?:\w+ ){0,3}assets)\b")

EXPOSURE_WORDS = frozenset({"sell", "share", "collect", "use", "track", "retain", "transfer",
                            "train"})
_ING_PRACTICES = frozenset({"sell", "share", "collect", "transfer"})


def business_sale(clause: str) -> bool:
    """A sale of the business or its assets, in which data passes to the buyer: a transfer."""
    return bool(_BUSINESS_SALE.search(clause))


def describes(practice: str, clause: str, match: re.Match[str], window: str,
              tail: str) -> bool:
    """True for a practice word that names or describes rather than states."""
    verb = match.group(0)
    lower = verb.lower()
    start = match.start()
    head = clause[:start]
    if _NOT_A_VERB_AFTER.search(tail) and lower.startswith("access"):
        return True  # "Wi-Fi access points"
    if practice == "use" and _NOUN_USE.search(head[-12:]):
        return True  # "for use in measuring"
    if _LABEL.search(tail) and not _PRONOUN.search(window):
        return True  # "Requests to delete: Received: 1,175"
    if practice == "delete" and _DESCRIBED_DATA.search(tail) and lower.endswith("ed"):
        return True  # "anonymised information": a kind of data, not a deletion
    if practice not in EXPOSURE_WORDS:
        return False
    if practice == "share" and _TO_YOU.search(tail):
        return True  # "we will disclose to you the information you requested"
    if _LEADING.search(head) and verb[:1].isupper() and not lower.startswith("sale"):
        return True  # a bare verb opening a clause: an instruction, a label or a heading
    if _AFTER_COMMA.search(head) and " " not in verb and not lower.endswith(("s", "ed", "ing")):
        return True  # "For your own transactions, use your EIN": an instruction
    if lower == "records" and not _RECORDS_SUBJECT.search(head[-25:]):
        return True  # "education records", "disciplinary records": a noun
    nominal = lower.startswith(("sale", "disclosure")) or (
        _NOMINAL.search(verb) is not None and re.match(r"\s+of\b", tail) is not None)
    if nominal and not _NOMINAL_GOVERNOR.search(head[-60:]):
        return True
    if lower.endswith("ing") and practice in _ING_PRACTICES and (
            _PREPOSITION.search(head[-40:]) or not _VERB_OBJECT.search(tail)):
        return True  # "purpose for collecting", "selling dealer", "sharing functionality"
    if _DATA_BEFORE.search(head[-20:]) and not lower.endswith(("ed", "sold", "kept", "held")):
        return True  # "data transfer mechanisms", "information sharing"
    if _QUOTED.search(head) and not _PRONOUN.search(window):
        return True  # a defined term: businesses that "sell" personal information
    if _RELATIVE.search(head[-60:]):
        return True
    return bool(_RIGHT_CONTEXT.search(head))

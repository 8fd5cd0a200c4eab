"""Transfer mechanisms: the legal safeguard a policy names for sending data across borders
(Privacy Shield, the Data Privacy Framework, standard contractual clauses, adequacy decisions,
binding corporate rules, CBPR certification).

A sentence about the safeguard says how a transfer is protected, not that more data goes to more
recipients: it is a low finding of category "international". A safeguard newly stated is
better for the user, one dropped is worse, and one reworded is neither. When a change both drops
and states safeguards, one mechanism was swapped for another (Privacy Shield for the DPF): the
document's direction leaves those findings out (direction.py).
"""

from __future__ import annotations

from policywatch.monitor.model import ChangeUnit, severity_rank

from .candidates import Candidate
from .findings import Finding, Leaning, quote
from .patterns import regex

MECHANISM = "transfer mechanism"  # Finding.group of a safeguard finding

SAFEGUARD = regex(
    r"\b(?:privacy shields?|data privacy frameworks?|dpfs?|standard contractual clauses|sccs?|"
    r"model clauses|adequacy (?:decisions?|findings?|regulations?)|binding corporate rules|"
    r"bcrs?|cross[- ]border privacy rules|cbpr|prp system|(?:lawful |data )?transfer "
    r"mechanisms?|uk (?:extension|addendum|idta))\b")
# Changed words of these kinds say what data goes where, which a safeguard does not excuse.
EXPOSURE_KINDS = frozenset({"data", "recipient", "purpose", "ai", "children", "tracking"})


def _changed(c: Candidate) -> str:
    unit = c.unit
    if unit.kind == "modified":
        return " ".join(f"{deleted} {inserted}" for deleted, inserted in c.runs)
    return (unit.new if unit.kind == "added" else unit.old) or ""


def _about_mechanism(c: Candidate, findings: list[Finding]) -> str:
    """The safeguard words when the unit is about the transfer mechanism only, else ""."""
    unit = c.unit
    text = " ".join(t for t in (unit.old, unit.new) if t)
    named = SAFEGUARD.search(_changed(c)) or SAFEGUARD.search(text)
    if named is None or any(severity_rank(f.severity) >= 3 for f in findings):
        return ""  # a safeguard beside a sale or sensitive data does not excuse it
    if SAFEGUARD.search(_changed(c)):
        return named.group(0)
    # The safeguard stands in the unchanged words: the edit must name no data, recipient or
    # purpose, and no profile rule may have read more into it.
    explained = any(f.change != "unexplained" for f in findings)
    exposing = {t.kind for t in c.specific()} & EXPOSURE_KINDS
    return "" if explained or exposing else named.group(0)


def mechanism_findings(c: Candidate, findings: list[Finding], new_text: str) -> list[Finding]:
    """`findings`, or one "international" finding when the unit is about the safeguard: low,
    or medium when a safeguard is dropped and the new version (`new_text`, when known) names
    none at all (the transfers go on unprotected)."""
    words = _about_mechanism(c, findings)
    if not words:
        return findings
    unit = c.unit
    leaning, what = _leaning(unit)
    unprotected = leaning == "worse" and bool(new_text) and not SAFEGUARD.search(new_text)
    text = (unit.new if what != "removed" else unit.old) or ""
    reason = f"transfer safeguard {what}: {quote(_around(text, words), 110)}"
    before, after = SAFEGUARD.search(unit.old or ""), SAFEGUARD.search(unit.new or "")
    if before and after and before.group(0).lower() != after.group(0).lower():
        reason = f"transfer safeguard {quote(before.group(0))} became {quote(after.group(0))}"
    return [Finding(severity="medium" if unprotected else "low", direction=leaning,
                    categories=("international",), headline=f"transfer safeguard {what}: {words}",
                    reason=reason, group=MECHANISM)]


def _leaning(unit: ChangeUnit) -> tuple[Leaning, str]:
    if unit.kind == "added":
        return "better", "stated"
    if unit.kind == "removed":
        return "worse", "removed"
    old, new = bool(SAFEGUARD.search(unit.old or "")), bool(SAFEGUARD.search(unit.new or ""))
    if new and not old:
        return "better", "stated"
    if old and not new:
        return "worse", "removed"
    return "neutral", "reworded"


def _around(text: str, words: str, width: int = 100) -> str:
    text = " ".join(text.split())
    at = max(0, text.lower().find(words.lower()))
    start = text.rfind(" ", 0, max(0, at - width // 2)) + 1  # from the start of a word
    piece = text[start:start + width]
    return piece if start + width >= len(text) else piece.rsplit(" ", 1)[0]

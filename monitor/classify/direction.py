"""The direction of a whole change, from its material units.

The rubric's direction is that of the changes that matter most: "mixed" when the profile rules
explain changes of comparable weight both ways (COMPARABLE); otherwise the side whose changes
weigh DOMINANCE times the other's (weight: severity rank), else mixed. A direction guessed
from the words of an unexplained change should not make a new sale "mixed".

A protection stated right beside a practice the same change introduces ("you can opt out",
"recordings are deleted after 7 days", "we do not store the photos" next to a new AI use, a new
recording feature, a new photo sync) qualifies that practice: it is part of the new practice,
not a gain that offsets it, so it does not count toward the document's direction.
"""

from __future__ import annotations

from policywatch.monitor.model import ChangeUnit, Direction, severity_rank

from .findings import Finding
from .transfers import MECHANISM
from .unexplained import UNEXPLAINED

DOMINANCE = 1.5  # fitted on dev.json's `fit` half (bench/materiality.py)
# Explained changes both ways are "comparable" when the lighter side weighs at least a third of
# the heavier: a low gain against one high loss (a retention period shortened while a promise
# not to sell is reversed) is mixed; one low gain against a dozen explained losses is not.
COMPARABLE = 3
QUALIFIER_REACH = 2  # units between a new practice and a protection that qualifies it

Judged = tuple[int, ChangeUnit, list[Finding]]  # position in the diff, unit, its findings


def _introduces(unit: ChangeUnit, findings: list[Finding]) -> bool:
    return unit.kind == "added" and any(f.direction == "worse" for f in findings)


def qualifies_new_practice(judged: Judged, others: list[Judged]) -> bool:
    """An added sentence whose findings are all protections newly stated, within
    QUALIFIER_REACH units of an added sentence that introduces a practice."""
    position, unit, findings = judged
    if unit.kind != "added" or not findings:
        return False
    if not all(f.direction == "better" and f.change == "appeared" for f in findings):
        return False
    return any(abs(where - position) <= QUALIFIER_REACH and _introduces(other, found)
               for where, other, found in others)


def _swapped(judged: list[Judged]) -> bool:
    """Transfer safeguards both dropped and stated: one mechanism replaced by another."""
    leanings = {f.direction for _, _, findings in judged for f in findings
                if f.group == MECHANISM}
    return {"worse", "better"} <= leanings


def document_direction(judged: list[Judged]) -> Direction:
    weight = {"worse": 0, "better": 0}
    explained = {"worse": 0, "better": 0}  # weight of the units the profile rules explained
    swapped = _swapped(judged)
    for entry in judged:
        _, unit, findings = entry
        if qualifies_new_practice(entry, judged) or (
                swapped and all(f.group == MECHANISM for f in findings)):
            continue
        for side in (("worse", "better") if unit.direction == "mixed" else (unit.direction,)):
            if side in weight:
                weight[side] += severity_rank(unit.severity)
                if any(f.change != UNEXPLAINED for f in findings):
                    explained[side] += severity_rank(unit.severity)
    if min(explained.values()) * COMPARABLE >= max(explained.values()) > 0:
        return "mixed"
    worse, better = weight["worse"], weight["better"]
    if not worse and not better:
        return "neutral"
    if worse >= DOMINANCE * better:
        return "worse"
    return "better" if better >= DOMINANCE * worse else "mixed"

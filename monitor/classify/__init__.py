"""Material-change classifier: what each change of a policy means for the user.

`classify_diff` fills, for every change unit of a DiffResult, the categories it touches, its
severity, its direction (worse or better for the user's privacy), whether it is material, and a
reason quoting the decisive words; then the document-level fields and a one-line summary.
`classify_segment` labels one text segment (policywatch categories or OPP-115's ten).

Rules and lexicons only (see scope.py, quantity.py, lexicon.py, rules.py): no trained model.
"""

from __future__ import annotations

from collections.abc import Iterable

from policywatch.monitor.model import CATEGORIES, ChangeUnit, DiffResult, Direction, severity_rank

from .artifacts import has_holes, is_title, section_titles, unjudged
from .document import document_pool
from .findings import Finding
from .opp115 import label_opp115
from .profile import Profile, topics_of
from .profile import build_cached as build_profile
from .restated import Pool, drop_restated, upgrade_reversals
from .rules import compare, judge_added, judge_removed

__all__ = ["classify_diff", "classify_segment"]

MAX_REASONS = 3  # reasons quoted per unit


def classify_segment(text: str, taxonomy: str = "policywatch") -> list[str]:
    """Labels for one segment: policywatch CATEGORIES (["other"] when none applies) or, with
    taxonomy="opp115", OPP-115's top-level categories."""
    if taxonomy == "opp115":
        return label_opp115(text)
    if taxonomy != "policywatch":
        raise ValueError(f"unknown taxonomy {taxonomy!r}: use 'policywatch' or 'opp115'")
    found = topics_of(text)
    return [cat for cat in CATEGORIES if cat in found] or ["other"]


def _unit_findings(unit: ChangeUnit, profiles: dict[int, Profile]) -> list[Finding]:
    if unit.form_only or unit.kind == "moved":
        return []
    if unit.kind == "added":
        return judge_added(profiles[id(unit)])
    if unit.kind == "removed":
        return judge_removed(profiles[id(unit)])
    return compare(build_profile(unit.old, unit.section), build_profile(unit.new, unit.section))


def _apply(unit: ChangeUnit, findings: list[Finding]) -> None:
    findings = sorted(findings, key=lambda f: (-severity_rank(f.severity), f.direction != "worse"))
    material = [f for f in findings if f.severity != "none"]
    unit.material = bool(material)
    unit.severity = material[0].severity if material else "none"
    unit.direction = _direction(f.direction for f in material)
    found = {cat for f in material for cat in f.categories}
    unit.categories = [cat for cat in CATEGORIES if cat in found]
    if material:
        unit.reason = "; ".join(dict.fromkeys(f.reason for f in material[:MAX_REASONS]))
    elif unit.form_only:
        unit.reason = "change of form"
    elif unit.kind == "moved":
        unit.reason = "moved, wording unchanged"
    else:
        unit.reason = "no data practice changed"


def _direction(leanings: Iterable[str]) -> Direction:
    seen = set(leanings)
    if "worse" in seen and "better" in seen:
        return "mixed"
    if "worse" in seen:
        return "worse"
    return "better" if "better" in seen else "neutral"


def classify_diff(result: DiffResult, old_text: str | None = None,
                  new_text: str | None = None) -> DiffResult:
    """Fill the classifier fields of every unit and of the document; returns `result`.

    `old_text` and `new_text`, the two versions diffed, are optional but let a practice that
    is "now stated" be checked against everything the old version said (and a promise that
    "disappeared" against the whole new version), not only against the changed sentences."""
    stub = unjudged(result, old_text, new_text)
    if stub:
        for unit in result.changes:
            _apply(unit, [])
        _document(result, [])
        result.summary = stub
        return result
    profiles: dict[int, Profile] = {}
    added, removed = Pool(), Pool()
    for unit in result.changes:
        if unit.form_only or unit.kind == "moved":
            continue
        if unit.kind == "modified":  # what an edited sentence said before and after counts too
            removed.add(build_profile(unit.old, unit.section))
            added.add(build_profile(unit.new, unit.section))
            continue
        text = unit.new if unit.kind == "added" else unit.old
        profiles[id(unit)] = build_profile(text, unit.section)
        (added if unit.kind == "added" else removed).add(profiles[id(unit)])
    old_doc = document_pool(old_text) if old_text is not None else None
    new_doc = document_pool(new_text) if new_text is not None else None
    headlines: list[tuple[int, int, str]] = []
    titles = section_titles(result)
    for doc in (old_doc, new_doc):
        titles |= doc.titles if doc else set()
    for position, unit in enumerate(result.changes):
        artifact = is_title(unit, titles) or has_holes(unit)
        findings = [] if artifact else _unit_findings(unit, profiles)
        if findings:
            findings = drop_restated(findings, added, removed, old_doc, new_doc)
        if unit.kind == "added":
            findings = upgrade_reversals(findings, removed)
        _apply(unit, findings)
        if unit.material:
            top = max(findings, key=lambda f: (severity_rank(f.severity), f.direction == "worse"))
            where = f" ({unit.section})" if unit.section else ""
            headlines.append((severity_rank(top.severity) * 2 + (top.direction == "worse"),
                              -position, top.headline + where))
    _document(result, headlines)
    return result


def _document(result: DiffResult, headlines: list[tuple[int, int, str]]) -> None:
    material = [u for u in result.changes if u.material]
    result.material = bool(material)
    result.severity = max((u.severity for u in material), key=severity_rank, default="none")
    result.direction = _direction(
        d for u in material for d in (("worse", "better") if u.direction == "mixed"
                                      else (u.direction,)))
    found = {cat for u in material for cat in u.categories}
    result.categories = [cat for cat in CATEGORIES if cat in found]
    result.summary = _summary(result, headlines)


def _summary(result: DiffResult, headlines: list[tuple[int, int, str]]) -> str:
    if headlines:
        first = max(headlines)[2]
        more = len(headlines) - 1
        return first + (f"; {more} more material change{'s' * (more != 1)}" if more else "")
    total = len(result.changes)
    if not total:
        return "no change"
    form = sum(1 for u in result.changes if u.form_only or u.kind == "moved")
    parts = []
    if total - form:
        parts.append(f"{total - form} edit{'s' * (total - form != 1)} touching no data practice")
    if form:
        parts.append(f"{form} change{'s' * (form != 1)} of form")
    return "no material change: " + ", ".join(parts)

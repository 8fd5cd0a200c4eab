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

from .artifacts import has_holes, is_title, section_titles, title_key
from .candidates import Candidate, candidate, changed_ranges
from .capture import document_foreign, is_foreign, lost_capture, short_before
from .direction import Judged, document_direction
from .findings import RECIPIENT_REACH, Finding, quote
from .lexicon import RECIPIENT_PATTERNS
from .patterns import regex
from .profile import Profile, topics_of
from .profile import build_cached as build_profile
from .restated import Pool, drop_restated, upgrade_reversals
from .rules import compare, judge_added, judge_removed
from .scope import VERB_PATTERNS
from .suppress import (
    SUPPRESSORS,
    Context,
    address_block,
    covering_near,
    form_in_any_language,
    spelled,
)
from .transfers import mechanism_findings
from .unexplained import unexplained
from .vocabulary import mentions

__all__ = ["classify_diff", "classify_segment"]

MAX_REASONS = 3  # reasons quoted per unit


def classify_segment(text: str, taxonomy: str = "policywatch") -> list[str]:
    """Labels for one segment: policywatch CATEGORIES (["other"] when none applies) or, with
    taxonomy="opp115", OPP-115's top-level categories."""
    if taxonomy == "opp115":
        from .opp115 import label_opp115  # its cue tables load only when asked for

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


NOT_JUDGED = "not judged"
# Categories a heading lends to the material changes under it.
HEADING_CATEGORIES = frozenset({"rights", "children", "retention", "security", "international",
                                "tracking", "ai_training", "do_not_track", "sale"})
# Suppressors that read no English: they also apply to text in another language.
FORM_OF_ANY_LANGUAGE = ("duplicated or re-flowed text", "table-of-contents line")
# Suppressors that compare practice words: where the rules found a change, theirs is the finer
# reading, and what the rules found is restated nearby is judged by their pools instead.
JUDGED_BY_WORDS = ("same-meaning rewording", "said nearby in the other version")


def _apply(unit: ChangeUnit, findings: list[Finding], note: str = "") -> None:
    findings = sorted(findings, key=lambda f: (-severity_rank(f.severity), f.direction != "worse"))
    material = [f for f in findings if f.severity != "none"]
    unit.material = bool(material)
    unit.severity = material[0].severity if material else "none"
    unit.direction = _direction(f.direction for f in material)
    found = {cat for f in material for cat in f.categories}
    if material and unit.section:  # a sentence under "Your rights" is about rights
        found |= topics_of(unit.section.split("›")[-1]) & HEADING_CATEGORIES
    unit.categories = [cat for cat in CATEGORIES if cat in found]
    if material:
        unit.reason = "; ".join(dict.fromkeys(f.reason for f in material[:MAX_REASONS]))
    elif note:
        unit.reason = note
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


def _pools(result: DiffResult) -> tuple[dict[int, Profile], Pool, Pool]:
    """Profiles of added and removed sentences, and what each side of the diff states."""
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
    return profiles, added, removed


def _context(result: DiffResult, old_text: str | None, new_text: str | None) -> Context:
    titles = section_titles(result)
    for text in (old_text, new_text):
        titles |= {title_key(line) for line in (text or "").splitlines() if line.startswith("#")}
    return Context(old_text or "", new_text or "", titles,
                   [u for u in result.changes if u.kind == "added" and not u.form_only],
                   [u for u in result.changes if u.kind == "removed" and not u.form_only],
                   [u for u in result.changes if u.kind == "modified" and not u.form_only])


def _rule_findings(unit: ChangeUnit, profiles: dict[int, Profile], added: Pool,
                   removed: Pool, ctx: Context) -> tuple[list[Finding], bool]:
    """What the profile rules find, and whether all of it is restated on the diff's other
    side (a sentence deleted here and said again there) or near its place in the other
    version (a promise deleted here that stands two paragraphs on)."""
    if is_title(unit, ctx.titles) or has_holes(unit):
        return [], False
    found = _unit_findings(unit, profiles)
    kept = drop_restated(found, added, removed) if found else found
    if kept and unit.kind != "modified":
        near = _near_pool(unit, ctx)
        kept = drop_restated(kept, added, removed, old_doc=near, new_doc=near)
    if unit.kind == "added":
        kept = upgrade_reversals(kept, removed)
    return kept, bool(found) and not kept


def _near_pool(unit: ChangeUnit, ctx: Context) -> Pool:
    """What the other version states, as broadly, near the place of an added or removed
    sentence."""
    pool = Pool()
    for sentence in covering_near(unit, ctx):
        pool.add(build_profile(sentence, unit.section))
    return pool


def _judge(unit: ChangeUnit, rules: list[Finding], restated: bool,
           ctx: Context) -> tuple[list[Finding], str]:
    """Findings for one unit, or none and the reason why it is not material."""
    text = " ".join(t for t in (unit.old, unit.new) if t)
    if is_foreign(text):
        form = [name for name in FORM_OF_ANY_LANGUAGE if SUPPRESSORS[name](Candidate(unit), ctx)]
        form += ["contact details"] if address_block(text) else []
        form += ["dates, links or contact details"] if form_in_any_language(
            Candidate(unit), ctx) else []
        return ([], f"not material: {form[0]}") if form else ([_not_read(unit)], "")
    found = candidate(unit)
    if not rules and found is None:
        return [], ""
    chosen = found or _bare_candidate(unit)
    for name, applies in SUPPRESSORS.items():
        if (name not in JUDGED_BY_WORDS or not rules) and applies(chosen, ctx):
            return [], f"not material: {name}"
    if restated and not rules:
        return [], "not material: restated elsewhere in this change"
    if not rules and unit.kind == "modified" and _rules_read(unit) and _same_stance(chosen):
        return [], "not material: same-meaning rewording (the rules read both sentences alike)"
    modal_edit = unit.kind == "modified" and any(
        t.kind == "negation" or (t.kind == "modal" and t.words.lower() not in _ABILITY)
        for t in chosen.touches)
    if not rules and not chosen.specific() and not modal_edit:
        return [], "not material: only generic words changed"
    return mechanism_findings(chosen, rules or [unexplained(chosen)], ctx.new_text), ""


def _bare_candidate(unit: ChangeUnit) -> Candidate:
    """A unit the rules judged although no changed word is practice vocabulary: its changed
    runs still let the suppressors of form see what changed (a name, a link, a date)."""
    if unit.kind == "modified" and unit.old and unit.new:
        return Candidate(unit, runs=changed_ranges(unit.old, unit.new)[2])
    return Candidate(unit)


def _rules_read(unit: ChangeUnit) -> bool:
    """The profile rules recognised a practice statement (or a practice verb they judged to be
    no statement) in the changed sentence: their "no change" is a judgement, not a blind spot.
    The unexplained finding is for sentences the rules cannot read at all."""
    for text in (unit.old, unit.new):
        if not text:
            continue
        profile = build_profile(text, unit.section)
        if profile.facts or profile.retention or profile.min_age or profile.notice:
            return True
        if any(pattern.search(text) for pattern in VERB_PATTERNS.values()):
            return True
    return False


# "To exercise these rights, contact us" -> "You can exercise these rights by contacting us":
# a modal of ability or permission alone changes no promise ("will" -> "may" does).
_ABILITY = frozenset({"can", "may", "could", "might"})
_LIMITING = frozenset({"only", "solely", "exclusively", "without", "unless", "except",
                       "where possible", "if possible"})


def _same_stance(c: Candidate) -> bool:
    """What the rules compare is all that changed: a few words, as many denials before as
    after, no limiting word changed, and no data type, recipient, purpose, AI, transfer or
    child named on one side only (spelling aside)."""
    old, new = c.unit.old or "", c.unit.new or ""
    if _negations(old) != _negations(new) or c.kinds() & {"ai", "transfer", "children", "name"}:
        return False
    if any(t.kind == "modal" and t.words.lower() in _LIMITING for t in c.touches):
        return False
    if any(len(d.split()) > 4 or len(i.split()) > 4 for d, i in c.runs):
        return False  # more than a few words rewritten: more than the rules compare
    words = {side: {spelled(w) for _, w, *_ in mentions(text)} for side, text in
             (("old", old), ("new", new))}
    back_reference = bool(_BACK_REFERENCE.search(new))
    narrower = _reach(new) <= _reach(old)  # "third parties" -> "third-party service providers"
    return all(spelled(t.words) in words["new" if t.side == "old" else "old"]
               or (t.side == "old" and t.kind in ("recipient", "purpose") and back_reference)
               or (t.kind == "recipient" and narrower)
               for t in c.specific() if t.kind in ("data", "recipient", "purpose"))


def _reach(text: str) -> int:
    """How far the recipients named in a sentence take data (findings.RECIPIENT_REACH)."""
    return max((RECIPIENT_REACH.get(name, 3) for name, *_ in RECIPIENT_PATTERNS.spans(text)),
               default=0)


# "these companies", "such parties": the new sentence refers back to the recipients it named.
_BACK_REFERENCE = regex(r"\b(?:these|those|such)\s+(?:companies|parties|partners|entities|"
                        r"organi[sz]ations|recipients|third parties)\b")


def _negations(text: str) -> int:
    return sum(1 for kind, *_ in mentions(text) if kind == "negation")


def _not_read(unit: ChangeUnit) -> Finding:
    words = quote(unit.new or unit.old or "", 60)
    return Finding(severity="low", direction="neutral", categories=("other",),
                   headline="text in another language changed",
                   reason=f"{NOT_JUDGED}: not in English {words}", group="unread")


def classify_diff(result: DiffResult, old_text: str | None = None,
                  new_text: str | None = None) -> DiffResult:
    """Fill the classifier fields of every unit and of the document; returns `result`.

    Every unit that is not a change of form and whose changed words touch a data practice is a
    candidate; a named suppressor may say it is form after all (suppress.py); otherwise it is
    material, explained by the profile rules where they apply (rules.py) and by its decisive
    words where they do not (unexplained.py). `old_text` and `new_text`, the two versions,
    let the classifier see verbatim duplicates and headings, and a capture that lost the text."""
    profiles, added, removed = _pools(result)
    ctx = _context(result, old_text, new_text)
    headlines: list[tuple[int, int, str]] = []
    judged: list[Judged] = []  # material units and their findings, for the document's direction
    for position, unit in enumerate(result.changes):
        if unit.form_only or unit.kind == "moved":
            _apply(unit, [])
            continue
        rules, restated = _rule_findings(unit, profiles, added, removed, ctx)
        findings, note = _judge(unit, rules, restated, ctx)
        _apply(unit, findings, note)
        if unit.material:
            judged.append((position, unit, [f for f in findings if f.severity != "none"]))
            top = max(findings, key=lambda f: (severity_rank(f.severity), f.direction == "worse"))
            where = f" ({unit.section})" if unit.section else ""
            headlines.append((severity_rank(top.severity) * 2 + (top.direction == "worse"),
                              -position, top.headline + where))
    _document(result, headlines, judged)
    _versions(result, old_text, new_text)
    return result


def _document(result: DiffResult, headlines: list[tuple[int, int, str]],
              judged: list[Judged]) -> None:
    material = [u for u in result.changes if u.material]
    result.material = bool(material)
    result.severity = max((u.severity for u in material), key=severity_rank, default="none")
    result.direction = document_direction(judged)
    found = {cat for u in material for cat in u.categories}
    result.categories = [cat for cat in CATEGORIES if cat in found]
    result.summary = _summary(result, headlines)


def _versions(result: DiffResult, old_text: str | None, new_text: str | None) -> None:
    """What the two versions as wholes say about the judgement: a lost capture, a version in
    another language, an old version that was a stub. Never silences a material unit."""
    lost = lost_capture(old_text, new_text)
    unread = [u for u in result.changes if u.material and u.reason.startswith(NOT_JUDGED)]
    if lost:
        result.suspect_capture = True
        result.material = True
        result.direction = "worse"  # promises lost with the text; nothing gained
        if result.severity == "none":
            result.severity, result.categories = "low", result.categories or ["other"]
        result.summary = f"suspect capture: {lost}; " + (
            f"lost: {result.summary}" if any(u.material for u in result.changes)
            else f"{len(result.changes)} edits need a human look")
        return
    if unread and len(unread) == sum(u.material for u in result.changes):
        why = ("the new version is not in English, likely another language edition"
               if new_text and document_foreign(new_text) else "the changed text is not in English")
        result.summary = f"{NOT_JUDGED}: {why}; {len(unread)} edits need a human look"
        return
    before = short_before(old_text, new_text)
    if before and result.material:
        result.summary = f"{result.summary} (note: {before})"


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

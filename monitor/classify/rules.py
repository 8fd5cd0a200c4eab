"""Rules over profiles: what changed between an old and a new sentence, and what a sentence
added or removed whole means for the user."""

from __future__ import annotations

from policywatch.monitor.model import Severity

from .findings import (
    GROUP_NOUN,
    GROUP_OBJECT,
    Finding,
    categories_for,
    exposure_items,
    item_categories,
    item_severity,
    protection_items,
    quote,
    recipient_reach,
)
from .patterns import regex
from .profile import Profile
from .quantity import describe_days
from .scope import EXPOSURE_RANK, PROTECTION_RANK, Fact

EXPOSURE_GROUPS = ("sell", "share", "collect", "train", "track", "retain")
PROTECTION_GROUPS = ("notify", "consent", "optout", "right", "delete", "secure", "signals")
# Which kinds of items matter for each exposure (a recipient says nothing about collection).
GROUP_ITEM_KINDS: dict[str, tuple[str, ...]] = {
    "sell": ("data", "recipient", "purpose"), "share": ("data", "recipient", "purpose"),
    "collect": ("data", "purpose"), "track": ("data", "purpose", "recipient"),
    "train": ("data", "recipient", "purpose"),
    "retain": ("data",),
}
ITEM_TARGET = {"recipient": "the recipients", "purpose": "the purposes"}
_GENERIC_RECIPIENT = regex(r"\b(?:these|those|such|other|any|anyone|third)[\s-]+(?:companies|"
                           r"parties|party|entities|partners|recipients|organi[sz]ations|one|"
                           r"else)\b")


def _erank(fact: Fact) -> int:
    return EXPOSURE_RANK[fact.stance]


def _prank(fact: Fact) -> int:
    return PROTECTION_RANK[fact.stance]


def group_items(group: str, facts: list[Fact]) -> dict[str, tuple[str, str]]:
    kinds = GROUP_ITEM_KINDS[group]
    return {k: v for k, v in exposure_items(facts).items() if v[0] in kinds}


def _exposed(profile: Profile, group: str) -> list[Fact]:
    """Facts whose lists grow worse: practices done, and allow-lists ("only with ...")."""
    return [f for f in profile.group_facts(group) if _erank(f) >= 2 or f.stance == "limited"]


def _promised(profile: Profile, group: str) -> list[Fact]:
    """Promises not to (or not without consent): their lists grow better."""
    return [f for f in profile.group_facts(group) if _erank(f) <= 1 and f.stance != "limited"]


def introduced(group: str, fact: Fact, profile: Profile) -> Finding:
    """A practice newly stated as done or allowed."""
    items = group_items(group, [fact])
    severities: list[Severity] = [item_severity(group, key, profile) for key in items]
    severity: Severity = "high" if group == "sell" or fact.stance == "unasked" else "medium"
    if "high" in severities:
        severity = "high"
    extra = [c for key in items for c in item_categories(key)]
    recipients = [w for kind, w in items.values() if kind == "recipient"]
    headline = f"{GROUP_NOUN[group]} introduced"
    if group == "share" and recipients:
        headline = f"sharing with {recipients[0]} introduced"
    named = ", ".join(quote(w, 40) for _, w in items.values())
    if fact.listed and named:
        reason = f"{named} now listed under {quote(fact.phrase, 60)}"
    else:
        reason = f"{quote(fact.phrase)} now stated" + (f", naming {named}" if named else "")
    return Finding(severity=severity, direction="worse",
                   categories=categories_for(group, profile, *extra), headline=headline,
                   reason=reason, group=group, rank=_erank(fact), items=frozenset(items),
                   change="appeared")


def promise_added(group: str, fact: Fact, profile: Profile) -> Finding:
    return Finding(severity="low", direction="better", categories=categories_for(group, profile),
                   headline=f"promise on {GROUP_NOUN[group]} added",
                   reason=f"added {quote(fact.phrase)}", group=group, rank=_erank(fact),
                   items=frozenset(group_items(group, [fact])), change="appeared")


def promise_removed(group: str, fact: Fact, profile: Profile, removed_whole: bool) -> Finding:
    items = group_items(group, [fact])
    sensitive = any(item_severity(group, key, profile) == "high" for key in items)
    children = "children" in profile.topics and group == "collect"
    severity: Severity = "high" if group in ("sell", "share") or sensitive or children else "medium"
    reason = (f"removed {quote(fact.clause, 120)}" if removed_whole
              else f"{quote(fact.phrase)} removed")
    extra = [c for key in items for c in item_categories(key)]
    return Finding(severity=severity, direction="worse",
                   categories=categories_for(group, profile, *extra),
                   headline=f"promise on {GROUP_NOUN[group]} removed", reason=reason, group=group,
                   rank=_erank(fact), items=frozenset(items), change="disappeared")


def _stance_change(group: str, old: Fact, new: Fact, profile: Profile) -> list[Finding]:
    before, after = _erank(old), _erank(new)
    if old.phrase.lower() == new.phrase.lower():
        return []  # same decisive words: the difference lies in context the rules misread
    if {old.stance, new.stance} == {"permitted", "asserted"}:
        return []  # "may share" and "share": policies hedge; the practice is the same
    reason = f"{quote(old.phrase)} became {quote(new.phrase)}"
    named = group_items(group, [new]).items() - group_items(group, [old]).items()
    if named:
        reason += ", naming " + ", ".join(quote(words, 40) for _, (_, words) in sorted(named))
    if after > before:
        reversed_promise = before <= 1 < after and old.stance != "limited"
        severity: Severity = ("high" if reversed_promise else
                              "medium" if after == 4 or before == 0 else "low")
        headline = (f"{GROUP_NOUN[group]} introduced" if reversed_promise
                    else f"{GROUP_NOUN[group]} widened")
        return [Finding(severity=severity, direction="worse",
                        categories=categories_for(group, profile), headline=headline, reason=reason,
                        group=group, rank=after)]
    if after < before:
        return [Finding(severity="low", direction="better",
                        categories=categories_for(group, profile),
                        headline=f"{GROUP_NOUN[group]} restricted", reason=reason, group=group,
                        rank=after)]
    return []


def _list_changes(group: str, old: list[Fact], new: list[Fact], profile: Profile,
                  promised: bool) -> list[Finding]:
    """Items that joined or left a practice's list (exposed list, or a promise's list)."""
    before, after = group_items(group, old), group_items(group, new)
    gained, lost = after.keys() - before.keys(), before.keys() - after.keys()
    if recipient_reach(gained) and recipient_reach(gained) <= recipient_reach(lost):
        # One recipient renamed or narrowed: not a change of reach.
        before = {k: v for k, v in before.items() if not k.startswith("recipient:")}
        after = {k: v for k, v in after.items() if not k.startswith("recipient:")}
    findings = [_item_gained(group, key, after[key], new[0], profile, promised)
                for key in after.keys() - before.keys()]
    heads = {words.split()[-1].lower() for _, words in after.values()}
    for key in before.keys() - after.keys():
        kind, words = before[key]
        if key.split(":")[0] == "data" and words.split()[-1].lower() in heads:
            continue  # "approximate location" became "precise location": one item, reworded
        if promised and kind == "recipient" and _GENERIC_RECIPIENT.search(new[0].clause):
            continue  # "these advertising partners" became "these companies": same promise
        findings.append(_item_lost(group, key, before[key], new[0], profile, promised))
    return findings


def _item_gained(group: str, key: str, item: tuple[str, str], fact: Fact, profile: Profile,
                 promised: bool) -> Finding:
    """An item joined the list: a promise that covers more, or a practice that reaches further."""
    kind, words = item
    if promised:
        return Finding(severity="low", direction="better",
                       categories=categories_for(group, profile),
                       headline=f"promise on {GROUP_NOUN[group]} extended",
                       reason=f"added {quote(words)} to {quote(fact.phrase)}", group=group)
    target = ITEM_TARGET.get(kind, GROUP_OBJECT[group])
    return Finding(severity=item_severity(group, key, profile), direction="worse",
                   categories=categories_for(group, profile, *item_categories(key)),
                   headline=f"{key.split(':', 1)[1]} added to {target}",
                   reason=f"added {quote(words)} to {target}", group=group, rank=2,
                   items=frozenset({key}), change="appeared")


def _item_lost(group: str, key: str, item: tuple[str, str], fact: Fact, profile: Profile,
               promised: bool) -> Finding:
    """An item left the list: a promise that covers less, or a practice that reaches less far."""
    kind, words = item
    if promised:
        severity: Severity = "high" if item_severity(group, key, profile) == "high" else "medium"
        return Finding(severity=severity, direction="worse",
                       categories=categories_for(group, profile, *item_categories(key)),
                       headline=f"promise on {GROUP_NOUN[group]} narrowed",
                       reason=f"{quote(words)} no longer covered by {quote(fact.phrase)}",
                       group=group)
    target = ITEM_TARGET.get(kind, GROUP_OBJECT[group])
    return Finding(severity="low", direction="better", categories=categories_for(group, profile),
                   headline=f"{key.split(':', 1)[1]} removed from {target}",
                   reason=f"removed {quote(words)} from {target}", group=group, rank=2,
                   items=frozenset({key}), change="disappeared")


def _exposure_change(group: str, old: Profile, new: Profile) -> list[Finding]:
    before, after = old.strongest(group), new.strongest(group)
    if before is None and after is not None and group == "collect" and old.weak:
        # The old sentence already used data; the new one names what for: a list change.
        before = old.weak[0]
        if _erank(before) >= 2 and _erank(after) >= 2:
            return _list_changes(group, [before], _exposed(new, group), new, promised=False)
    if before is None and after is None:
        return []
    if before is None:
        assert after is not None
        return ([introduced(group, after, new)] if _erank(after) >= 2
                else [promise_added(group, after, new)])
    if after is None:
        if _erank(before) == 0 or (_erank(before) == 1 and before.negated):
            return [promise_removed(group, before, old, removed_whole=False)]
        return []
    findings = _stance_change(group, before, after, new)
    if findings and findings[0].severity == "high":
        return findings  # the reversal says it all; its lists are not comparable
    for pick, promised in ((_exposed, False), (_promised, True)):
        old_facts, new_facts = pick(old, group), pick(new, group)
        if old_facts and new_facts:
            findings += _list_changes(group, old_facts, new_facts, new, promised)
    return findings


def _protection_change(group: str, old: Profile, new: Profile) -> list[Finding]:
    before, after = old.strongest(group), new.strongest(group)
    noun = GROUP_NOUN[group]
    if before is None and after is None:
        return []
    if before is None:
        assert after is not None
        return [protection_added(group, after, new)]
    if after is None:
        return ([protection_removed(group, before, old, removed_whole=False)]
                if _prank(before) >= 1 else [])
    reason = f"{quote(before.phrase)} became {quote(after.phrase)}"
    if before.phrase.lower() == after.phrase.lower():
        return []
    if _prank(after) < _prank(before):
        severity: Severity = "high" if _prank(after) == 0 and _prank(before) == 2 else "medium"
        return [Finding(severity=severity, direction="worse", categories=categories_for(group, new),
                        headline=f"{noun} weakened", reason=reason, group=group,
                        rank=_prank(after))]
    if _prank(after) > _prank(before):
        return [Finding(severity="low", direction="better", categories=categories_for(group, new),
                        headline=f"{noun} strengthened", reason=reason, group=group,
                        rank=_prank(after))]
    return []


def protection_added(group: str, fact: Fact, profile: Profile) -> Finding:
    items = protection_items(group, fact)
    if _prank(fact) == 0:
        return Finding(severity="medium", direction="worse",
                       categories=categories_for(group, profile),
                       headline=f"{GROUP_NOUN[group]} "
                       "denied", reason=f"added {quote(fact.phrase)}", group=group, rank=0,
                       change="appeared")
    return Finding(severity="low", direction="better", categories=categories_for(group, profile),
                   headline=f"{GROUP_NOUN[group]} added", reason=f"added {quote(fact.phrase)}",
                   group=group, rank=_prank(fact), items=items, change="appeared")


def protection_removed(group: str, fact: Fact, profile: Profile, removed_whole: bool) -> Finding:
    reason = (f"removed {quote(fact.clause, 120)}" if removed_whole
              else f"{quote(fact.phrase)} removed")
    return Finding(severity="medium", direction="worse", categories=categories_for(group, profile),
                   headline=f"{GROUP_NOUN[group]} "
                   "removed", reason=reason, group=group, rank=_prank(fact),
                   items=protection_items(group, fact), change="disappeared")


def _retention_change(old: Profile, new: Profile) -> list[Finding]:
    before, after = old.retention, new.retention
    cats = categories_for("retain", new)
    if before and after:
        reason = f"{quote(before.words)} became {quote(after.words)}"
        if after.days > before.days or (before.open_ended and after.indefinite):
            if after.indefinite:
                return [Finding(severity="high", direction="worse", categories=cats,
                                headline="retention made indefinite", reason=reason)]
            if after.open_ended:
                return [Finding(severity="medium", direction="worse", categories=cats,
                                headline="retention made open-ended", reason=reason)]
            headline = ("retention lengthened from "
                        f"{describe_days(before.days)} to {describe_days(after.days)}")
            return [Finding(severity="medium", direction="worse", categories=cats,
                            headline=headline, reason=reason)]
        if after.days < before.days or (before.indefinite and after.open_ended):
            return [Finding(severity="low", direction="better", categories=cats,
                            headline="retention shortened", reason=reason)]
        return []
    if before and not after:
        return retention_dropped(old) if not before.indefinite else []
    if after and not before:
        return retention_stated(new)
    return []


def retention_stated(profile: Profile) -> list[Finding]:
    period = profile.retention
    if period is None:
        return []
    cats = categories_for("retain", profile)
    key = frozenset({f"days:{period.days}"})
    if period.open_ended:
        return [Finding(severity="low", direction="neutral", categories=cats,
                        headline="retention tied to need", reason=f"added {quote(period.words)}",
                        group="period", rank=0, items=key, change="appeared")]
    if period.indefinite:
        return [Finding(severity="high", direction="worse", categories=cats,
                        headline="retention made indefinite", reason=f"added {quote(period.words)}",
                        group="period", rank=0, items=key, change="appeared")]
    return [Finding(severity="low", direction="better", categories=cats,
                    headline=f"retention limited to {describe_days(period.days)}",
                    reason=f"added {quote(period.words)}", group="period", rank=0, items=key,
                    change="appeared")]


def retention_dropped(profile: Profile) -> list[Finding]:
    period = profile.retention
    if period is None or period.open_ended or period.indefinite:
        return []
    return [Finding(severity="medium", direction="worse",
                    categories=categories_for("retain", profile),
                    headline="retention limit removed", reason=f"{quote(period.words)} removed",
                    group="period", rank=0, items=frozenset({f"days:{period.days}"}),
                    change="disappeared")]


def _age_change(old: Profile, new: Profile) -> list[Finding]:
    if not (old.min_age and new.min_age) or old.min_age[0] == new.min_age[0]:
        return []
    reason = f"{quote(old.min_age[1])} became {quote(new.min_age[1])}"
    cats = ("children",)
    if new.min_age[0] < old.min_age[0]:  # rubric: children's data is high
        return [Finding(severity="high", direction="worse", categories=cats,
                        headline=f"children's age threshold lowered from "
                        f"{old.min_age[0]} to {new.min_age[0]}", reason=reason)]
    return [Finding(severity="low", direction="better", categories=cats,
                    headline=f"children's age threshold raised from "
                    f"{old.min_age[0]} to {new.min_age[0]}", reason=reason)]


def _notice_change(old: Profile, new: Profile) -> list[Finding]:
    before, after = old.notice, new.notice
    cats = ("policy_change",)
    if before and after and before[0] != after[0]:
        reason = f"{quote(before[1])} became {quote(after[1])}"
        if after[0] < before[0]:
            return [Finding(severity="medium", direction="worse", categories=cats,
                            headline="notice period shortened", reason=reason)]
        return [Finding(severity="low", direction="better", categories=cats,
                        headline="notice period lengthened", reason=reason)]
    if before and not after:
        return [Finding(severity="medium", direction="worse", categories=cats,
                        headline="notice period removed", reason=f"{quote(before[1])} removed")]
    if after and not before:
        return [Finding(severity="low", direction="better", categories=cats,
                        headline="notice period added", reason=f"added {quote(after[1])}")]
    return []


def compare(old: Profile, new: Profile) -> list[Finding]:
    """Findings for a sentence that was edited."""
    findings: list[Finding] = []
    for group in EXPOSURE_GROUPS:
        findings += _exposure_change(group, old, new)
    for group in PROTECTION_GROUPS:
        findings += _protection_change(group, old, new)
    findings += _retention_change(old, new) + _age_change(old, new) + _notice_change(old, new)
    return findings


def judge_added(new: Profile) -> list[Finding]:
    """Findings for a sentence added whole."""
    findings: list[Finding] = []
    for group in EXPOSURE_GROUPS:
        fact = new.strongest(group)
        if fact is None or (group == "retain" and _erank(fact) >= 2):
            continue  # a retention statement is judged by its period (retention_stated)
        findings.append(introduced(group, fact, new) if _erank(fact) >= 2
                        else promise_added(group, fact, new))
    for group in PROTECTION_GROUPS:
        fact = new.strongest(group)
        if fact is not None:
            findings.append(protection_added(group, fact, new))
    findings += retention_stated(new)
    if new.notice:
        findings.append(Finding(severity="low", direction="better", categories=("policy_change",),
                                headline="notice period added",
                                reason=f"added {quote(new.notice[1])}", group="notice", rank=0,
                                items=frozenset({f"days:{new.notice[0]}"}), change="appeared"))
    return findings


def judge_removed(old: Profile) -> list[Finding]:
    """Findings for a sentence removed whole."""
    findings: list[Finding] = []
    for group in EXPOSURE_GROUPS:
        fact = old.strongest(group)
        if fact is None:
            continue
        if _erank(fact) == 0 or (_erank(fact) == 1 and fact.negated):
            findings.append(promise_removed(group, fact, old, removed_whole=True))
        elif group == "sell":  # other disclosures deleted whole are no clear gain for the user
            findings.append(Finding(severity="low", direction="better",
                                    categories=categories_for(group, old),
                                    headline=f"statement of {GROUP_NOUN[group]} removed",
                                    reason=f"removed {quote(fact.clause, 120)}", group=group,
                                    rank=_erank(fact), items=frozenset(group_items(group, [fact]))))
    for group in PROTECTION_GROUPS:
        fact = old.strongest(group)
        if fact is not None and _prank(fact) >= 1:
            findings.append(protection_removed(group, fact, old, removed_whole=True))
    findings += retention_dropped(old)
    if old.notice:
        findings.append(Finding(severity="medium", direction="worse", categories=("policy_change",),
                                headline="notice period removed",
                                reason=f"removed {quote(old.notice[1])}", group="notice", rank=0,
                                items=frozenset({f"days:{old.notice[0]}"}), change="disappeared"))
    return findings

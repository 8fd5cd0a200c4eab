"""What a whole version of a policy states, looked up lazily.

A practice "now stated" in an added sentence is no news when the previous version stated it
already, anywhere (a paragraph re-extracted, a table-of-contents line, a summary repeating the
body); a promise "removed" is no loss when the new version still makes it elsewhere. The
differ's units only hold what changed, so this pool reads the whole other version. Profiling
every sentence of a long policy costs ~0.2 ms each, so a finding only profiles the sentences
that can state it (its practice's verbs, its named items), and stops as soon as it is covered.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator

from policywatch.monitor.diff.segment import Segment, segment

from . import lexicon as lx
from .findings import ITEM_TABLES, Finding
from .profile import CONTEXT, GROUPS, SECTION_PRACTICE, build_cached
from .restated import Pool
from .scope import VERB_PATTERNS

# The verbs that can state each practice group.
_GROUP_VERBS: dict[str, list[re.Pattern[str]]] = {}
for _practice, _group in GROUPS.items():
    if _practice in VERB_PATTERNS:
        _GROUP_VERBS.setdefault(_group, []).append(VERB_PATTERNS[_practice])
_GROUP_VERBS.setdefault("train", []).append(lx.AI_TRAINING)
_GROUP_VERBS["collect"].append(VERB_PATTERNS["use"])
_SECTION_GROUPS = {practice for practice, _ in SECTION_PRACTICE}
_TABLES = {kind: [table for k, table in ITEM_TABLES if k == kind]
           for kind in ("data", "recipient", "purpose")}


class DocumentPool:
    """Pool of what one version states, filled one relevant sentence at a time."""

    def __init__(self, text: str) -> None:
        segments = segment(text)
        self.segments: list[Segment] = [s for s in segments if not s.heading and not s.nav]
        # Headings and table-of-contents entries, keyed like classify's unit titles.
        self.titles = {" ".join(s.text.lower().strip(" *#_.:?").split())
                       for s in segments if s.heading or s.nav}
        self.pool = Pool()
        self._added: set[int] = set()
        self._items: dict[str, set[int]] | None = None

    def covers(self, finding: Finding) -> bool:
        if self.pool.covers(finding):
            return True
        for index in self._candidates(finding):
            if index in self._added:
                continue
            self._added.add(index)
            seg = self.segments[index]
            self.pool.add(build_cached(seg.text, seg.section))
            if self.pool.covers(finding):
                return True
        return False

    def _candidates(self, finding: Finding) -> Iterator[int]:
        group = finding.group
        if group in ("period", "notice"):
            context = CONTEXT["retention" if group == "period" else "notice"]
            return (i for i, s in enumerate(self.segments) if context.search(s.text))
        if finding.rank >= 2 and finding.items and group in ("sell", "share", "collect", "train",
                                                              "track", "retain"):
            # Covered only when the named items are stated: only sentences naming one matter.
            wanted: set[int] = set()
            for key in finding.items:
                wanted |= self._item_index().get(key, set())
            return iter(sorted(wanted))
        verbs = _GROUP_VERBS.get(group, [])
        return (i for i, s in enumerate(self.segments)
                if any(v.search(s.text) for v in verbs) or self._section_states(group, s))

    @staticmethod
    def _section_states(group: str, seg: Segment) -> bool:
        if group not in _SECTION_GROUPS or not seg.section:
            return False
        heading = seg.section.split("›")[-1]
        return any(p == group and pattern.search(heading) for p, pattern in SECTION_PRACTICE)

    def _item_index(self) -> dict[str, set[int]]:
        """Item key ("data:biometric data") -> the sentences naming it; one regex pass per
        lexicon table over the whole text."""
        if self._items is not None:
            return self._items
        joined = "\n".join(s.text for s in self.segments)
        starts, offset = [], 0
        for seg in self.segments:
            starts.append(offset)
            offset += len(seg.text) + 1
        index: dict[str, set[int]] = {}
        for kind, tables in _TABLES.items():
            for table in tables:
                for match in table.pattern.finditer(joined):
                    if match.lastgroup:
                        key = f"{kind}:{table.names[int(match.lastgroup[1:])]}"
                        index.setdefault(key, set()).add(
                            bisect.bisect_right(starts, match.start()) - 1)
        self._items = index
        return index


@functools.lru_cache(maxsize=4)
def document_pool(text: str) -> DocumentPool:
    """One pool per version text: the service compares each version with the next, so the
    newer text of one comparison is the older text of the next."""
    return DocumentPool(text)

"""analyse(): what changed between two texts of a policy and what it means, in one pure call.

The differ finds the changed units and the classifier judges them; the live pipeline, the
Wayback backfill and `policywatch diff` all go through here, so they judge a change alike.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from policywatch.monitor.classify import classify_diff
from policywatch.monitor.diff import diff_texts
from policywatch.monitor.model import ChangeUnit, DiffResult, Direction, Severity


@dataclass(frozen=True)
class Analysis:
    """A classified diff, frozen: `result()` and `to_json()` give fresh copies to render, route
    or store, so no reader can change what another one sees."""

    changes: tuple[ChangeUnit, ...]
    stats: Mapping[str, Any]
    material: bool
    severity: Severity
    direction: Direction
    categories: tuple[str, ...]
    summary: str
    suspect_capture: bool = False  # most of the policy's text is gone: a broken capture?

    @staticmethod
    def of(result: DiffResult) -> Analysis:
        """Freeze `result`, which the analysis then owns (the caller must not keep using it)."""
        return Analysis(changes=tuple(result.changes), stats=MappingProxyType(result.stats),
                        material=result.material, severity=result.severity,
                        direction=result.direction, categories=tuple(result.categories),
                        summary=result.summary, suspect_capture=result.suspect_capture)

    def result(self) -> DiffResult:
        """A DiffResult of its own (deep copy) for a renderer or the alert routing."""
        return copy.deepcopy(self._shallow())

    def to_json(self) -> dict[str, Any]:
        return self._shallow().to_json()  # asdict copies as it goes

    def _shallow(self) -> DiffResult:
        return DiffResult(changes=list(self.changes), stats=dict(self.stats),
                          material=self.material, severity=self.severity,
                          direction=self.direction, categories=list(self.categories),
                          summary=self.summary, suspect_capture=self.suspect_capture)

    def with_summary(self, summary: str) -> Analysis:
        return replace(self, summary=summary)


def analyse(old_text: str, new_text: str) -> Analysis:
    """Diff `old_text` against `new_text` and classify the changes. Pure: no I/O, no state."""
    return Analysis.of(classify_diff(diff_texts(old_text, new_text), old_text, new_text))

"""Material-change classifier (being built; see issue 5)."""

from __future__ import annotations

from monitor.diff.model import DiffResult


def classify_diff(result: DiffResult) -> DiffResult:
    """Fill the classifier fields of every unit and of the document. Placeholder until issue 5."""
    return result

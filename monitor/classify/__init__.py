"""Material-change classifier (being built; see issue 5)."""

from __future__ import annotations

from monitor.diff.model import DiffResult

from .opp115 import label_opp115


def classify_diff(result: DiffResult) -> DiffResult:
    return result


def classify_segment(text: str, taxonomy: str = "policywatch") -> list[str]:
    return label_opp115(text)

"""The differ: aligns two versions of a policy by section and sentence, reports each real change
once, marks changes of form, and highlights the words that changed."""

from __future__ import annotations

from policywatch.monitor.model import ChangeUnit, DiffResult, Span

from .engine import apply_units, diff_placed, diff_texts
from .render import FORMATS, render

__all__ = [
    "FORMATS", "ChangeUnit", "DiffResult", "Span", "apply_units", "diff_placed", "diff_texts",
    "render",
]

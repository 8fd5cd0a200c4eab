"""The reading order every rendering of a DiffResult shares: material changes grouped by
severity, then the other real changes, then the changes of form (folded into one line)."""

from __future__ import annotations

from dataclasses import dataclass

from policywatch.monitor.model import ChangeUnit, DiffResult

GROUP_SEVERITIES = ("high", "medium", "low")
NO_SECTION = "(before the first heading)"
DEFAULT_TITLE = "Policy changes"


@dataclass
class Arranged:
    """The units in reading order: material ones by severity, other real ones, form ones."""

    material: list[tuple[str, list[ChangeUnit]]]
    other: list[ChangeUnit]
    form_only: list[ChangeUnit]


def arrange(result: DiffResult) -> Arranged:
    material = [u for u in result.changes if u.material]
    groups = []
    for severity in GROUP_SEVERITIES:
        # A material unit the classifier left at "none" still belongs with the low ones.
        members = [u for u in material if u.severity == severity
                   or (severity == "low" and u.severity not in GROUP_SEVERITIES)]
        if members:
            groups.append((severity, members))
    other = [u for u in result.changes if not u.material and not u.form_only]
    form = [u for u in result.changes if not u.material and u.form_only]
    return Arranged(groups, other, form)


def form_line(count: int) -> str:
    return f"{count} change{'s' if count != 1 else ''} of form hidden"


def headline(arranged: Arranged) -> str:
    material = sum(len(units) for _, units in arranged.material)
    parts = [f"{material} material", f"{len(arranged.other)} other",
             f"{len(arranged.form_only)} of form"]
    return "Changes: " + ", ".join(parts)


def one_line(text: str) -> str:
    """Multi-sentence units keep one sentence per line; inline renderings join them."""
    return text.replace("\n", " ")

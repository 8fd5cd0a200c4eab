"""Changes that are artifacts of capture or layout, not of the policy: a heading or a
table-of-contents line seen as a sentence, a sentence whose words were lost in extraction
("we receive the of the device"). Versions that are stubs or in another language: capture.py.
The classifier judges none of them; the differ and the fetcher see them first, so each case
here is also worth reporting upstream."""

from __future__ import annotations

import re

from policywatch.monitor.model import ChangeUnit, DiffResult

from .patterns import regex

# Words dropped by extraction leave a determiner before punctuation or "of", or empty brackets.
_HOLE = regex(r"\b(?:the|your|a|an|our|their|its)\s*(?:[).,;:]|of\b)|\(\s*\)")


def title_key(text: str | None) -> str:
    return " ".join((text or "").lower().strip(" *#_.:?").split())


def section_titles(result: DiffResult) -> set[str]:
    """Every heading named in a section path of the diff."""
    return {title_key(part) for unit in result.changes if unit.section
            for part in unit.section.split("›")}


def is_title(unit: ChangeUnit, titles: set[str]) -> bool:
    """A unit whose whole text is a heading of either version asserts no practice."""
    texts = [t for t in (unit.old, unit.new) if t]
    return bool(texts) and (all(title_key(t) in titles for t in texts) or _heading_edited(unit))


def _heading_edited(unit: ChangeUnit) -> bool:
    """An edit whose new text is the heading of its own section, and whose old text was a
    heading's line too (short, no sentence): the heading was reworded ("Sharing" -> "Sharing
    With Service Providers"); the sentences under it say what the practice is."""
    if unit.kind != "modified" or not unit.section or not unit.old:
        return False
    own = title_key(unit.section.split("›")[-1])
    old = unit.old.strip(" *#_")
    return bool(own) and title_key(unit.new) == own and len(old.split()) <= 15 and not (
        old.endswith(".") or old.endswith(";"))


def has_holes(unit: ChangeUnit) -> bool:
    """An edit that only lost words, leaving holes the old text did not have."""
    if unit.kind != "modified" or not unit.old or not unit.new:
        return False
    return len(_HOLE.findall(unit.new)) > len(_HOLE.findall(unit.old)) and len(
        re.findall(r"\w+", unit.new)) < len(re.findall(r"\w+", unit.old))

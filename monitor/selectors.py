"""CSS selectors of the watchlist: compiled once, and a clear reason when one does not parse.

Shared by the configuration (which rejects a bad selector when the watchlist loads) and the
extract stage (which applies them), so neither imports the other.
"""

from __future__ import annotations

from functools import lru_cache

from cssselect import SelectorError
from lxml.cssselect import CSSSelector


class SelectorSyntax(ValueError):
    pass


@lru_cache(maxsize=256)
def compiled(selector: str) -> CSSSelector:
    try:
        return CSSSelector(selector, translator="html")
    except SelectorError as exc:
        raise SelectorSyntax(f"invalid CSS selector {selector!r}: {exc}") from exc


def css_error(selector: str) -> str | None:
    """None if `selector` is a valid CSS selector, else a one-line message saying why not."""
    if not selector or not selector.strip():
        return "empty CSS selector"
    try:
        compiled(selector)
    except SelectorSyntax as exc:
        return str(exc)
    return None

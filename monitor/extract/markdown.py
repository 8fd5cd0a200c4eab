"""Convert a cleaned HTML tree to light Markdown.

Output: ``#``…``######`` headings, paragraphs separated by blank lines, ``- item`` / ``1. item``
lists (nested lists indented under their item), data tables as pipe tables (a multi-line cell
joins its lines with ``<br>``), ``> `` block quotes, ``<br>`` as a line break. Links keep their
text only: hrefs carry tracking and session noise, the comparison key drops them anyway, and the
stored text is for people to read. Emphasis is dropped for the same reasons, except that a short
block whose text is all bold (``<p><strong>Sharing</strong></p>``, a page's way of writing a
heading without heading tags) keeps it as ``**Sharing**``, so the differ can see its sections.
Nothing is Markdown-escaped: the text stays exactly as the page shows it.
"""

from __future__ import annotations

import re

from lxml import html

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "address", "figure",
    "figcaption", "details", "summary", "dl", "dt", "dd", "center", "fieldset", "legend", "form",
    "body", "html", "hgroup", "search", "caption", "tr", "td", "th", "thead", "tbody", "tfoot",
    "li", "hr", "noframes", "blockquote", "pre", "ul", "ol", "table",
})
_SPACE = re.compile(r"[ \t\n\r\f\u00a0]+")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # page builders' empty-paragraph guards
_MAX_LIST_START = 10_000
_BOLD_TAGS = frozenset({"strong", "b"})
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.IGNORECASE)
_MAX_BOLD_TITLE = 120
_TITLE_BLOCKS = frozenset({"p", "div", "center", "dt", "summary", "legend", "caption", "td", "th"})
_MAX_CELL_BLOCKS = 4


class _Out:
    """Accumulates finished blocks and the inline text of the block being built."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._inline: list[str] = []

    def text(self, value: str) -> None:
        # Source line breaks are plain whitespace; "\n" in the buffer marks a <br>.
        self._inline.append(value.replace("\n", " ").replace("\r", " "))

    def line_break(self) -> None:
        self._inline.append("\n")

    def flush(self) -> None:
        if self._inline:
            paragraph = _tidy_inline("".join(self._inline))
            self._inline = []
            if paragraph:
                self.blocks.append(paragraph)

    def block(self, value: str) -> None:
        self.flush()
        if value:
            self.blocks.append(value)


def _tidy_inline(value: str) -> str:
    """Collapse HTML whitespace inside each line (lines come from <br>), keep at most one empty
    line between lines (a double <br> is a paragraph break)."""
    lines = [_SPACE.sub(" ", line).strip() for line in value.split("\n")]
    lines = [line if line.strip(_INVISIBLE) else "" for line in lines]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def _one_line(el: html.HtmlElement) -> str:
    return _SPACE.sub(" ", el.text_content()).strip()


def _children(el: html.HtmlElement, out: _Out) -> None:
    if el.text:
        out.text(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _element(child, out)
        if child.tail:
            out.text(child.tail)


def _element(el: html.HtmlElement, out: _Out) -> None:
    tag = el.tag
    if tag == "br":
        out.line_break()
    elif tag in _HEADINGS:
        text = _one_line(el)
        out.block("#" * _HEADINGS[tag] + " " + text if text else "")
    elif tag in ("ul", "ol", "menu"):
        out.block(_list(el))
    elif tag == "table":
        _table(el, out)
    elif tag == "blockquote":
        inner = _blocks_of(el, "\n\n")
        out.block("\n".join("> " + line if line else ">" for line in inner.split("\n")))
    elif tag == "pre":
        text = "\n".join(line.rstrip() for line in el.text_content().replace("\r", "").split("\n"))
        out.block(text.strip("\n").replace("\u00a0", " "))
    elif tag in _BLOCKS:
        title = _bold_title(el) if tag in _TITLE_BLOCKS else None
        if title:
            out.block(title)
            return
        out.flush()
        _children(el, out)
        out.flush()
    else:
        _children(el, out)


def _is_bold(el: html.HtmlElement) -> bool:
    return el.tag in _BOLD_TAGS or bool(_BOLD_STYLE.search(el.get("style", "")))


def _outside_bold(el: html.HtmlElement) -> tuple[str, bool] | None:
    """(the text of `el` outside bold, whether it holds bold), or None if `el` holds a block or
    a line break (then it is not one short title)."""
    parts, bold = [el.text or ""], False
    for child in el:
        if isinstance(child.tag, str):
            if child.tag in _BLOCKS or child.tag in _HEADINGS or child.tag == "br":
                return None
            if _is_bold(child):
                bold = True
            else:
                inner = _outside_bold(child)
                if inner is None:
                    return None
                parts.append(inner[0])
                bold = bold or inner[1]
        parts.append(child.tail or "")
    return "".join(parts), bold


def _bold_title(el: html.HtmlElement) -> str | None:
    """``**Title**`` (or ``**Title**:``) for a short block whose text is all bold, else None."""
    # Cheap gates first: this runs on every paragraph, and most start with plain text.
    whole = bool(el.get("style")) and _is_bold(el)
    if not whole and (not len(el) or len(el) > 8 or (el.text and el.text.strip())):
        return None
    size = 0
    for piece in el.itertext():
        size += len(piece)
        if size > _MAX_BOLD_TITLE:
            return None
    found = _outside_bold(el)
    if found is None or not (whole or (found[1] and not found[0].strip(" \t\n\r\u00a0:"))):
        return None
    text = _one_line(el)
    title = text.rstrip(": ")
    if not title or "*" in title:
        return None
    return f"**{title}**" + (":" if text.endswith(":") else "")


def _blocks_of(el: html.HtmlElement, joiner: str) -> str:
    out = _Out()
    _children(el, out)
    out.flush()
    return joiner.join(out.blocks)


def _list_start(el: html.HtmlElement) -> int:
    try:
        return max(0, min(int(el.get("start", "1")), _MAX_LIST_START))
    except ValueError:
        return 1


def _list(el: html.HtmlElement) -> str:
    ordered = el.tag == "ol"
    number = _list_start(el)
    lines: list[str] = []
    for item in el:
        if not isinstance(item.tag, str):
            continue
        if item.tag in ("ul", "ol"):  # a list nested directly in a list (invalid, common)
            nested = _list(item)
            lines.extend("  " + line if line else "" for line in nested.split("\n"))
            continue
        if ordered and item.get("value", "").isdigit():
            number = min(int(item.get("value", "1")), _MAX_LIST_START)
        marker = f"{number}." if ordered else "-"
        number += 1
        body = _blocks_of(item, "\n")
        if not body:
            continue
        first, *rest = body.split("\n")
        indent = " " * (len(marker) + 1)
        lines.append(f"{marker} {first}")
        lines.extend(indent + line if line else "" for line in rest)
    return "\n".join(lines)


def _rows(table: html.HtmlElement) -> list[html.HtmlElement]:
    rows: list[html.HtmlElement] = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if r.tag == "tr")
    return rows


def _cells(row: html.HtmlElement) -> list[html.HtmlElement]:
    return [c for c in row if c.tag in ("td", "th")]


def _is_layout_table(table: html.HtmlElement, rows: list[html.HtmlElement]) -> bool:
    """Tables used to lay out a page (old sites, e-mail-style pages) are read as blocks: a
    single row or column, headings or nested tables inside, or a cell holding many blocks."""
    if table.get("role", "").lower() in ("presentation", "none") or len(rows) < 2:
        return True
    if max(len(_cells(r)) for r in rows) < 2:
        return True
    if table.xpath(".//table | .//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6"):
        return True
    return any(len(cell.xpath(".//p | .//div | .//ul | .//ol")) > _MAX_CELL_BLOCKS
               for row in rows for cell in _cells(row))


def _cell_text(cell: html.HtmlElement) -> str:
    text = _blocks_of(cell, "\n")
    text = re.sub(r"\n+", "<br>", text)
    return text.replace("|", "\\|")


def _table(table: html.HtmlElement, out: _Out) -> None:
    rows = _rows(table)
    if _is_layout_table(table, rows):
        out.flush()
        _children(table, out)
        out.flush()
        return
    caption = table.find("caption")
    if caption is not None:
        out.block(_one_line(caption))
    grid = [[_cell_text(c) for c in _cells(r)] for r in rows]
    grid = [row for row in grid if any(row)]
    if not grid:
        return
    width = max(len(row) for row in grid)
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in grid]
    lines.insert(1, "|" + " --- |" * width)
    out.block("\n".join(lines))


def to_markdown(roots: list[html.HtmlElement]) -> str:
    """Light Markdown of the given (already cleaned) content roots, in the order given."""
    out = _Out()
    for root in roots:
        out.flush()
        _element(root, out) if root.tag in _BLOCKS else _children(root, out)
        out.flush()
    return "\n\n".join(out.blocks)

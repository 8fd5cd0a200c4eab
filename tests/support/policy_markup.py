"""Policy text (plain text or light Markdown) → HTML fragment, for the test pages of pages.py.

Understands what the seeds and the Open Terms Archive histories contain: ATX and setext
headings, ``-``/``*``/``+``/``•`` and ``1.`` lists nested by indentation (with continuation
paragraphs), pipe tables whose cells may hold ``<br>`` and ``*   `` list lines, ``>`` quotes,
fenced code, rules, links, images, ``**strong**``/``*em*`` and backslash escapes. Each
non-blank line of text is its own paragraph (the corpus never hard-wraps). In plain text (no
Markdown heading anywhere) short lines without sentence punctuation become headings, the way a
site would show them. Every piece of text is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-{2,})\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_ITEM = re.compile(r"^(\s*)([-*+\u2022\u25e6\u25aa\u00b7]|(\d{1,3})[.)])\s+(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_INVISIBLE_LINE = re.compile(r"^[\s\u00a0\u200b]*$")
_PLAIN_HEADING_MAX = 80
_INLINE = re.compile(
    r"(?P<img>!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+\"[^\"]*\")?\))"
    r"|(?P<link>\[(?P<label>(?:\\.|!\[[^\]]*\]\([^)]*\)|[^\]\\])*)\]\((?P<href>[^)\s]*)"
    r"(?:\s+\"[^\"]*\")?\))"
    r"|(?P<auto><(?P<url>(?:https?|mailto):[^>\s]+)>)"
    r"|(?P<br><br\s*/?>)"
    r"|(?P<strong>\*\*(?=\S)(?P<stext>.+?)(?<=\S)\*\*)"
    r"|(?P<em>(?<![\w*])\*(?=[^\s*])(?P<etext>[^*]+?)(?<=\S)\*(?![\w*]))"
    r"|(?P<esc>\\(?P<ch>[\\`*_{}\[\]()#+\-.!|<>~]))"
)


@dataclass
class Item:
    """One list item: its first line, further paragraphs, and nested lists."""

    text: str
    number: int | None
    paragraphs: list[str] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)


@dataclass
class Block:
    """A block of the policy: heading, para, spacer, list, table, quote, pre or rule."""

    kind: str
    text: str = ""
    level: int = 0
    ordered: bool = False
    items: list[Item] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def inline_html(text: str) -> str:
    """Escaped HTML of one line of light Markdown."""
    out: list[str] = []
    pos = 0
    for match in _INLINE.finditer(text):
        out.append(html.escape(text[pos:match.start()]))
        out.append(_inline_token(match))
        pos = match.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _inline_token(m: re.Match[str]) -> str:
    if m.group("img"):
        return f'<img src="{html.escape(m.group("src"))}" alt="{html.escape(m.group("alt"))}">'
    if m.group("link"):
        return f'<a href="{html.escape(m.group("href"))}">{inline_html(m.group("label"))}</a>'
    if m.group("auto"):
        url = m.group("url")
        return f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
    if m.group("br"):
        return "<br>"
    if m.group("strong"):
        return f"<strong>{inline_html(m.group('stext'))}</strong>"
    if m.group("em"):
        return f"<em>{inline_html(m.group('etext'))}</em>"
    return html.escape(m.group("ch"))


def _table_row(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", body)]


def _is_table_rule(cells: list[str]) -> bool:
    return all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c) and any(cells)


def _looks_like_plain_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > _PLAIN_HEADING_MAX or len(stripped.split()) > 12:
        return False
    if ":" in stripped or not (stripped[0].isupper() or stripped[0].isdigit()):
        return False
    numbered = re.match(r"^\d{1,2}\.\s", stripped) is not None
    return numbered or stripped[-1] not in ".,;:!?)\"”’"


class _Parser:
    def __init__(self, text: str, plain: bool) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.pos = 0
        self.plain = plain
        self.headings = 0

    def parse(self) -> list[Block]:
        blocks: list[Block] = []
        while self.pos < len(self.lines):
            block = self._block()
            if block is not None:
                blocks.append(block)
        return blocks

    def _peek(self, offset: int = 0) -> str | None:
        index = self.pos + offset
        return self.lines[index] if index < len(self.lines) else None

    def _block(self) -> Block | None:
        line = self.lines[self.pos]
        if not line.strip():
            self.pos += 1
            return Block("spacer") if "\u00a0" in line or "\u200b" in line else None
        if _FENCE.match(line):
            return self._fenced()
        if atx := _ATX.match(line):
            self.pos += 1
            return self._heading(len(atx.group(1)), atx.group(2))
        following = self._peek(1)
        if (following is not None and _SETEXT.match(following) and not _ITEM.match(line)
                and not line.lstrip().startswith(("|", ">"))):
            self.pos += 2
            return self._heading(1 if following.strip().startswith("=") else 2, line.strip())
        if _RULE.match(line):
            self.pos += 1
            return Block("rule")
        if line.lstrip().startswith("|"):
            return self._table()
        if line.lstrip().startswith(">"):
            return self._quote()
        if _ITEM.match(line) and not (self.plain and self._numbered_heading(line)):
            return self._list()
        self.pos += 1
        if self.plain and _looks_like_plain_heading(line):
            return self._heading(1 if self.headings == 0 and self.pos <= 3 else 2, line.strip())
        return Block("para", text=line.strip())

    def _numbered_heading(self, line: str) -> bool:
        """Plain text '3. Information We Collect.' followed by prose is a section heading."""
        following = self._peek(1)
        after = self._peek(2)
        return (re.match(r"^\d{1,2}\.\s", line.strip()) is not None
                and _looks_like_plain_heading(line) and following is not None
                and not following.strip() and after is not None and not _ITEM.match(after))

    def _heading(self, level: int, text: str) -> Block:
        self.headings += 1
        return Block("heading", text=text, level=level)

    def _fenced(self) -> Block:
        self.pos += 1
        body: list[str] = []
        while self.pos < len(self.lines) and not _FENCE.match(self.lines[self.pos]):
            body.append(self.lines[self.pos])
            self.pos += 1
        self.pos += 1
        return Block("pre", text="\n".join(body))

    def _table(self) -> Block:
        rows: list[list[str]] = []
        while self.pos < len(self.lines) and self.lines[self.pos].lstrip().startswith("|"):
            cells = _table_row(self.lines[self.pos])
            if not _is_table_rule(cells) and any(cells):
                rows.append(cells)
            self.pos += 1
        return Block("table", rows=rows)

    def _quote(self) -> Block:
        inner: list[str] = []
        while self.pos < len(self.lines) and self.lines[self.pos].lstrip().startswith(">"):
            inner.append(re.sub(r"^\s*>\s?", "", self.lines[self.pos]))
            self.pos += 1
        return Block("quote", blocks=_Parser("\n".join(inner), self.plain).parse())

    def _list(self) -> Block:
        stack: list[tuple[int, Block]] = []
        top: Block | None = None
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            item = _ITEM.match(line)
            if item is None:
                if not _INVISIBLE_LINE.match(line) and line.startswith("  ") and stack:
                    stack[-1][1].items[-1].paragraphs.append(line.strip())
                elif not _INVISIBLE_LINE.match(line) or not self._list_continues():
                    break
                self.pos += 1
                continue
            indent, ordered = len(item.group(1).expandtabs(4)), item.group(3) is not None
            number = int(item.group(3)) if ordered else None
            while stack and indent < stack[-1][0] - 1:
                stack.pop()
            if stack and abs(indent - stack[-1][0]) <= 1 and stack[-1][1].ordered == ordered:
                stack[-1][1].items.append(Item(item.group(4), number))
            elif stack and indent > stack[-1][0]:
                nested = Block("list", ordered=ordered, items=[Item(item.group(4), number)])
                stack[-1][1].items[-1].children.append(nested)
                stack.append((indent, nested))
            elif top is None:
                top = Block("list", ordered=ordered, items=[Item(item.group(4), number)])
                stack = [(indent, top)]
            else:
                break  # a list of another kind at the same level: a new block
            self.pos += 1
        assert top is not None
        return top

    def _list_continues(self) -> bool:
        """After blank lines, does the list go on (next text line is an item or indented)?"""
        index = self.pos
        while index < len(self.lines) and _INVISIBLE_LINE.match(self.lines[index]):
            index += 1
        if index >= len(self.lines):
            return False
        line = self.lines[index]
        return _ITEM.match(line) is not None or line.startswith("    ")


def parse_policy(text: str) -> list[Block]:
    """Blocks of a policy text; plain-text heading detection when it has no Markdown heading."""
    plain = not any(_ATX.match(line) or _SETEXT.match(line) for line in text.splitlines()[1:])
    return _Parser(text, plain).parse()


# Rendering ---------------------------------------------------------------------------------------

_WIX_TEXT = "wixui-rich-text__text"
_WIX_FONT = {1: "font_0", 2: "font_2", 3: "font_4", 4: "font_5", 5: "font_6", 6: "font_7"}


class Markup:
    """How one site writes its HTML. `standard` is clean semantic HTML; `pagebuilder` mimics
    Wix's rich-text output (classes everywhere, text wrapped in spans, zero-width guards in
    empty paragraphs)."""

    def __init__(self, flavour: str, bullet: str) -> None:
        if flavour not in ("standard", "pagebuilder"):
            raise ValueError(f"unknown style {flavour!r}")
        self.wix = flavour == "pagebuilder"
        self.bullet = bullet

    def _attrs(self, tag: str, level: int = 0) -> str:
        if not self.wix:
            return ""
        font = _WIX_FONT.get(level, "font_8")
        return f' class="{font} {_WIX_TEXT}"' if tag in ("h", "p", "ul", "ol") else (
            f' class="{_WIX_TEXT}"')

    def _span(self, inner: str) -> str:
        return f'<span class="{_WIX_TEXT}">{inner}</span>' if self.wix else inner

    def heading(self, block: Block) -> str:
        n = block.level
        return f"<h{n}{self._attrs('h', n)}>{self._span(inline_html(block.text))}</h{n}>"

    def paragraph(self, text: str, css: str = "") -> str:
        extra = f' style="{css}"' if css else ""
        return f"<p{self._attrs('p')}{extra}>{self._span(inline_html(text))}</p>"

    def spacer(self) -> str:
        if self.wix:
            return f'<p{self._attrs("p")}><span class="wixGuard {_WIX_TEXT}">&#8203;</span></p>'
        return "<p>&nbsp;</p>"

    def list_html(self, block: Block, depth: int = 0) -> str:
        if self.bullet != "-" and not block.ordered:
            return "\n".join(self._bullet_paragraphs(block, depth))
        tag = "ol" if block.ordered else "ul"
        first = block.items[0].number if block.items else None
        start = f' start="{first}"' if block.ordered and first not in (None, 1) else ""
        expected = first or 1
        items: list[str] = []
        for item in block.items:
            value = ""
            if block.ordered and item.number is not None and item.number != expected:
                value = f' value="{item.number}"'
                expected = item.number
            expected += 1
            items.append(f"<li{self._attrs('li')}{value}>{self._item_body(item, depth)}</li>")
        return f"<{tag}{self._attrs(tag)}{start}>\n" + "\n".join(items) + f"\n</{tag}>"

    def _item_body(self, item: Item, depth: int) -> str:
        if self.wix or item.paragraphs:
            parts = [self.paragraph(item.text)] + [self.paragraph(p) for p in item.paragraphs]
        else:
            parts = [inline_html(item.text)]
        parts += [self.list_html(child, depth + 1) for child in item.children]
        return "\n".join(parts)

    def _bullet_paragraphs(self, block: Block, depth: int) -> list[str]:
        """Lists written as paragraphs that start with a bullet character."""
        indent = f"margin-left:{1.5 * depth:g}em" if depth else ""
        out: list[str] = []
        for item in block.items:
            out.append(self.paragraph(f"{self.bullet} {item.text}", indent))
            out.extend(self.paragraph(p, indent) for p in item.paragraphs)
            for child in item.children:
                out.append(self.list_html(child, depth + 1))
        return out

    def table(self, block: Block) -> str:
        if not block.rows:
            return ""
        width = max(len(row) for row in block.rows)
        rows = [row + [""] * (width - len(row)) for row in block.rows]
        head = "".join(f"<th>{self._cell(c)}</th>" for c in rows[0])
        body = "\n".join("<tr>" + "".join(f"<td>{self._cell(c)}</td>" for c in row) + "</tr>"
                         for row in rows[1:])
        return (f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n"
                "</table>")

    def _cell(self, cell: str) -> str:
        """A cell's `<br>`-separated lines; runs of `* ` lines become a list, as on the page."""
        lines = [part.strip() for part in re.split(r"<br\s*/?>", cell)]
        out: list[str] = []
        items: list[str] = []
        for line in [line for line in lines if line] + [""]:
            item = _ITEM.match(line)
            if item:
                items.append(f"<li>{inline_html(item.group(4))}</li>")
                continue
            if items:
                out.append("<ul>" + "".join(items) + "</ul>")
                items = []
            if line:
                out.append(inline_html(line))
        return "<br>".join(out)

    def block(self, block: Block) -> str:
        if block.kind == "heading":
            return self.heading(block)
        if block.kind == "para":
            return self.paragraph(block.text)
        if block.kind == "spacer":
            return self.spacer()
        if block.kind == "list":
            return self.list_html(block)
        if block.kind == "table":
            return self.table(block)
        if block.kind == "quote":
            return "<blockquote>\n" + self.blocks(block.blocks) + "\n</blockquote>"
        if block.kind == "pre":
            return f"<pre>{html.escape(block.text)}</pre>"
        return "<hr>"

    def blocks(self, blocks: list[Block]) -> str:
        return "\n".join(self.block(b) for b in blocks)

"""Headings written with styling (bold paragraphs, all-caps lines, numbered titles) give the same
sections, and the same material verdict for the same change, as real heading tags: the same
policy is served from a real site on 127.0.0.1 in each style and checked twice through check().
Cases in tests/cases/styled_headings/."""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.diff.segment import segment
from policywatch.monitor.pipeline import check
from policywatch.storage.changes import last_change
from policywatch.storage.versions import timeline
from tests.support.config import load, make_context, write_watchlist
from tests.support.pages import policy_page, shared_dir
from tests.support.site import Site

CASES = Path(__file__).parent / "cases" / "styled_headings"


def _cases() -> list[Any]:
    return [pytest.param(tomllib.loads(p.read_text(encoding="utf-8")), id=p.stem)
            for p in sorted(CASES.glob("*.toml"))]


def _heading(title: str, style: str, number: int) -> str:
    text = html.escape(title)
    return {
        "markdown": f"<h2>{text}</h2>",
        "bold": f"<p><strong>{text}</strong></p>",
        "caps": f"<p>{text.upper()}</p>",
        "numbered": f"<p>{number}. {text}</p>",
    }[style]


def render(source: str, style: str) -> str:
    """A policy page from light Markdown (#, ##, - items, paragraphs), with its section headings
    written in `style`."""
    parts, items, number = [], [], 0
    for line in source.strip().splitlines():
        if items and not line.startswith("- "):
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line.startswith("# "):
            parts.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("## "):
            number += 1
            parts.append(_heading(line[3:], style, number))
        elif line.startswith("- "):
            items.append(f"<li>{html.escape(line[2:])}</li>")
        elif line.strip():
            parts.append(f"<p>{html.escape(line)}</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    # A help-centre page: the site's own title above the document's.
    return ("<html><head><title>Privacy</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<main><h1>Legal Centre</h1>{''.join(parts)}</main><footer>© Example</footer>"
            "</body></html>")


def _plain(section: str) -> str:
    """A section name without its number and case, to compare styles."""
    return re.sub(r"^\d+\.\s*", "", section).casefold()


def _check_style(case: dict[str, Any], style: str, tmp_path: Path) -> tuple[Any, list[str], str]:
    """(the change row, the section names of the new version, the section of the changed unit)"""
    tmp_path.mkdir()
    with Site() as site:
        site.set_page("/privacy", render(case["old"], style))
        ctx = make_context(load(write_watchlist(tmp_path, [{"name": "p",
                                                            "url": site.url("/privacy")}])))
        policy = ctx.watchlist.policy("p")
        assert check(ctx, policy).outcome == "first_version"
        site.set_page("/privacy", render(case["new"], style))
        assert check(ctx, policy).outcome == "new_version"
    new_text = timeline(ctx.db, "p")[-1].text
    segments = segment(new_text)
    names = [_plain(s.text) for s in segments if s.heading]
    old_keys = {s.key for s in segment(timeline(ctx.db, "p")[0].text)}
    changed = [s for s in segments if s.key not in old_keys and not s.heading]
    assert changed, f"{style}: no changed unit found"
    section = (changed[0].section or "").split(" \u203a ")[-1]
    return last_change(ctx.db, "p"), names, _plain(section)


@pytest.mark.parametrize("case", _cases())
def test_same_sections_and_verdict_in_every_style(case: dict[str, Any], tmp_path: Path) -> None:
    expected_sections = [_plain(s) for s in case["sections"]]
    for style in case["styles"]:
        change, names, section = _check_style(case, style, tmp_path / style)
        assert [n for n in names if n in expected_sections] == expected_sections, (style, names)
        assert section == _plain(case["section_of_change"]), (style, section)
        assert change is not None and change.material is case["material"], (style, change)


def test_substack_003_004_served_with_bold_headings(tmp_path: Path) -> None:
    """The issue's real case: Substack's policy writes its headings as bold paragraphs; served as
    HTML, "date of birth" must still be found under "What Information does Substack collect?"
    (Open Terms Archive contributors, ODC-By 1.0)."""
    versions = shared_dir() / "corpus" / "histories" / "contrib" / "Substack" / "versions"
    if not versions.is_dir():
        pytest.skip(f"{versions} is missing (the real histories of ../shared)")
    with Site() as site:
        site.set_page("/privacy", policy_page((versions / "003.md").read_text("utf-8")))
        ctx = make_context(load(write_watchlist(tmp_path, [{"name": "substack",
                                                            "url": site.url("/privacy")}])))
        policy = ctx.watchlist.policy("substack")
        check(ctx, policy)
        site.set_page("/privacy", policy_page((versions / "004.md").read_text("utf-8")))
        result = check(ctx, policy)
    change = last_change(ctx.db, "substack")
    assert result.outcome == "new_version" and change is not None and change.material
    assert "What Information does Substack collect?" in change.summary, change.summary

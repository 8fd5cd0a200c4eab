"""Renderers: material changes first by severity, then other real changes, then one line for the
changes of form; policy text made inert in Markdown and escaped in HTML."""

from __future__ import annotations

import json
import re

import pytest

from policywatch.monitor.diff import DiffResult, diff_texts, render

OLD = """# Policy

## Sharing

We do not sell your data. We share data with couriers. We keep logs for 30 days.

Last updated: January 5, 2024

## Cookies

We use cookies. We recieve your *email* address.
"""
NEW = """# Policy

## Sharing

We sell your data. We share data with couriers and <script>alert("x")</script> brokers.
We keep logs for 90 days.

Last updated: March 3, 2025

## Cookies

We use cookies. We receive your *email* address. We use fingerprinting.
"""


def classified() -> DiffResult:
    """A result with the classifier's fields filled by hand."""
    result = diff_texts(OLD, NEW)
    by_new = {u.new: u for u in result.changes if u.new}
    fills = {
        "We sell your data.": ("high", "stops promising not to sell"),
        "We keep logs for 90 days.": ("medium", "retention tripled"),
        "We use fingerprinting.": ("low", "adds a tracking technique"),
    }
    for text, (severity, reason) in fills.items():
        unit = by_new[text]
        unit.material, unit.severity, unit.reason = True, severity, reason  # type: ignore[assignment]
    result.material, result.summary = True, "Sale of data introduced"
    return result


def positions(out: str, *needles: str) -> list[int]:
    found = [out.find(n) for n in needles]
    assert -1 not in found, (needles, out)
    return found


def test_units_of_the_fixture() -> None:
    units = [(u.kind, u.form_only) for u in diff_texts(OLD, NEW).changes]
    assert units.count(("modified", True)) == 2  # the date and the typo
    assert sum(not form for _, form in units) == 4


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_material_first_by_severity_then_other_then_folded_form(fmt: str) -> None:
    out = render(classified(), fmt)
    high, medium, low, other, folded = positions(
        out, "stops promising not to sell", "retention tripled", "adds a tracking technique",
        "brokers", "2 changes of form hidden")
    assert high < medium < low < other < folded
    assert "recieve" not in out and "January 5" not in out  # form-only units are folded


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_unclassified_lists_real_changes_then_the_folded_line(fmt: str) -> None:
    out = render(diff_texts(OLD, NEW), fmt)
    positions(out, "Changes (4)")
    first, last, folded = positions(out, "sell your data", "fingerprinting",
                                    "2 changes of form hidden")
    assert first < last < folded
    assert "severity" not in out.lower().replace("0 material", "")


def test_text_colour_only_when_asked() -> None:
    plain = render(classified(), "text")
    coloured = render(classified(), "text", color=True)
    assert "\x1b[" not in plain and "[-do not -]" in plain and "{+brokers+}" not in plain
    assert "\x1b[31;9mdo not \x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured).count("sell your data") == 1


def test_markdown_marks_and_headings() -> None:
    out = render(classified(), "markdown", title="acme@1 → acme@2")
    assert out.startswith("# acme@1 → acme@2\n")
    assert "### Policy › Sharing" in out
    assert "We ~~do not~~ sell your data." in out
    assert "We keep logs for ~~30~~ **90** days." in out
    assert "\\<script\\>" in out and "<script>" not in out
    assert "_2 changes of form hidden_" in out


def test_html_is_standalone_side_by_side_and_escaped() -> None:
    result = classified()
    result.changes[0].section = "<img src=x onerror=alert(1)>"
    result.changes[0].reason = "<b>bold</b>"
    out = render(result, "html", title="<script>t</script>")
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert "<script" not in out and "<img" not in out and "<b>bold" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "Content-Security-Policy" in out and "://" not in out.split("<body>")[0]
    row = re.search(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", out.split("retention tripled")[1])
    assert row is not None
    assert "<del>30</del>" in row.group(1) and "<ins>90</ins>" in row.group(2)
    assert "<ins>" not in row.group(1) and "<del>" not in row.group(2)


def test_json_is_the_contract_and_round_trips() -> None:
    result = classified()
    data = json.loads(render(result, "json"))
    assert data == result.to_json()
    assert set(data["changes"][0]) >= {"kind", "section", "old", "new", "spans", "form_only"}
    assert DiffResult.from_json(data) == result


def test_no_changes_and_unknown_format() -> None:
    same = diff_texts(OLD, OLD)
    assert "No changes." in render(same, "text")
    assert "changes of form hidden" not in render(same, "markdown")
    with pytest.raises(ValueError, match="unknown format"):
        render(same, "pdf")

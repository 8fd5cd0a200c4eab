"""PDF policies through check() against a real site on 127.0.0.1: read, versioned and diffed like
HTML pages; a scan without a text layer fails permanently with a named reason. PDFs are written
at test time with fpdf2 (a test-only dependency). Cases in tests/cases/pdf/."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.pipeline import check
from policywatch.storage.changes import last_change
from policywatch.storage.versions import timeline
from tests.support.config import load, make_context, write_watchlist
from tests.support.site import Reply, Site

fpdf = pytest.importorskip("fpdf", reason="fpdf2 (test extra) writes the test PDFs")
CASES = Path(__file__).parent / "cases" / "pdf"


def _cases() -> list[Any]:
    return [pytest.param(tomllib.loads(p.read_text(encoding="utf-8")), id=p.stem)
            for p in sorted(CASES.glob("*.toml"))]


def text_pdf(source: str) -> bytes:
    """A PDF of light Markdown: # and ## lines as bold headings, other lines as paragraphs."""
    pdf = fpdf.FPDF()
    pdf.add_page()
    for line in source.strip().splitlines():
        heading = line.startswith("#")
        pdf.set_font("Helvetica", "B" if heading else "", 14 if heading else 10)
        pdf.multi_cell(0, 5, line.lstrip("# "))
        pdf.ln(3)
    return bytes(pdf.output())


def scanned_pdf(tmp_path: Path) -> bytes:
    """A PDF whose only content is a page image, as a scanner makes it."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (850, 1100), 255)
    draw = ImageDraw.Draw(image)
    for row in range(60, 1000, 24):  # lines of "text" as a scan shows them: pixels only
        draw.rectangle((60, row, 790 - (row * 7) % 200, row + 10), fill=40)
    path = tmp_path / "scan.png"
    image.save(path)
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(str(path), x=0, y=0, w=210)
    return bytes(pdf.output())


@pytest.mark.parametrize("case", _cases())
def test_pdf_case(case: dict[str, Any], tmp_path: Path) -> None:
    bodies = ([scanned_pdf(tmp_path)] if case.get("scanned")
              else [text_pdf(case[key]) for key in ("old", "new") if key in case])
    results = []
    with Site() as site:
        ctx = make_context(load(write_watchlist(tmp_path, [{"name": "pdf",
                                                            "url": site.url("/policy.pdf")}])))
        for body in bodies:
            site.set_page("/policy.pdf", Reply(body=body, content_type=case["content_type"]))
            results.append(check(ctx, ctx.watchlist.policy("pdf")))
    assert [r.outcome for r in results] == case["outcomes"], (case["description"], results)
    if "reason" in case:
        assert (results[-1].reason, results[-1].transient) == (case["reason"], case["transient"])
        return
    latest = timeline(ctx.db, "pdf")[-1].text
    for wanted in case.get("expect_contains", []):
        assert wanted in latest, f"{wanted!r} not in\n{latest}"
    if "material" in case:
        change = last_change(ctx.db, "pdf")
        assert change is not None and change.material is case["material"], change

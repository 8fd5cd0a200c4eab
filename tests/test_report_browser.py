"""The report as a browser renders it: headless Chromium (Debian's `chromium`, installed by
.ci/run) opens the pages from file://, with no server and no network, and the DOM after
rendering, the browser's log and screenshots are checked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from policywatch.monitor.report import build_report
from policywatch.storage.report import report_changes
from tests.support.archive_server import ArchiveServer
from tests.support.browser import chromium, colours, dump_dom, pixel, screenshot
from tests.support.reportdb import ReportWorld, build_world
from tests.support.site import Site

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ReportWorld, Path]]:
    chromium()  # skip early, with the reason, when the browser is absent
    directory = tmp_path_factory.mktemp("browser")
    with Site() as web, ArchiveServer() as archive:
        world = build_world(directory, web, archive)
        out = directory / "out"
        build_report(world.ctx.db, world.watchlist, out)
        yield world, out


def change_path(world: ReportWorld, policy: str) -> str:
    [change] = [c for c in report_changes(world.ctx.db, [policy])[policy] if c.material][-1:]
    return f"policy/{policy}/change-{change.id}.html"


def rendered(page: Path) -> tuple[lxml.html.HtmlElement, str]:
    dom, log = dump_dom(page)
    # The stylesheet is the page's own file: the CSP must let it load, and nothing else.
    assert "Content Security Policy" not in log and "Refused to" not in log, log[-2000:]
    return lxml.html.fromstring(dom), log


def assert_styled(png: Path) -> None:
    """The stylesheet was applied: the dark header bar, and a page of many colours."""
    assert pixel(png, 5, 5) == (0x1D, 0x23, 0x30)
    assert len(colours(png)) > 40


def test_index_renders_every_policy(site: tuple[ReportWorld, Path], tmp_path: Path) -> None:
    world, out = site
    dom, _ = rendered(out / "index.html")
    names = [row.get("data-name") for row in dom.cssselect("tr.policy")]
    assert sorted(names) == sorted(p.name for p in world.watchlist.policies)
    assert len(dom.cssselect("td.spark svg.timeline")) == len(names) - 1  # broken: no version
    assert dom.cssselect("tr.status-failing")[0].get("data-name") == "broken"
    png = tmp_path / "index.png"
    screenshot(out / "index.html", png, 1400, 1000)
    assert_styled(png)


def test_policy_page_renders_its_timeline(site: tuple[ReportWorld, Path], tmp_path: Path) -> None:
    _, out = site
    dom, _ = rendered(out / "policy/trailhead/index.html")
    svg = dom.cssselect("figure.history svg")[0]
    assert len(svg.cssselect("rect.bar")) == 5 and len(svg.cssselect("g.mark")) == 4
    assert svg.cssselect("g.mark.sev-high path.shape")
    png = tmp_path / "policy.png"
    screenshot(out / "policy/trailhead/index.html", png, 1280, 1100)
    assert_styled(png)


def test_change_page_renders_side_by_side_with_marks(site: tuple[ReportWorld, Path],
                                                     tmp_path: Path) -> None:
    world, out = site
    page = out / change_path(world, "seed0")
    dom, _ = rendered(page)
    assert dom.cssselect("#view-side[checked]") and dom.cssselect("#view-inline")
    marks = [m.text_content().lower() for m in dom.cssselect("article.unit.material .new mark")]
    assert "may sell" in marks
    png = tmp_path / "change.png"
    screenshot(page, png, 1280, 900)
    assert_styled(png)


def test_hostile_page_renders_inert_and_truncated(site: tuple[ReportWorld, Path],
                                                  tmp_path: Path) -> None:
    world, out = site
    page = out / change_path(world, "hostile")
    dom, _ = rendered(page)
    assert dom.xpath("//script") == [] and dom.xpath("//b") == []
    text = dom.text_content()
    assert "<script>alert('owned')</script>" in text and "<!channel>" in text
    assert max(len(t) for t in dom.itertext()) < 1000
    assert "more characters not shown" in text
    assert dom.cssselect("h1")[0].text_content() == "Hostile <b>Corp</b> & co"
    png = tmp_path / "hostile.png"
    screenshot(page, png, 1280, 900)
    assert_styled(png)

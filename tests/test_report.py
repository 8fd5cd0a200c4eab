"""`policywatch report`: the static site and feeds written from a database built by real checks
against a local web site and a local Wayback archive (tests/support/reportdb.py), read back
with lxml and feedparser, the way a reader's browser and feed reader see them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest

from policywatch.monitor.report import build_report
from policywatch.monitor.report.render import CSP
from policywatch.storage.report import change_diff, report_changes, report_versions
from tests.support.archive_server import ArchiveServer
from tests.support.reportdb import HOSTILE, ReportWorld, build_world
from tests.support.site import Site


@dataclass
class Built:
    world: ReportWorld
    out: Path

    def page(self, path: str) -> lxml.html.HtmlElement:
        return lxml.html.fromstring((self.out / path).read_bytes())

    def changes(self, policy: str) -> list:  # type: ignore[type-arg]
        return report_changes(self.world.ctx.db, [policy]).get(policy, [])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    directory = tmp_path_factory.mktemp("report")
    with Site() as site, ArchiveServer() as archive:
        world = build_world(directory, site, archive)
        out = directory / "out"
        build_report(world.ctx.db, world.watchlist, out)
        yield Built(world, out)


def texts(elements: list) -> list[str]:  # type: ignore[type-arg]
    return [" ".join(e.text_content().split()) for e in elements]


def index_rows(built: Built, path: str = "index.html") -> dict[str, lxml.html.HtmlElement]:
    page = built.page(path)
    return {row.get("data-name"): row for row in page.cssselect("tr.policy")}


# --- the world the tests stand on --------------------------------------------------------

def test_the_database_holds_what_the_report_must_show(built: Built) -> None:
    first, second = built.world.first_round, built.world.second_round
    assert first["broken"].outcome == "failed" and first["broken"].reason == "http_404"
    assert second["seed0"].outcome == "new_version" and second["seed0"].severity == "high"
    assert second["seed1"].outcome == "new_version"
    assert second["seed3"].outcome == "suspect"
    [form] = built.changes("seed1")
    assert not form.material and form.severity == "none"
    units = change_diff(built.world.ctx.db, form.id)["changes"]
    assert units and all(u["form_only"] for u in units)
    trailhead = report_versions(built.world.ctx.db, ["trailhead"])["trailhead"]
    assert [v.source for v in trailhead] == ["archive"] * 4 + ["live"]


# --- index ---------------------------------------------------------------------------------

def test_index_lists_every_policy_with_its_status_and_last_material_change(built: Built) -> None:
    rows = index_rows(built)
    assert set(rows) == {p.name for p in built.world.watchlist.policies}
    broken = rows["broken"]
    assert texts(broken.cssselect(".status-label")) == ["failing"]
    assert "http_404" in texts(broken.cssselect(".reason"))[0]
    assert texts(rows["seed2"].cssselect(".status-label")) == ["ok"]
    assert texts(rows["seed3"].cssselect(".status-label")) == ["suspect held"]
    assert "lost most of the policy" in texts(rows["seed3"].cssselect(".reason"))[0]
    seed0 = rows["seed0"]
    assert texts(seed0.cssselect(".last-change .badge")) == ["▲ HIGH"]
    [summary] = seed0.cssselect(".last-change a.summary")
    assert summary.text_content() == built.changes("seed0")[-1].summary
    assert texts(rows["seed1"].cssselect(".last-change")) == ["none recorded"]  # form only
    assert texts(rows["trailhead"].cssselect(".n-live, .n-archive")) == ["1", "4"]
    assert rows["trailhead"].cssselect("td.spark svg rect.bar.archive")
    assert texts(seed0.cssselect("td.checked"))[0].startswith("2026-01-07")


def test_index_sorts_by_last_change_and_by_severity(built: Built) -> None:
    def last(name: str) -> tuple[str, str]:
        material = [c for c in built.changes(name) if c.material]
        return (material[-1].window_end or "", material[-1].severity) if material else ("", "")

    by_change = list(index_rows(built))
    assert [last(n)[0] for n in by_change] == sorted((last(n)[0] for n in by_change),
                                                    reverse=True)
    by_severity = list(index_rows(built, "index-severity.html"))
    ranks = {"": -1, "none": 0, "low": 1, "medium": 2, "high": 3}
    severities = [ranks[last(n)[1]] for n in by_severity]
    assert severities == sorted(severities, reverse=True) and severities[0] == 3


def test_tag_pages_show_only_their_policies(built: Built) -> None:
    for tag in ("health", "vendor", "retail"):
        tagged = {p.name for p in built.world.watchlist.policies if tag in p.tags}
        assert set(index_rows(built, f"tag-{tag}.html")) == tagged
        assert set(index_rows(built, f"tag-{tag}-severity.html")) == tagged
    chips = texts(built.page("index.html").cssselect(".tags .chip"))
    assert chips == ["all", "health", "retail", "vendor"]


# --- every page ----------------------------------------------------------------------------

def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_local_link_resolves_to_a_file_that_exists(built: Built) -> None:
    checked = 0
    for page in html_pages(built.out):
        tree = lxml.html.fromstring(page.read_bytes())
        for element, _, link, _ in tree.iterlinks():
            parts = urlsplit(link)
            if parts.scheme:
                assert parts.scheme in ("http", "https"), (page, link)
                assert element.tag == "a", (page, link)  # nothing remote is loaded
                continue
            target = (page.parent / parts.path).resolve()
            assert target.is_file(), f"{page.relative_to(built.out)} links to missing {link}"
            checked += 1
    assert checked > 100


def test_every_page_forbids_scripts_and_remote_assets(built: Built) -> None:
    for page in html_pages(built.out):
        tree = lxml.html.fromstring(page.read_bytes())
        [csp] = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert csp == CSP and "script-src" not in csp and "default-src 'none'" in csp
        assert tree.xpath("//script") == []
        assert tree.xpath("//*[@style]") == []  # styles only from the own stylesheet
        assert [h for h in tree.xpath("//link/@href") if "//" in h] == []


# --- policy page ---------------------------------------------------------------------------

def test_policy_page_draws_the_whole_history_and_lists_changes_newest_first(built: Built
                                                                           ) -> None:
    page = built.page("policy/trailhead/index.html")
    svg = page.cssselect("figure.history svg.timeline")[0]
    assert len(svg.cssselect("rect.bar.archive")) == 4 and len(svg.cssselect("rect.bar.live")) == 1
    changes = built.changes("trailhead")
    marks = svg.cssselect("g.mark")
    assert sorted(m.get("class") for m in marks) == sorted(
        f"mark sev-{c.severity}" for c in changes)
    archive_changes = [c for c in changes if c.window_start and c.window_start != c.window_end]
    assert len(svg.cssselect("g.mark rect.window")) >= len(archive_changes) > 0
    items = page.cssselect("ol.changes li.change")
    assert [i.get("id") for i in items] == [f"change-{c.id}" for c in reversed(changes)]
    for item, change in zip(items, reversed(changes), strict=True):
        assert texts(item.cssselect(".badge"))[0].endswith(change.severity.upper())
        assert texts(item.cssselect(".direction")) == [change.direction]
        assert texts(item.cssselect(".cat")) == list(change.categories)
        assert item.cssselect("a.diff")[0].get("href") == f"change-{change.id}.html"


def test_archive_changes_link_the_raw_wayback_captures(built: Built) -> None:
    page = built.page("policy/trailhead/index.html")
    versions = {v.id: v for v in report_versions(built.world.ctx.db, ["trailhead"])["trailhead"]}
    raw = re.compile(r"^http://127\.0\.0\.1:\d+/web/\d{14}id_/http://127\.0\.0\.1:\d+/trailhead/")
    for change in built.changes("trailhead"):
        [item] = page.cssselect(f"#change-{change.id}")
        new = versions[change.to_version_id]
        links = item.cssselect("a.raw")
        if new.source == "archive":
            assert [a.get("href") for a in links] == [new.capture_url]
            assert raw.match(links[0].get("href")), links[0].get("href")
        else:
            assert links == []
        assert item.cssselect("a.raw-old")[0].get("href") == \
            versions[change.from_version_id].capture_url
    first = built.changes("trailhead")[0].id
    window = texts(page.cssselect(f"#change-{first} .window"))[0]
    assert re.fullmatch(r"between \d{4}-\d\d-\d\d and \d{4}-\d\d-\d\d", window)


def test_failing_policy_page_says_why(built: Built) -> None:
    page = built.page("policy/broken/index.html")
    assert "failing" in texts(page.cssselect(".status-label"))
    assert "http_404" in " ".join(texts(page.cssselect(".reason")))
    assert "No change recorded yet." in page.text_content()


# --- change pages --------------------------------------------------------------------------

def test_change_page_leads_with_material_units_their_reasons_and_decisive_words(
        built: Built) -> None:
    [change] = built.changes("seed0")
    page = built.page(f"policy/seed0/change-{change.id}.html")
    head = page.cssselect(".change-head")[0]
    assert texts(head.cssselect(".versions")) == ["v1 → v2 (live)"]
    assert texts(head.cssselect(".categories .cat")) == list(change.categories)
    assert texts(head.cssselect("dd.direction")) == [change.direction]
    assert texts(head.cssselect(".summary")) == [change.summary]
    assert "changed between 2026-01-05" in texts(head.cssselect(".window"))[0]
    units = page.cssselect("article.unit")
    material = [u for u in change_diff(built.world.ctx.db, change.id)["changes"] if u["material"]]
    assert units[0].get("class").split()[:2] == ["unit", f"sev-{material[0]['severity']}"]
    assert texts(units[0].cssselect(".why")) == [f"Why: {material[0]['reason']}"]
    assert "may sell" in [m.text_content().lower() for m in units[0].cssselect(".new mark")]
    assert units[0].cssselect(".section")[0].text_content() == material[0]["section"]
    assert page.cssselect("#view-side")[0].get("checked") is not None
    assert page.cssselect(".inline") and page.cssselect(".side")


def test_a_change_of_form_only_is_collapsed(built: Built) -> None:
    [change] = built.changes("seed1")
    page = built.page(f"policy/seed1/change-{change.id}.html")
    [details] = page.cssselect("details.form-changes")
    assert details.get("open") is None
    units = change_diff(built.world.ctx.db, change.id)["changes"]
    assert len(details.cssselect("article.unit.form")) == len(units)
    assert page.cssselect("article.unit.material") == []
    assert texts(page.cssselect(".change-head .summary")) == [change.summary]
    assert texts(page.cssselect(".change-head .badge")) == ["▮ NONE"]


def test_hostile_text_is_inert_and_truncated(built: Built) -> None:
    [change] = built.changes("hostile")
    raw = (built.out / f"policy/hostile/change-{change.id}.html").read_text(encoding="utf-8")
    assert "<script" not in raw and "<!channel>" not in raw and "<b>Corp" not in raw
    page = built.page(f"policy/hostile/change-{change.id}.html")
    assert page.cssselect("h1")[0].text_content() == "Hostile <b>Corp</b> & co"
    body = page.text_content()
    assert HOSTILE.split(" We now")[0] in body  # shown as the text it is
    assert "<!channel> @here" in body
    longest = max(len(t) for t in page.itertext())
    assert longest < 1000
    assert re.search(r"… [\d,]+ more characters not shown", body)
    assert "A" * 50_000 not in body
    index = (built.out / "index.html").read_text(encoding="utf-8")
    assert "Hostile &lt;b&gt;Corp&lt;/b&gt; &amp; co" in index


# --- feeds ---------------------------------------------------------------------------------

def material_changes(built: Built) -> list:  # type: ignore[type-arg]
    return [c for cs in report_changes(built.world.ctx.db).values() for c in cs if c.material]


def test_feeds_parse_as_atom_with_an_entry_per_material_change(built: Built) -> None:
    feed = feedparser.parse((built.out / "feed.atom").read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    material = material_changes(built)
    assert len(feed.entries) == len(material)
    summaries = {c.summary for c in material}
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:")
        assert (built.out / entry.link).is_file()
        assert any(s in entry.summary for s in summaries)
    policy = feedparser.parse((built.out / "policy/trailhead/feed.atom").read_bytes())
    assert not policy.bozo
    trailhead = [c for c in built.changes("trailhead") if c.material]
    assert [e.link for e in policy.entries] == [f"change-{c.id}.html" for c in reversed(trailhead)]
    assert all((built.out / "policy/trailhead" / e.link).is_file() for e in policy.entries)


def test_feed_ids_are_stable_across_runs(built: Built, tmp_path: Path) -> None:
    def ids(out: Path, path: str) -> list[str]:
        parsed = feedparser.parse((out / path).read_bytes())
        return [parsed.feed.id] + [e.id for e in parsed.entries]

    again = tmp_path / "again"
    build_report(built.world.ctx.db, built.world.watchlist, again)
    for path in ("feed.atom", "policy/trailhead/feed.atom", "policy/seed0/feed.atom"):
        assert ids(again, path) == ids(built.out, path)
        assert len(set(ids(again, path))) == len(ids(again, path))
    assert (again / "feed.atom").read_bytes() == (built.out / "feed.atom").read_bytes()


def test_with_report_url_feeds_link_absolutely(built: Built, tmp_path: Path) -> None:
    from dataclasses import replace

    watchlist = built.world.watchlist
    published = replace(watchlist, settings=replace(
        watchlist.settings, report_url="https://reports.example.invalid/pw/"))
    build_report(built.world.ctx.db, published, tmp_path / "pub")
    feed = feedparser.parse((tmp_path / "pub" / "feed.atom").read_bytes())
    assert all(e.link.startswith("https://reports.example.invalid/pw/policy/")
               for e in feed.entries)
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [
        "https://reports.example.invalid/pw/feed.atom"]

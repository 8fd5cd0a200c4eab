"""The extractor bump of issue 11: history recorded by the previous extractor (bold headings
dropped to plain text) re-derives with the new one at the next check, against a real site on
127.0.0.1: no extra fetch, no change recorded, no alert."""

from __future__ import annotations

from pathlib import Path

import pytest

import policywatch.monitor.history.reextract
import policywatch.monitor.history.versioning
import policywatch.monitor.pipeline
from policywatch.monitor.extract import EXTRACTOR_VERSION, extract
from policywatch.monitor.pipeline import check
from policywatch.storage.versions import timeline
from tests.support.config import load, make_context, write_watchlist
from tests.support.site import Site

PAGE = """<html><body><main><h1>Help Centre</h1><h1>Privacy Policy</h1>
<p><strong>What we collect</strong></p><p>We collect your name, e-mail address and the orders you
place, and the messages you send to our support team when you ask for help.</p>
<p><strong>Who we share it with</strong></p><p>We share your delivery address with the courier
that brings your order, and nothing with advertisers. We do not sell personal data.</p>
</main></body></html>"""


def previous_extractor(body: bytes | str, **kwargs: object) -> str:
    """What version 1 of the extractor gave: emphasis dropped everywhere."""
    return extract(body, **kwargs).replace("**", "")  # type: ignore[arg-type]


def test_history_of_the_previous_extractor_rederives_quietly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Site() as site:
        site.set_page("/privacy", PAGE)
        ctx = make_context(load(write_watchlist(tmp_path, [{"name": "shop",
                                                            "url": site.url("/privacy")}])))
        policy = ctx.watchlist.policy("shop")
        with monkeypatch.context() as old:
            for module in (policywatch.monitor.history.reextract,
                           policywatch.monitor.history.versioning):
                old.setattr(module, "EXTRACTOR_VERSION", EXTRACTOR_VERSION - 1)
            old.setattr(policywatch.monitor.pipeline, "extract", previous_extractor)
            assert check(ctx, policy).outcome == "first_version"
        before = timeline(ctx.db, "shop")
        assert "**" not in before[0].text and before[0].extractor_version == EXTRACTOR_VERSION - 1
        hits = site.hits["/privacy"]
        result = check(ctx, policy)
    after = timeline(ctx.db, "shop")
    assert result.outcome == "unchanged", result
    assert site.hits["/privacy"] == hits + 1  # the check's own fetch (a 304), nothing more
    assert len(after) == 1 and after[0].rederived
    assert after[0].extractor_version == EXTRACTOR_VERSION
    assert "**What we collect**" in after[0].text
    assert ctx.db.execute("SELECT COUNT(*) FROM changes").fetchone()[0] == 0
    assert ctx.db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == 0

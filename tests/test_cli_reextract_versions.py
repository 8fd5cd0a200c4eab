"""After `policywatch reextract`, recorded changes keep their version numbers: `changes` shows
v1→v2 and its JSON has numbers, so the `diff NAME@N NAME@M` hint can be followed. Through the
real console script, against a local web site."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.config import write_watchlist
from tests.support.console import policywatch
from tests.support.pages import policy_page
from tests.support.site import Site

TEXT = ("# Privacy Policy\n\n## Sharing\n\nWe do not sell your personal information to anyone. "
        "We share it with service providers who process it for us under contract.\n\n"
        "## Retention\n\nWe keep your account data for 30 days after you close your account.\n")


def test_changes_keep_version_numbers_after_reextract(tmp_path: Path) -> None:
    with Site() as site:
        site.set_page("/privacy", policy_page(TEXT))
        config = str(write_watchlist(tmp_path, [{"name": "pol", "url": site.url("/privacy")}]))
        assert policywatch("--config", config, "check").returncode == 0
        site.set_page("/privacy", policy_page(TEXT.replace("do not sell", "may sell")))
        checked = policywatch("--config", config, "check", "--no-send")
        assert "pol: new version (HIGH" in checked.stdout, checked.stdout + checked.stderr

        before = json.loads(policywatch("--config", config, "changes", "--format", "json").stdout)
        rederived = policywatch("--config", config, "reextract")
        assert "history re-derived: 2 snapshots → 2 versions" in rederived.stdout
        after = json.loads(policywatch("--config", config, "changes", "--format", "json").stdout)

    assert [(c["from_version"], c["to_version"]) for c in before] == [(1, 2)]
    assert [(c["from_version"], c["to_version"]) for c in after] == [(1, 2)]
    listed = policywatch("--config", config, "changes").stdout
    assert " pol v1→v2  HIGH" in listed, listed
    shown = policywatch("--config", config, "diff", "pol@1", "pol@2")
    assert shown.returncode == 0 and "We [-do not-]{+may+} sell" in shown.stdout, shown.stdout

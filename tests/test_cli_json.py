"""`--format json` of check, validate and status carries the fields the README documents.
Through the real console script, against a web site on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.config import write_watchlist
from tests.support.console import policywatch
from tests.support.pages import policy_page
from tests.support.site import Site
from tests.test_cli_reextract_versions import TEXT

CHECK_FIELDS = {"policy", "outcome", "reason", "detail", "transient", "version_id", "change_id",
                "severity", "summary", "duration_ms", "backfill"}
STATUS_FIELDS = {"policy", "url", "interval_s", "last_check", "next_run", "next_run_reason",
                 "last_change", "alerts"}


def test_check_validate_and_status_json(tmp_path: Path) -> None:
    with Site() as site:
        site.set_page("/privacy", policy_page(TEXT))
        config = str(write_watchlist(tmp_path, [{"name": "pol", "url": site.url("/privacy")}]))
        first = policywatch("--config", config, "check", "--format", "json")
        site.set_page("/privacy", policy_page(TEXT.replace("do not sell", "may sell")))
        second = policywatch("--config", config, "check", "--format", "json")
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    data = json.loads(first.stdout)
    assert set(data) == {"checks", "alerts"} and set(data["alerts"]) == {"sent", "retrying",
                                                                         "failed"}
    [record] = data["checks"]
    assert set(record) == CHECK_FIELDS and record["outcome"] == "first_version"
    [changed] = json.loads(second.stdout)["checks"]
    assert changed["outcome"] == "new_version" and changed["severity"] == "high"
    assert changed["change_id"] and changed["reason"] is None and changed["backfill"] is None

    valid = json.loads(policywatch("--config", config, "validate", "--format", "json").stdout)
    assert valid == {"ok": True, "path": config, "database": str(tmp_path / "test.db"),
                     "policies": ["pol"], "channels": []}
    [row] = json.loads(policywatch("--config", config, "status", "--format", "json").stdout)
    assert set(row) == STATUS_FIELDS
    assert row["last_check"]["outcome"] == "new_version"
    assert row["last_change"]["severity"] == "high" and row["alerts"]["failed"] == 0

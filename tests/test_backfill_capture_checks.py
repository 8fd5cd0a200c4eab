"""Archive captures get the content checks of live pages (bot check, cookie wall, soft 404, error
page, empty, shrink, other edition): in a backfill against a local archive on 127.0.0.1, a lone
bad capture between good ones never becomes a version and is counted in the run's summary.
Cases in tests/cases/backfill_checks/."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from policywatch.monitor.context import Context
from policywatch.monitor.extract import extract
from policywatch.monitor.history.backfill import backfill_policy
from policywatch.monitor.textnorm import key_hash
from policywatch.storage.db import open_db
from policywatch.storage.versions import timeline
from tests.support.archive_server import ArchivedCapture, ArchiveServer, FakeTime
from tests.support.config import load, write_watchlist
from tests.support.pages import policy_page
from tests.support.special_pages import bot_check_page, cookie_wall_page, soft_404_page

CASES = Path(__file__).parent / "cases" / "backfill_checks"
URL = "https://www.example.com/legal/privacy"
START = datetime(2020, 1, 1, tzinfo=UTC)

_V1 = """# Privacy Policy

Quillmate is an online writing tool. This policy explains what personal data we collect when you
use Quillmate, why we collect it, who receives it and how long we keep it.

## What we collect

We collect your name, your e-mail address and the documents you write. We also record which
features you use so that we can improve them.

## Who receives it

Our hosting provider stores your documents on our behalf. We do not sell personal data.

## How long we keep it

We keep your documents while your account is open and delete them 30 days after you close it.

## Cookies

We use a session cookie to keep you signed in and a preference cookie to remember your editor
settings. We do not use advertising cookies, and no third party sets cookies on our pages.

## Security

Documents are encrypted in transit and at rest. Only two members of our operations team can reach
the production database, and every access is logged and reviewed each month.

## Your rights

You can download a copy of your documents and account data from the settings page, correct your
details at any time, and ask us to delete everything by writing to our privacy team. If you live in
the European Union you may also complain to your data protection authority.

## Changes to this policy

We will tell you by e-mail at least 30 days before a change to this policy takes effect, and we
keep earlier versions of this policy on this page for anyone to read."""
_V2 = _V1.replace("We do not sell personal data.",
                  "We share usage data with advertising partners.")
_FR = """# Politique de confidentialité

Quillmate est un outil d'écriture en ligne. Cette politique explique quelles données personnelles
nous collectons lorsque vous utilisez Quillmate, pourquoi nous les collectons, qui les reçoit et
combien de temps nous les conservons.

## Ce que nous collectons

Nous collectons votre nom, votre adresse électronique et les documents que vous écrivez. Nous
enregistrons aussi les fonctions que vous utilisez afin de les améliorer.

## Qui les reçoit

Notre hébergeur conserve vos documents pour notre compte. Nous ne vendons pas de données
personnelles.

## Combien de temps nous les conservons

Nous conservons vos documents tant que votre compte est ouvert et les supprimons 30 jours après
sa fermeture."""
_ERROR = """# Something went wrong

We are having trouble loading this page right now. Please refresh the page or try again in a few
minutes. Our engineers have been told about the problem and are working on it. If the problem
continues, contact our support team and quote the reference shown below.

Reference: 7f3a-22c1-9b0e"""
_NAV_ONLY = ("<html><body><nav><a href='/'>Home</a> <a href='/blog'>Blog</a></nav><main></main>"
             "<footer>© Quillmate</footer></body></html>")

POLICY_TEXTS = {"v1": _V1, "v2": _V2, "fr": _FR}


def page(kind: str) -> str:
    if kind in POLICY_TEXTS:
        return policy_page(POLICY_TEXTS[kind])
    return {"error": policy_page(_ERROR, title="Error"), "bot": bot_check_page(),
            "cookie_wall": cookie_wall_page(), "soft_404": soft_404_page(),
            "empty": _NAV_ONLY}[kind]


def _cases() -> list[Any]:
    return [pytest.param(tomllib.loads(p.read_text(encoding="utf-8")), id=p.stem)
            for p in sorted(CASES.glob("*.toml"))]


@pytest.mark.parametrize("case", _cases())
def test_backfill_capture_case(case: dict[str, Any], tmp_path: Path) -> None:
    with ArchiveServer() as archive:
        archive.add(*[ArchivedCapture((START + timedelta(days=7 * i)).strftime("%Y%m%d%H%M%S"),
                                      URL, page(kind).encode("utf-8"))
                      for i, kind in enumerate(case["captures"])])
        watchlist = load(write_watchlist(tmp_path, [{"name": "pol", "url": URL,
                                                     "wayback": True}],
                                         {"archive_url": archive.base_url, "timeout": 1.0}))
        fake = FakeTime(datetime(2026, 1, 1, tzinfo=UTC))
        ctx = Context(watchlist=watchlist, db=open_db(watchlist.settings.database),
                      session=requests.Session(), clock=fake.clock, sleep=fake.sleep)
        report = backfill_policy(ctx, watchlist.policies[0])
    expected = [key_hash(extract(page(kind).encode("utf-8"), content_type="text/html"))
                for kind in case["versions"]]
    assert [v.norm_hash for v in timeline(ctx.db, "pol")] == expected, case["description"]
    assert report.suspect == case["suspect"], report.failed
    reasons = [reason.split(":")[0] for _, reason in report.failed]
    assert sorted(reasons) == sorted(case["failed_reasons"]), report.failed
    assert f"of which {case['suspect']} suspect" in report.summary

"""End to end through check(): a real web site on 127.0.0.1 serving the seed policies in
realistic HTML, and the SQLite history that results."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.context import Context
from monitor.pipeline import check
from storage.checks import recent_checks
from storage.versions import timeline
from tests.support.config import RecordedSleep, load, make_context, write_watchlist
from tests.support.pages import policy_page, seed_texts
from tests.support.site import Reply, Site

SEEDS = seed_texts()
pytestmark = pytest.mark.skipif(not SEEDS, reason="../shared/corpus/seeds is absent")


def seed_page(name: str, **kwargs: object) -> str:
    style = "pagebuilder" if name.startswith("002_") else "standard"
    return policy_page(SEEDS[name], style=style, **kwargs)  # type: ignore[arg-type]


@pytest.fixture()
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


@pytest.fixture()
def seeded(site: Site, tmp_path: Path) -> tuple[Context, Site, dict[str, str]]:
    """Five policies, one per seed, all served by the site; returns (ctx, site, name → path)."""
    paths = {}
    for index, name in enumerate(sorted(SEEDS)):
        paths[f"seed{index}"] = f"/policy/{index}"
        site.set_page(f"/policy/{index}", seed_page(name))
    policies = [{"name": n, "url": site.url(p)} for n, p in paths.items()]
    ctx = make_context(load(write_watchlist(tmp_path, policies)))
    return ctx, site, paths


def check_all(ctx: Context) -> dict[str, str]:
    return {p.name: check(ctx, p).outcome for p in ctx.watchlist.policies}


def test_first_check_records_one_version_per_policy(seeded: tuple) -> None:
    ctx, _, _ = seeded
    assert set(check_all(ctx).values()) == {"first_version"}
    for policy in ctx.watchlist.policies:
        versions = timeline(ctx.db, policy.name)
        assert len(versions) == 1
        assert versions[0].source == "live" and versions[0].chars > 1000


def test_changed_policy_text_makes_a_second_version(seeded: tuple) -> None:
    ctx, site, paths = seeded
    check_all(ctx)
    name = sorted(SEEDS)[0]
    changed = SEEDS[name].replace("Customer Privacy Policy",
                                  "Customer Privacy Policy\n\nWe may sell your personal "
                                  "information to data brokers.", 1)
    site.set_page(paths["seed0"], policy_page(changed))
    outcomes = check_all(ctx)
    assert outcomes["seed0"] == "new_version"
    assert {v for k, v in outcomes.items() if k != "seed0"} == {"unchanged"}
    versions = timeline(ctx.db, "seed0")
    assert [v.number for v in versions] == [1, 2]
    assert "data brokers" in versions[1].text and "data brokers" not in versions[0].text


@pytest.mark.parametrize("variant", [{"chrome": 1}, {"chrome": 2}, {"bullet": "•"}])
def test_changes_of_form_make_no_version(seeded: tuple, variant: dict[str, object]) -> None:
    ctx, site, paths = seeded
    check_all(ctx)
    for index, name in enumerate(sorted(SEEDS)):
        site.set_page(paths[f"seed{index}"], seed_page(name, **variant))
    assert set(check_all(ctx).values()) == {"unchanged"}
    for policy in ctx.watchlist.policies:
        assert len(timeline(ctx.db, policy.name)) == 1


def test_whitespace_only_change_makes_no_version(seeded: tuple) -> None:
    ctx, site, paths = seeded
    check_all(ctx)
    name = sorted(SEEDS)[3]
    spaced = "\n\n".join(line.replace(" ", "  ").replace(". ", ".\u00a0 ")
                         for line in SEEDS[name].splitlines())
    site.set_page(paths["seed3"], policy_page(spaced))
    assert check(ctx, ctx.watchlist.policy("seed3")).outcome == "unchanged"


def test_unchanged_page_costs_a_304(seeded: tuple) -> None:
    ctx, site, _ = seeded
    check_all(ctx)
    result = check(ctx, ctx.watchlist.policy("seed1"))
    assert (result.outcome, result.reason) == ("unchanged", "not_modified")
    assert site.not_modified["/policy/1"] == 1
    assert len(timeline(ctx.db, "seed1")) == 1
